function Start-WoosooService {
    <#
    .SYNOPSIS
    Starts the stack's services and waits until they are really running.

    .DESCRIPTION
    Starts each service in dependency order (the database-dependent PHP services first, nginx last) and waits
    until it is really running: the service manager reports it running, the process stays up past the crash-loop
    throttle, and its port (REVERB_PORT, HTTP_PORT) accepts connections, up to SERVICE_START_TIMEOUT_SECONDS. A
    service that is already running is left alone (not an error). A service that keeps crashing is reported with the
    last lines of its error log; services that depend on a failed one are not started. Failures are non-terminating
    errors, one per service.

    .PARAMETER Name
    Service names (woosoo-reverb), short names (reverb) or wildcards (*worker*). Without names: every service of the
    stack. Accepts pipeline input, also by property name (the Name of Woosoo.Service objects).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER PassThru
    Return a Woosoo.Service object for each service afterwards.

    .EXAMPLE
    Start-WoosooService

    Starts every service of the current project's stack in dependency order.

    .EXAMPLE
    Get-WoosooService | Where-Object Status -eq Stopped | Start-WoosooService -PassThru

    Starts only the stopped services and shows their new state.

    .EXAMPLE
    Start-WoosooService -Name reverb, queue-worker -Path D:\woosoo

    Starts two services of the project in D:\woosoo.

    .OUTPUTS
    Woosoo.Service (with -PassThru)

    .LINK
    Get-WoosooService
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.Service')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath')]
        [string]$Path,

        [string]$Environment,

        [switch]$PassThru
    )
    begin { $state = New-WoosooServiceInput }
    process { Add-WoosooServiceInput -State $state -Name $Name -Path $Path }
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.start' -Action 'Start service' -State $state -PassThru:$PassThru }
}
