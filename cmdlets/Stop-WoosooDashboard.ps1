function Stop-WoosooDashboard {
    <#
    .SYNOPSIS
    Stops the project's web dashboard started by Start-WoosooDashboard.

    .DESCRIPTION
    Ends the dashboard process named by the project's .woosoo/dashboard.json (on Linux, only if that process is a
    dashboard host) and removes the file, also when the process is already gone (a Stale dashboard). Everyone signed
    in is signed out. A dashboard installed as a service is stopped with Stop-WoosooService instead.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName),
    so Get-WoosooDashboard | Stop-WoosooDashboard works.

    .PARAMETER Environment
    The environment whose overlay applies over deployment.config.env; the dashboard is the project's whatever its
    environment.

    .PARAMETER PassThru
    Return the stopped dashboard as a Woosoo.DashboardInfo object (State Stopped).

    .EXAMPLE
    Stop-WoosooDashboard

    Stops the current project's dashboard.

    .EXAMPLE
    Get-WoosooDashboard -Path D:\woosoo | Stop-WoosooDashboard -PassThru

    Stops that project's dashboard and shows what was stopped.

    .OUTPUTS
    Woosoo.DashboardInfo (with -PassThru)

    .LINK
    Start-WoosooDashboard

    .LINK
    Get-WoosooDashboard
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.DashboardInfo')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [switch]$PassThru
    )
    process {
        if (-not $PSCmdlet.ShouldProcess('the web dashboard of the project', 'Stop')) {
            Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path (Resolve-WoosooPath -Path $Path -Cmdlet $PSCmdlet) -NoEngineCall; return
        }
        $stopped = Invoke-WoosooDashboardRpc -Cmdlet $PSCmdlet -Method 'dashboard.stop' -Path $Path -Environment $Environment
        if ($PassThru) { $stopped }
    }
}
