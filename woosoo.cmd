@echo off
rem woosoo: the old woosoo-deploy-manager command line for cmd.exe, wrappers and scheduled tasks (docs\legacy-cli.md).
rem Runs woosoo.ps1 from this folder in PowerShell 7 (pwsh.exe) when it is on PATH, else in Windows PowerShell 5.1.
rem The exit code is woosoo.ps1's: 0 done, 1 failed, 2 bad usage.
setlocal
set "WOOSOO_PS="
for %%P in (pwsh.exe) do set "WOOSOO_PS=%%~$PATH:P"
if not defined WOOSOO_PS set "WOOSOO_PS=powershell.exe"
"%WOOSOO_PS%" -NoProfile -File "%~dp0woosoo.ps1" %*
exit /b %ERRORLEVEL%
