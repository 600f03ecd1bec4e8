function Invoke-WoosooDeploy {
    <#
    .SYNOPSIS
    Deploys the project in one command: preflight, lock, backup, config sync, builds, service restart, health checks,
    report; and rolls back by itself when a step fails.

    .DESCRIPTION
    Runs these steps in order; each one is written to the pipeline as a Woosoo.DeployStep (Name, Status, StartedAt,
    Duration, Message, OutputLog) as soon as it ends, and a Woosoo.Deployment is written at the end:
      1 Preflight       the critical checks of Test-WoosooPreflight must pass (unless -Force)
      2 Lock            one deploy per project (deployments/deploy.lock; a lock whose process is gone is taken over)
      3 Backup          deployment.config.env, configs/, the apps' .env files, the tracked build outputs, the database
      4 Sync            Sync-WoosooConfig
      5 Build           Invoke-WoosooBuild (apps in parallel unless -Sequential; tests unless -SkipTests)
      6 StopServices    php artisan queue:restart, then the services in reverse dependency order, waiting for exit
      7 PlaceArtifacts  the builds ran in place: records which tracked files changed
      8 StartServices   in dependency order
      9 Health          the DEPLOY_HEALTH_CHECKS until they pass or DEPLOY_HEALTH_DEADLINE_SECONDS pass
     10 Report          <DEPLOY_REPORT_PATH>/<id>.json and .html (and -ReportPath), the webhook when configured

    When a step after the backup fails (or Ctrl+C is pressed), the deploy rolls back: the files and, when migrations
    may have run, the database come back from the backup, the services that ran before start again and the health
    checks run again. Then a terminating error Woosoo.DeployFailed is written (so $? is false and a scheduled
    `pwsh -File` exits non-zero); its message names the failed step, the outcome (Failed-RolledBack or
    RollbackFailed with what is left to do by hand) and the report; its TargetObject is the deployment id
    (Get-WoosooDeployment -Id <id> returns the Woosoo.Deployment).

    When an earlier deploy was interrupted (its engine died) after it changed the project, you are asked whether to
    complete its rollback first (-Force does it without asking); otherwise the deploy stops with
    Woosoo.DeployInterruptedFound. One that died before it changed anything (during Lock or Backup) is closed
    without a question.

    With -WhatIf nothing is changed (no lock, no backup, no file): the whole plan is shown, each step with the
    commands it would run, and returned as Woosoo.DeployPlanStep objects.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Scope
    Full (default), Backend, Pwa or Relay: which apps are synced, built, restarted and checked.

    .PARAMETER SkipBackup
    No backup. Then no rollback is possible; a warning says so.

    .PARAMETER SkipBuild
    Do not build (configuration-only deploy).

    .PARAMETER SkipTests
    Do not run the apps' test commands after their builds.

    .PARAMETER Force
    Go on despite failed critical preflight checks, and complete an interrupted deploy's rollback without asking.

    .PARAMETER NoRollback
    Leave a failed deploy as it is (Undo-WoosooDeploy rolls it back later).

    .PARAMETER Sequential
    Build the apps one after the other. By default independent apps build in parallel. (A switch that is on by
    default cannot be turned off naturally, so the choice to make is the non-default one: -Sequential.)

    .PARAMETER ReportPath
    Also write the report here (.json for the JSON report, any other name for the HTML page).

    .EXAMPLE
    Invoke-WoosooDeploy -WhatIf

    Shows every step and the commands it would run. Changes nothing.

    .EXAMPLE
    Invoke-WoosooDeploy -Path D:\woosoo -Confirm:$false -Verbose

    Deploys without asking, showing the build output as it comes.

    .EXAMPLE
    try { Invoke-WoosooDeploy -Confirm:$false -ErrorAction Stop } catch { Get-WoosooDeployment -Id $_.TargetObject | Format-List }

    Deploys and, when it fails, shows the Woosoo.Deployment (status, failed step, report path).

    .EXAMPLE
    Invoke-WoosooDeploy -Scope Backend -SkipTests -ReportPath C:\reports\last-deploy.html -Confirm:$false

    Deploys only the backend, without its tests, and writes the HTML report to a fixed place too.

    .OUTPUTS
    Woosoo.DeployStep, Woosoo.Deployment, Woosoo.DeployPlanStep

    .LINK
    Get-WoosooDeployment

    .LINK
    Undo-WoosooDeploy
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.DeployStep', 'Woosoo.Deployment', 'Woosoo.DeployPlanStep')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('Full', 'Backend', 'Pwa', 'Relay')]
        [string]$Scope = 'Full',

        [switch]$SkipBackup,

        [switch]$SkipBuild,

        [switch]$SkipTests,

        [switch]$Force,

        [switch]$NoRollback,

        [switch]$Sequential,

        [string]$ReportPath
    )
    process {
        $params = @{
            scope = $Scope; skipBackup = $SkipBackup.IsPresent; skipBuild = $SkipBuild.IsPresent; skipTests = $SkipTests.IsPresent
            force = $Force.IsPresent; noRollback = $NoRollback.IsPresent; parallel = (-not $Sequential.IsPresent); whatIf = $true
        }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($ReportPath) { $params.reportPath = Resolve-WoosooPath -Path $ReportPath -Cmdlet $PSCmdlet }
        try {
            $plan = @(Invoke-WoosooRpc -Method 'deploy.run' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        $target = $resolved
        if (-not $target -and $plan.Count -gt 0) { $target = $plan[0].ProjectPath }

        if ($WhatIfPreference) {
            foreach ($step in $plan) {
                $lines = @($step.Commands) -join '; '
                $null = $PSCmdlet.ShouldProcess($target, ('Step {0} {1}: {2} {3}' -f $step.Order, $step.Name, $step.Description, $lines))
            }
            $plan
            return
        }
        if (-not $PSCmdlet.ShouldProcess($target, ('Deploy ({0}): {1}' -f $Scope, ((@($plan) | ForEach-Object { $_.Name }) -join ', ')))) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path; return }

        # The engine decides whether an interrupted deploy needs its rollback completed (one that died before it
        # changed anything is closed by deploy.run itself): ask only when it refuses with DeployInterruptedFound.
        $params.whatIf = $false
        $undoParams = @{ whatIf = $false }
        if ($resolved) { $undoParams.path = $resolved }
        if ($Environment) { $undoParams.environment = $Environment }
        # The deploy's backup and its rollback's restore: a DPAPI-protected project key only this side can open.
        $key = Get-WoosooProjectKeyParam -ProjectPath $target -Cmdlet $PSCmdlet
        $params += $key
        $undoParams += $key
        $completed = @{}
        while ($true) {
            try {
                Invoke-WoosooRpc -Method 'deploy.run' -Params $params -Cmdlet $PSCmdlet
                return
            }
            catch {
                $refusal = $_
            }
            $oldId = [string]$refusal.TargetObject
            $isInterrupted = $refusal.FullyQualifiedErrorId -like 'Woosoo.DeployInterruptedFound*'
            if (-not $isInterrupted -or $oldId -eq '' -or $completed.ContainsKey($oldId)) { Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $refusal; return }
            $question = 'Deployment {0} was interrupted and not rolled back. Complete its rollback first?' -f $oldId
            if (-not ($Force -or $PSCmdlet.ShouldContinue($question, 'Interrupted deployment'))) { Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $refusal; return }
            $completed[$oldId] = $true
            $undoParams.id = $oldId
            try {
                $undone = @(Invoke-WoosooRpc -Method 'deploy.undo' -Params $undoParams -Cmdlet $PSCmdlet | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' })
            }
            catch {
                Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
            }
            foreach ($u in $undone) { Write-Warning ('Deployment {0} rolled back: {1}. Report: {2}' -f $u.Id, $u.Status, $u.ReportPath) }
        }
    }
}
