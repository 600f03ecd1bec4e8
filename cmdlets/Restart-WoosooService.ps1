function Restart-WoosooService {
    <#
    .SYNOPSIS
    Restarts the stack's services and waits until they are really running again.

    .DESCRIPTION
    Restarts each service in dependency order (a stopped one is started) and waits until it is really running
    again, as Start-WoosooService does. Use it after changing the configuration or deploying new code.

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
    Restart-WoosooService -Name reverb

    Restarts the Reverb websocket service.

    .EXAMPLE
    Restart-WoosooService -PassThru | Format-Table Name, Status, ProcessId

    Restarts the stack and shows the new processes.

    .EXAMPLE
    Get-WoosooService -Name *worker* | Restart-WoosooService

    Restarts the queue worker through the pipeline.

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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.restart' -Action 'Restart service' -State $state -PassThru:$PassThru }
}
