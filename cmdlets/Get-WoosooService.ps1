function Get-WoosooService {
    <#
    .SYNOPSIS
    Gets the stack's services (Reverb, the queue worker, nginx) and their state as Woosoo.Service objects.

    .DESCRIPTION
    Lists the services defined by the project's deployment.config.env and asks the service manager about each of
    them, concurrently: NSSM on Windows, PM2 elsewhere (SERVICE_MANAGER chooses). Each Woosoo.Service has Name,
    DisplayName, Status, StartType, ProcessId, StartTime, Uptime, Restarts, LastExitCode, Application, Arguments,
    WorkingDirectory, StdoutLog, StderrLog, DependsOn, Port, Backend, ProjectPath and Remarks.

    Status is Running, Stopped, Paused, StartPending, StopPending or NotInstalled, or, for an application that
    keeps crashing, Throttled (the service manager waits before each restart; NSSM shows this as SERVICE_PAUSED)
    or Failed (PM2 gave up restarting it). Facts a backend does not report (NSSM: start time, restarts, exit code)
    are empty, and Remarks says so.

    .PARAMETER Name
    Service names (woosoo-reverb), short names (reverb) or wildcards (*worker*). Without names: every service of the
    stack. A plain name that is not a service of the stack is an error listing the services.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .EXAMPLE
    Get-WoosooService

    Shows the three services of the current project with their status, process id and uptime.

    .EXAMPLE
    Get-WoosooService | Where-Object Status -eq Stopped | Start-WoosooService

    Starts the services that are stopped, in dependency order.

    .EXAMPLE
    Get-WoosooService -Name *reverb* -Path D:\woosoo | Format-List *

    Shows everything known about the Reverb service of the project in D:\woosoo, log file paths included.

    .OUTPUTS
    Woosoo.Service

    .LINK
    Start-WoosooService
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.Service')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $params = @{}
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Name) { $params.names = @($Name) }
        try {
            Invoke-WoosooRpc -Method 'services.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
