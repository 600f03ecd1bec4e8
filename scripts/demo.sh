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

# The real deploy of the demo stack, in a temporary copy (nothing is written outside temp folders): a private
# MariaDB on the demo's DB_PORT, the demo's user and database, then Invoke-WoosooDeploy (PM2 runs the services).
# Everything started here is stopped on exit.
WORK=$(mktemp -d /tmp/wsdemo-XXXXXX)
DBDIR="$WORK/db"
PROJECT="$WORK/demo"
cleanup() {
  PM2_HOME="$PROJECT/.pm2" node "$ROOT/node_modules/pm2/bin/pm2" kill >/dev/null 2>&1 || true
  [ -S "$DBDIR/sock" ] && mariadb-admin --no-defaults --socket="$DBDIR/sock" -uroot shutdown >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
git ls-files -z examples/demo | while IFS= read -r -d '' f; do
  mkdir -p "$PROJECT/$(dirname "${f#examples/demo/}")" && cp "$f" "$PROJECT/${f#examples/demo/}"
done
# The default health gate (DEPLOY_HEALTH_CHECKS): the four services, the ports, the Reverb handshake, the database,
# the queue tables and GET /api/health through nginx and straight from the backend (artisan serve on BACKEND_PORT).
printf '\nDEPLOY_HEALTH_DEADLINE_SECONDS=30\n' >>"$PROJECT/deployment.config.env"
conf() { sed -n "s/^$1=//p" "$PROJECT/deployment.config.env" | tail -n 1 | sed "s/^'\(.*\)'\$/\1/; s/^\"\(.*\)\"\$/\1/"; }
DB_PORT=$(conf DB_PORT); DB_DATABASE=$(conf DB_DATABASE); DB_USERNAME=$(conf DB_USERNAME); DB_PASSWORD=$(conf DB_PASSWORD)
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
mkdir -p "$DBDIR"
mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DBDIR/data" --auth-root-authentication-method=normal --skip-test-db >/dev/null
"$MARIADBD" --no-defaults --user="$(id -un)" --datadir="$DBDIR/data" --socket="$DBDIR/sock" --pid-file="$DBDIR/pid" \
  --port="$DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve --skip-log-bin --log-error="$DBDIR/error.log" >/dev/null 2>&1 &
for _ in $(seq 1 100); do mariadb-admin --no-defaults --socket="$DBDIR/sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.1; done
mariadb --no-defaults --socket="$DBDIR/sock" -uroot -e "CREATE DATABASE \`$DB_DATABASE\`; CREATE USER '$DB_USERNAME'@'%' IDENTIFIED BY '$DB_PASSWORD'; CREATE USER '$DB_USERNAME'@'localhost' IDENTIFIED BY '$DB_PASSWORD'; GRANT ALL ON \`$DB_DATABASE\`.* TO '$DB_USERNAME'@'%'; GRANT ALL ON \`$DB_DATABASE\`.* TO '$DB_USERNAME'@'localhost';"
if [ "$(id -u)" = 0 ]; then export COMPOSER_ALLOW_SUPERUSER=1; fi
export PM2_DISABLE_VERSION_CHECK=true

PWSH=$(cat .cache/pwsh-status 2>/dev/null || true)
if [ -n "$PWSH" ] && [ "${PWSH#unavailable}" = "$PWSH" ] && [ -x "$PWSH" ]; then
  "$PWSH" -NoProfile -NonInteractive -Command "
    \$ErrorActionPreference = 'Stop'
    Import-Module '$ROOT/Woosoo.psd1'
    Test-WoosooConfig -Path '$DEMO' | Format-Table
    if (-not (Test-WoosooConfig -Path '$DEMO' -Quiet)) { throw 'The demo configuration has errors.' }
    Get-WoosooConfig -Path '$DEMO'
    Invoke-WoosooDeploy -Path '$PROJECT' -WhatIf | Format-List Order, Name, Description, Commands
    Invoke-WoosooDeploy -Path '$PROJECT' -Confirm:\$false | Format-Table
    Get-WoosooDeployment -Path '$PROJECT' -Last 1 | Format-List
    Get-WoosooService -Path '$PROJECT' | Format-Table
    Get-WoosooHealth -Path '$PROJECT' | Format-Table
  "
else
  echo "demo: PowerShell 7 is not available here (${PWSH:-not installed}); driving the same engine with scripts/rpc.mjs" >&2
  node scripts/rpc.mjs --cwd "$DEMO" config.test '{}'
  node scripts/rpc.mjs --cwd "$DEMO" config.test '{"quiet":true}' | grep -qx true || { echo "demo: the configuration has errors" >&2; exit 1; }
  node scripts/rpc.mjs --cwd "$DEMO" config.get '{}'
  node scripts/rpc.mjs --cwd "$PROJECT" deploy.run '{"whatIf":true}'
  node scripts/rpc.mjs --cwd "$PROJECT" deploy.run '{}'
  node scripts/rpc.mjs --cwd "$PROJECT" deploy.get '{"last":1}'
  node scripts/rpc.mjs --cwd "$PROJECT" health.get '{}'
fi
