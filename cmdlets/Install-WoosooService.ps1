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

    .PARAMETER Dashboard
    Install (or update) the web dashboard's service instead of the stack's: <SERVICE_PREFIX>-dashboard runs the Woosoo
    engine in dashboard mode, started at boot and restarted when it exits, as Start-WoosooDashboard runs it in the
    background. Its options go to .woosoo/dashboard.service.json. Start it with Start-WoosooService -Name dashboard;
    Get-WoosooDashboard shows its URL. Deploys and health checks leave it alone.

    .PARAMETER Port
    With -Dashboard: the TCP port (default 8080).

    .PARAMETER BindAddress
    With -Dashboard: the address to listen on (default 127.0.0.1). Another address needs -AllowRemote and the
    project's certificate (New-WoosooCertificate).

    .PARAMETER AllowRemote
    With -Dashboard: allow an address other than loopback, served over HTTPS with the project's certificate.

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

    .EXAMPLE
    Install-WoosooService -Dashboard -Port 8080; Start-WoosooService -Name dashboard

    Installs the web dashboard as a service on http://127.0.0.1:8080/ and starts it.

    .OUTPUTS
    Woosoo.Service (with -PassThru)

    .LINK
    Get-WoosooService
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Stack')]
    [OutputType('Woosoo.Service')]
    param(
        [Parameter(ParameterSetName = 'Stack', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ParameterSetName = 'Dashboard', Mandatory)]
        [switch]$Dashboard,

        [Parameter(ParameterSetName = 'Dashboard')]
        [ValidateRange(1, 65535)]
        [int]$Port = 8080,

        [Parameter(ParameterSetName = 'Dashboard')]
        [ValidateNotNullOrEmpty()]
        [string]$BindAddress = '127.0.0.1',

        [Parameter(ParameterSetName = 'Dashboard')]
        [switch]$AllowRemote,

        [switch]$PassThru
    )
    begin { $state = New-WoosooServiceInput }
    process { Add-WoosooServiceInput -State $state -Name $Name -Path $Path }
    end {
        if (-not $Dashboard) {
            Invoke-WoosooServiceAction -Cmdlet $PSCmdlet -Method 'services.install' -Action 'Install or update service' -State $state -PassThru:$PassThru
            return
        }
        $params = @{ dashboard = @{ port = $Port; bindAddress = $BindAddress; allowRemote = $AllowRemote.IsPresent } }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $state.Path -Environment $Environment -Cmdlet $PSCmdlet
        if (-not $PSCmdlet.ShouldProcess(('the web dashboard service ({0} port {1})' -f $BindAddress, $Port), 'Install or update service')) {
            Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved -NoEngineCall; return
        }
        try {
            $result = Invoke-WoosooRpc -Method 'services.install' -Params $params -Cmdlet $PSCmdlet
            if ($PassThru) { $result }
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_
        }
    }
}
