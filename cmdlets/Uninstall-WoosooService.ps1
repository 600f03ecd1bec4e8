function Uninstall-WoosooService {
    <#
    .SYNOPSIS
    Stops and removes the stack's services; their logs are kept.

    .DESCRIPTION
    Stops each service (reverse dependency order, waiting until its processes have exited) and removes it from
    the service manager (NSSM: the Windows service; PM2: the process and its process file). A service that is not
    installed is left alone. Log files in logs/<service>/ are kept. Asks for confirmation for each service
    (ConfirmImpact High): use -Confirm:$false in scripts.

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
    Uninstall-WoosooService -Name nginx

    Removes the nginx service after asking for confirmation.

    .EXAMPLE
    Uninstall-WoosooService -Confirm:$false

    Removes every service of the stack without asking, e.g. before moving the server.

    .EXAMPLE
    Get-WoosooService | Where-Object Status -eq Failed | Uninstall-WoosooService -WhatIf

    Shows which failed services would be removed.

    .OUTPUTS
    Woosoo.Service (with -PassThru)

    .LINK
    Get-WoosooService
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.uninstall' -Action 'Stop and remove service' -State $state -PassThru:$PassThru }
}
