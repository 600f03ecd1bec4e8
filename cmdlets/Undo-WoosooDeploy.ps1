function Undo-WoosooDeploy {
    <#
    .SYNOPSIS
    Completes the rollback of an interrupted or failed deployment, or switches a successful blue/green deployment
    back to the release before it.

    .DESCRIPTION
    For a deployment whose engine died mid-way (Status Interrupted), that failed with -NoRollback (Failed), or whose
    rollback did not complete (RollbackFailed): takes the deploy lock (a lock left by the dead engine is taken
    over), stops the scope's services, puts back the files of the deployment's backup (configs, the apps' .env
    files, the tracked build outputs) and — when its build may have run migrations — the database, deletes the
    tracked files the deployment created, starts the services that were running before it, checks health again,
    and rewrites the journal and the report. Returns the Woosoo.Deployment, now RolledBack; when something is left
    to do by hand, a terminating error Woosoo.RollbackFailed lists it.

    A blue/green deployment (DEPLOY_STRATEGY=BlueGreen, the default) is rolled back by switching: the previous
    colour's services run again, nginx is switched back to the previous release (render, nginx -t, graceful
    reload), the new colour is stopped, the database is put back only as far as the deployment changed it, and the
    release folder is removed. This also works for a *successful* blue/green deployment while it is the live one,
    as long as the release before it is still on disk (DEPLOY_KEEP_RELEASES): give its -Id.

    Without -Id, the newest deployment that needs it is rolled back (nothing happens when there is none); a
    successful deployment is only undone when named with -Id.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Id
    The deployment to roll back (Id of Get-WoosooDeployment; accepts pipeline input by property name).

    .EXAMPLE
    Undo-WoosooDeploy

    Rolls back the newest interrupted or failed deployment, after asking.

    .EXAMPLE
    Get-WoosooDeployment | Where-Object Status -eq Interrupted | Undo-WoosooDeploy -Confirm:$false

    Rolls back every interrupted deployment without asking.

    .EXAMPLE
    Get-WoosooDeployment -Last 1 | Undo-WoosooDeploy

    Switches the last (successful, blue/green) deployment back to the release before it, after asking.

    .EXAMPLE
    Undo-WoosooDeploy -Id 20261122-031500-a1b2 -WhatIf

    Shows which deployment and backup would be rolled back. Changes nothing.

    .OUTPUTS
    Woosoo.Deployment

    .LINK
    Get-WoosooDeployment

    .LINK
    Invoke-WoosooDeploy
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.Deployment')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeploymentId')]
        [ValidateScript({ Test-WoosooDeploymentId $_ })]
        [string]$Id
    )
    process {
        $params = @{ whatIf = $true }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Id) { $params.id = $Id }
        try {
            $found = @(Invoke-WoosooRpc -Method 'deploy.undo' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        if ($found.Count -eq 0) {
            $where = if ($resolved) { " of $resolved" } else { '' }
            Write-WoosooInformation -Cmdlet $PSCmdlet -Message "Nothing to roll back: no deployment$where is Interrupted, or Failed with changes to undo (Get-WoosooDeployment lists them)."
            return
        }
        $deployment = $found[0]
        $what = 'Roll back deployment {0} ({1}, {2}) from backup {3}' -f $deployment.Id, $deployment.Status, $deployment.Scope, $deployment.BackupId
        if (-not $PSCmdlet.ShouldProcess($deployment.ProjectPath, $what)) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $deployment.ProjectPath; return }
        $params.whatIf = $false
        $params.id = $deployment.Id
        $params += Get-WoosooProjectKeyParam -ProjectPath $deployment.ProjectPath -Cmdlet $PSCmdlet   # the rollback's restore
        try {
            Invoke-WoosooRpc -Method 'deploy.undo' -Params $params -Cmdlet $PSCmdlet |
                Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
