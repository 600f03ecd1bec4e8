<#
.SYNOPSIS
The scheduled health check Register-WoosooScheduledTask -Health registers: one round of Get-WoosooHealth -Alert.

.DESCRIPTION
Run by Task Scheduler as pwsh.exe -NoProfile -NonInteractive -File Invoke-WoosooScheduledHealth.ps1 -Path <project>.
Each run compares the checks with the last run's (<project>/logs/health/state.json) and POSTs one message to the
webhook (HEALTH_WEBHOOK_URL, else DEPLOY_WEBHOOK_URL) per check that turned Unhealthy or recovered.
Exit codes: 0 no check is Unhealthy; 2 a check is Unhealthy; 3 refused (invalid configuration).

.PARAMETER Path
The project folder.

.PARAMETER Environment
The environment whose configuration applies; default the ENVIRONMENT of deployment.config.env.

.PARAMETER Name
Only these checks (wildcards allowed), as Get-WoosooHealth -Name.
#>
param(
    [Parameter(Mandatory)][string]$Path,
    [string]$Environment,
    [string[]]$Name
)
. (Join-Path $PSScriptRoot 'WoosooJob.ps1')
$code = Invoke-WoosooJob -Job 'Health' -Path $Path -Environment $Environment -Action {
    param($common)
    if ($Name) { $common.Name = $Name }
    $checks = @(Get-WoosooHealth @common -Alert -ErrorAction Stop)
    $bad = @($checks | Where-Object { $_.Status -eq 'Unhealthy' })
    if ($bad.Count -gt 0) {
        [Console]::Error.WriteLine('Unhealthy: ' + (($bad | ForEach-Object { $_.Name }) -join ', '))
        return 2
    }
    '{0} checks, none Unhealthy' -f $checks.Count
}
exit $code
