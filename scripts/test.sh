#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests drive (scripts/setup.sh), builds the
# engine, type-checks, then runs every vitest suite (unit, wire, real components, end-to-end) with the end-to-end
# suites in the Linux tier, then the end-to-end suites again in the Windows tier (pwsh.exe and node.exe under Wine:
# docs/testing.md). Each run prints its own summary and time; either failing fails the whole.
set -euo pipefail
exec </dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node scripts/build.mjs
npx --no-install tsc --noEmit -p tsconfig.json

# The two runs one after the other: side by side on a 2-core machine (even with the Windows tier at nice 10) the Wine
# work of both starved each other's NSSM-under-Wine suites into timeouts, one CI run in two. Each reports its time.
start=$(date +%s)
linux_rc=0
mkdir -p .cache/test-reports
rm -f .cache/test-reports/*.json
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-reports/linux.json "$@" \
  || linux_rc=$?
linux_s=$(( $(date +%s) - start ))
echo "== Linux tier and the other suites: exit $linux_rc, $linux_s s"

echo
echo "== Windows tier (WOOSOO_E2E_TIER=windows: the end-to-end suites in pwsh.exe under Wine) =="
start=$(date +%s)
windows_rc=0
WOOSOO_E2E_TIER=windows npx --no-install vitest run --passWithNoTests --reporter=default --reporter=json \
  --outputFile.json=.cache/test-reports/windows.json "$@" || windows_rc=$?
echo "== Windows tier: exit $windows_rc, $(( $(date +%s) - start )) s (the Linux run: $linux_s s)"
echo
# A CI keeps the tail of the log: name every failure of both runs here, at the end.
node scripts/test-summary.mjs "Linux run=.cache/test-reports/linux.json" "Windows tier=.cache/test-reports/windows.json" \
  || true
echo "== exits: Linux run $linux_rc, Windows tier $windows_rc"
[ "$linux_rc" -eq 0 ] && [ "$windows_rc" -eq 0 ]
