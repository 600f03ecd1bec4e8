function Resume-WoosooService {
    <#
    .SYNOPSIS
    Retries a throttled (crash-looping) service at once and waits until it runs.

    .DESCRIPTION
    A service whose application keeps exiting is Throttled: the service manager waits longer and longer before
    each restart (NSSM shows it as SERVICE_PAUSED). After fixing the cause, Resume-WoosooService makes it retry at
    once (NSSM: the CONTINUE control; PM2: reset of its restart counters and a restart) and waits until it is really
    running. A running service is left alone; a stopped one is an error (use Start-WoosooService).

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
    Get-WoosooService | Where-Object Status -eq Throttled | Resume-WoosooService -PassThru

    Retries every crash-looping service now and shows whether it runs.

    .EXAMPLE
    Resume-WoosooService -Name reverb

    Retries the Reverb service after its port conflict was fixed.

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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.resume' -Action 'Resume service' -State $state -PassThru:$PassThru }
}
