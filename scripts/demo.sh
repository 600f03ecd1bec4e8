#!/usr/bin/env bash
# The main job on examples/demo, from a fresh machine: set-up, build, then validate and show the demo
# configuration through the module (real pwsh) — or, where PowerShell 7 cannot be installed, through the
# same engine with the small wire client scripts/rpc.mjs.
set -euo pipefail
exec </dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEMO="$ROOT/examples/demo"
bash scripts/setup.sh >/dev/null
node scripts/build.mjs

PWSH=$(cat .cache/pwsh-status 2>/dev/null || true)
if [ -n "$PWSH" ] && [ "${PWSH#unavailable}" = "$PWSH" ] && [ -x "$PWSH" ]; then
  "$PWSH" -NoProfile -NonInteractive -Command "
    \$ErrorActionPreference = 'Stop'
    Import-Module '$ROOT/Woosoo.psd1'
    Test-WoosooConfig -Path '$DEMO' | Format-Table -AutoSize
    if (-not (Test-WoosooConfig -Path '$DEMO' -Quiet)) { throw 'The demo configuration has errors.' }
    Get-WoosooConfig -Path '$DEMO'
  "
else
  echo "demo: PowerShell 7 is not available here (${PWSH:-not installed}); driving the same engine with scripts/rpc.mjs" >&2
  node scripts/rpc.mjs --cwd "$DEMO" config.test '{}'
  node scripts/rpc.mjs --cwd "$DEMO" config.test '{"quiet":true}' | grep -qx true || { echo "demo: the configuration has errors" >&2; exit 1; }
  node scripts/rpc.mjs --cwd "$DEMO" config.get '{}'
fi
