<#
.SYNOPSIS
The scheduled backup Register-WoosooScheduledTask -Backup registers: New-WoosooBackup for the project.

.DESCRIPTION
Run by Task Scheduler as pwsh.exe -NoProfile -NonInteractive -File Invoke-WoosooScheduledBackup.ps1 -Path <project>.
Exit codes: 0 the backup was made; 2 it failed (nothing to roll back: no backup was made); 3 refused before
starting (invalid configuration). One line per run goes to <project>/logs/jobs/backup.log.

.PARAMETER Path
The project folder.

.PARAMETER Environment
The environment whose configuration applies; default the ENVIRONMENT of deployment.config.env.
#>
param(
    [Parameter(Mandatory)][string]$Path,
    [string]$Environment
)
. (Join-Path $PSScriptRoot 'WoosooJob.ps1')
$code = Invoke-WoosooJob -Job 'Backup' -Path $Path -Environment $Environment -Action {
    param($common)
    $backup = New-WoosooBackup @common -Confirm:$false -ErrorAction Stop
    'backup {0}' -f (@($backup)[0]).Id
}
exit $code
