function Stop-WoosooService {
    <#
    .SYNOPSIS
    Stops the stack's services in reverse dependency order and waits until their processes exit.

    .DESCRIPTION
    Stops each service in reverse dependency order (nginx first, then the PHP services) and waits until the
    service manager reports it stopped and its processes have exited, up to SERVICE_STOP_TIMEOUT_SECONDS. A service
    that is already stopped, or not installed, is left alone.

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
    Stop-WoosooService

    Stops the whole stack, nginx first.

    .EXAMPLE
    Stop-WoosooService -Name *queue* -PassThru

    Stops the queue worker and shows its state.

    .EXAMPLE
    Get-WoosooService | Where-Object Status -eq Throttled | Stop-WoosooService

    Stops the services that are crash-looping.

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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.stop' -Action 'Stop service' -State $state -PassThru:$PassThru }
}
