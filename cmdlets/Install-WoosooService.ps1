function Install-WoosooService {
    <#
    .SYNOPSIS
    Installs the stack's services, or updates existing ones to the configuration.

    .DESCRIPTION
    Creates each service from its definition in deployment.config.env: the application and its arguments
    (php artisan reverb:start / queue:work in BACKEND_PATH, nginx with configs/nginx.conf), the working folder, stdout
    and stderr to logs/<service>/output.log and error.log, log rotation by size and while running (LOG_ROTATE_BYTES),
    restart when the application exits, a crash-loop throttle (SERVICE_THROTTLE_MS), automatic start, the
    dependencies (SERVICE_DB_NAME, reverb before nginx), a display name and a description. A service that exists
    already is updated to the definition instead of failing. Rotated logs beyond LOG_RETENTION_COUNT or older than
    LOG_RETENTION_DAYS are deleted. Installing does not start a service.

    On Windows the services are installed with NSSM (run as Administrator); elsewhere they are PM2 process files
    (SERVICE_MANAGER chooses).

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
    Install-WoosooService

    Installs (or updates) the three services of the current project.

    .EXAMPLE
    Install-WoosooService -Name reverb -WhatIf

    Shows which service would be installed, without changing anything.

    .EXAMPLE
    Install-WoosooService -PassThru | Start-WoosooService -PassThru

    Installs every service, then starts them in dependency order and shows their state.

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
    end { Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.install' -Action 'Install or update service' -State $state -PassThru:$PassThru }
}
