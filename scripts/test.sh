#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests drive (scripts/setup.sh), builds the
# engine, type-checks, then runs every vitest suite (unit, wire, real components, end-to-end).
set -euo pipefail
exec </dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node scripts/build.mjs
npx --no-install tsc --noEmit -p tsconfig.json
npx --no-install vitest run "$@"
