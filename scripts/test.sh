#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests drive (scripts/setup.sh), builds the
# engine, type-checks, then runs every vitest suite (unit, wire, real components, end-to-end) with the end-to-end
# suites in the Linux tier, and beside it the end-to-end suites again in the Windows tier (pwsh.exe and node.exe
# under Wine: docs/testing.md). Each run prints its own summary and time; either failing fails the whole.
set -euo pipefail
exec </dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node scripts/build.mjs
npx --no-install tsc --noEmit -p tsconfig.json

mkdir -p .cache
windows_log=.cache/test-windows-tier.log
start=$(date +%s)
# At a lower priority: the Linux run's timing-sensitive suites (NSSM under Wine, deploys) keep the CPU they need on
# a 2-core machine; the Windows tier takes what is left, then all of it once the Linux run is done.
WOOSOO_E2E_TIER=windows nice -n 10 npx --no-install vitest run --passWithNoTests "$@" >"$windows_log" 2>&1 &
windows_pid=$!
# Stop the Windows run too if this script is interrupted.
trap 'kill "$windows_pid" 2>/dev/null || true' INT TERM

linux_rc=0
npx --no-install vitest run "$@" || linux_rc=$?
echo "== Linux tier and the other suites: exit $linux_rc, $(( $(date +%s) - start )) s"

windows_rc=0
wait "$windows_pid" || windows_rc=$?
trap - INT TERM
echo
echo "== Windows tier (WOOSOO_E2E_TIER=windows; its full output: $windows_log) =="
# The failures in full, then the summary; the passing files' lines are in the log.
sed 's/\x1b\[[0-9;]*m//g' "$windows_log" | awk '/Failed Tests|Unhandled Error/ { show = 1 } show || /^ (✓|❯|×|↓) / || /Test Files|Tests  |Duration/'
echo "== Windows tier: exit $windows_rc, $(( $(date +%s) - start )) s"
[ "$linux_rc" -eq 0 ] && [ "$windows_rc" -eq 0 ]
