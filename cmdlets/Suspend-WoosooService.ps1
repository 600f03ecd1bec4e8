function Suspend-WoosooService {
    <#
    .SYNOPSIS
    Pauses services where the service manager can; neither NSSM nor PM2 can, and the error says so.

    .DESCRIPTION
    Asks the service manager to pause each service. NSSM refuses the PAUSE control for the applications it runs
    and PM2 has no pause, so with both backends every service gets a Woosoo.PauseNotSupported error explaining what
    to do instead (Stop-WoosooService). The cmdlet exists so that scripts written for Windows services get a clear
    answer instead of a silent no-op.

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
    Suspend-WoosooService -Name queue-worker

    Reports that the queue worker cannot be paused and suggests stopping it.

    .EXAMPLE
    Suspend-WoosooService -Name nginx -WhatIf

    Shows the service the request would go to.

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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.suspend' -Action 'Pause service' -State $state -PassThru:$PassThru }
}
