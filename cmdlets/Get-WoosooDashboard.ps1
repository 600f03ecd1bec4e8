function Get-WoosooDashboard {
    <#
    .SYNOPSIS
    Shows the project's web dashboard: its state, URL and PID.

    .DESCRIPTION
    Reads the project's .woosoo/dashboard.json, written by the dashboard once it listens: Running (the process lives;
    its URL, PID, address, port, HTTPS and start time), Stopped (no dashboard), or Stale (the file names a process
    that is gone, e.g. after a crash or a restart of the machine; Start-WoosooDashboard or Stop-WoosooDashboard
    clears it).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay applies over deployment.config.env; the dashboard is the project's whatever its
    environment.

    .EXAMPLE
    Get-WoosooDashboard

    State, URL and PID of the current project's dashboard.

    .EXAMPLE
    (Get-WoosooDashboard -Path D:\woosoo).Url | ForEach-Object { Start-Process $_ }

    Opens the running dashboard in the default browser.

    .OUTPUTS
    Woosoo.DashboardInfo

    .LINK
    Start-WoosooDashboard

    .LINK
    Stop-WoosooDashboard
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.DashboardInfo')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        Invoke-WoosooDashboardRpc -Cmdlet $PSCmdlet -Method 'dashboard.get' -Path $Path -Environment $Environment
    }
}
