function Start-WoosooDashboard {
    <#
    .SYNOPSIS
    Starts the project's web dashboard as a background process and returns its URL and PID.

    .DESCRIPTION
    Runs the Woosoo engine in dashboard mode, detached from this session: a web server over the same engine methods
    as the cmdlets, which goes on after PowerShell closes, until Stop-WoosooDashboard (or a restart of the machine:
    for a dashboard that survives restarts, install it as a service with Install-WoosooService -Dashboard).

    It listens on 127.0.0.1 (this machine only) unless told otherwise. Any other address opens it to the network,
    which needs -AllowRemote and is served over HTTPS with the project's certificate (CERTS_PATH\woosoo.pem, made by
    New-WoosooCertificate); without the certificate it is refused and nothing starts. The cmdlet returns once the
    dashboard listens; a port in use, or a host that fails to start, is an error saying why.

    The dashboard's state is in .woosoo/dashboard.json of the project, and its log in logs/woosoo/dashboard.log.
    Sign-ins need a dashboard user: make the first admin with New-WoosooDashboardUser.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production); the dashboard's methods run with it. Default: $env:WOOSOO_ENVIRONMENT,
    else ENVIRONMENT in deployment.config.env.

    .PARAMETER Port
    The TCP port, 1 to 65535 (default 8080).

    .PARAMETER BindAddress
    The address of this machine to listen on (default 127.0.0.1). A LAN address (or 0.0.0.0 for all) needs
    -AllowRemote and the project's certificate.

    .PARAMETER AllowRemote
    Allow an address other than loopback: the dashboard is then served over HTTPS with the project's certificate.

    .EXAMPLE
    Start-WoosooDashboard

    Starts the current project's dashboard at http://127.0.0.1:8080/.

    .EXAMPLE
    New-WoosooCertificate -Path D:\woosoo; Start-WoosooDashboard -Path D:\woosoo -BindAddress 192.168.1.20 -AllowRemote

    Makes the project's certificate, then serves the dashboard to the LAN at https://192.168.1.20:8080/.

    .EXAMPLE
    Start-WoosooDashboard -Port 9090 -WhatIf

    Shows what would start, starting nothing.

    .OUTPUTS
    Woosoo.DashboardInfo

    .LINK
    Stop-WoosooDashboard

    .LINK
    Get-WoosooDashboard

    .LINK
    New-WoosooDashboardUser
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.DashboardInfo')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateRange(1, 65535)]
        [int]$Port = 8080,

        [ValidateNotNullOrEmpty()]
        [string]$BindAddress = '127.0.0.1',

        [switch]$AllowRemote
    )
    process {
        $params = @{ port = $Port; bindAddress = $BindAddress; allowRemote = $AllowRemote.IsPresent }
        if (-not $PSCmdlet.ShouldProcess(('the web dashboard on {0} port {1}' -f $BindAddress, $Port), 'Start')) {
            Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path (Resolve-WoosooPath -Path $Path -Cmdlet $PSCmdlet) -NoEngineCall; return
        }
        Invoke-WoosooDashboardRpc -Cmdlet $PSCmdlet -Method 'dashboard.start' -Path $Path -Environment $Environment -Params $params
    }
}
