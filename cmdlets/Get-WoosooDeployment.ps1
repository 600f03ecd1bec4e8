function Get-WoosooDeployment {
    <#
    .SYNOPSIS
    Lists the project's deployments (newest first), with their steps, outcome, backup and report.

    .DESCRIPTION
    Reads the deploy journals (deployments/<id>/journal.json) and returns one Woosoo.Deployment per deploy: Id,
    Scope, Status (Succeeded, Failed, RolledBack, RollbackFailed, Interrupted, or Running while one runs),
    StartedAt, Duration, BackupId, FailedStep, Steps (Woosoo.DeployStep objects), ReportPath (the HTML report),
    JsonReportPath, Error and LeftToDo (what a failed rollback left to do by hand).

    A deploy whose engine died mid-way (machine restart, killed process) shows as Interrupted: complete its
    rollback with Undo-WoosooDeploy.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Id
    Only this deployment (the TargetObject of a Woosoo.DeployFailed error is a deployment id).

    .PARAMETER Last
    Only the newest N deployments.

    .EXAMPLE
    Get-WoosooDeployment -Last 5

    The five newest deployments as a table: Id, Status, Scope, StartedAt, Duration, FailedStep.

    .EXAMPLE
    (Get-WoosooDeployment -Last 1).Steps | Format-Table Name, Status, Duration, Message

    The steps of the newest deployment.

    .EXAMPLE
    Get-WoosooDeployment | Where-Object Status -eq Interrupted | Undo-WoosooDeploy

    Completes the rollback of every interrupted deployment (asks for each).

    .EXAMPLE
    Invoke-Item (Get-WoosooDeployment -Last 1).ReportPath

    Opens the newest deployment's HTML report.

    .OUTPUTS
    Woosoo.Deployment

    .LINK
    Invoke-WoosooDeploy

    .LINK
    Undo-WoosooDeploy
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.Deployment')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeploymentId')]
        [ValidateScript({ Test-WoosooDeploymentId $_ })]
        [string]$Id,

        [ValidateRange(1, 100000)]
        [int]$Last
    )
    process {
        $params = @{}
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Id) { $params.id = $Id }
        if ($PSBoundParameters.ContainsKey('Last')) { $params.last = $Last }
        try {
            Invoke-WoosooRpc -Method 'deploy.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
