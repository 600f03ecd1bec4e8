<#
.SYNOPSIS
The scheduled deploy Register-WoosooScheduledTask -Deploy registers: Invoke-WoosooDeploy for the project.

.DESCRIPTION
Run by Task Scheduler as pwsh.exe -NoProfile -NonInteractive -File Invoke-WoosooScheduledDeploy.ps1 -Path <project>.
Exit codes: 0 deployed; 1 failed and rolled back (the previous version is back); 2 failed and not rolled back (or
the rollback failed: see the report); 3 refused before starting (invalid configuration, deploy lock held, an
interrupted deploy to look at first). One line per run goes to <project>/logs/jobs/deploy.log.

.PARAMETER Path
The project folder.

.PARAMETER Environment
The environment to deploy (its overlay); default the ENVIRONMENT of deployment.config.env.
#>
param(
    [Parameter(Mandatory)][string]$Path,
    [string]$Environment
)
. (Join-Path $PSScriptRoot 'WoosooJob.ps1')
$code = Invoke-WoosooJob -Job 'Deploy' -Path $Path -Environment $Environment -Action {
    param($common)
    $deployment = Invoke-WoosooDeploy @common -Confirm:$false -ErrorAction Stop | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
    if ($deployment) { 'deployment {0} {1}' -f $deployment.Id, $deployment.Status }
}
exit $code
