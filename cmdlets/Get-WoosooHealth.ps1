function Get-WoosooHealth {
    <#
    .SYNOPSIS
    Checks the health of the Woosoo stack: services, resources and the application, as objects.

    .DESCRIPTION
    Runs every health check at once, each with its own timeout (HEALTH_TIMEOUT_SECONDS), and returns one
    Woosoo.HealthCheck per check: Category (Service, Resource, Application), Name, Status (Healthy, Degraded,
    Unhealthy, Unknown), Value, Threshold, LatencyMs, Message and Target.

    Checks: each configured port accepts connections; a real WebSocket handshake with Reverb; a database
    connection with the MariaDB client and the Laravel queue's pending (jobs) and failed (failed_jobs) counts;
    HTTP GET of the backend's HEALTH_ENDPOINT through nginx and directly (a JSON body with "db": false is
    Unhealthy even with status 200) and of every HEALTH_URLS entry; total CPU, memory in use and free disk space.
    Thresholds come from the HEALTH_* keys of deployment.config.env.

    With -Watch the checks run again every -Interval and each round is written as it completes, until
    you press Ctrl+C; each check that turns Unhealthy or recovers is a warning and one webhook message (-Alert).
    With -Quiet only $true (every check Healthy) or $false is returned. The CPU check is Degraded only when the
    load stays over HEALTH_CPU_WARN_PERCENT for HEALTH_CPU_SAMPLES rounds in a row: a short spike stays Healthy.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name
    (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Category
    Only checks of these categories: Service, Resource, Application.

    .PARAMETER Name
    Only checks whose name matches; wildcards are allowed ('Port *', 'Queue *').

    .PARAMETER Watch
    Repeat the checks every -Interval until Ctrl+C.

    .PARAMETER Interval
    The time between rounds with -Watch (default 5s), from 1s to 1d: a [TimeSpan] or a number with a unit such as
    10s, 2m or 1h. A bare number (10) is refused with Woosoo.HealthIntervalInvalid: add the unit.

    .PARAMETER Quiet
    Return only $true when every check is Healthy, else $false (one per round with -Watch).

    .PARAMETER Alert
    Notify the webhook (HEALTH_WEBHOOK_URL, else DEPLOY_WEBHOOK_URL) of each check that turned Unhealthy (or the
    HEALTH_ALERT_STATUS) or recovered since the last run, one message per change, as the scheduled health job does.
    The last statuses are kept in logs/health/state.json. Always on with -Watch.

    .EXAMPLE
    Get-WoosooHealth

    Runs every check for the project of the current folder and shows them as a table.

    .EXAMPLE
    Get-WoosooHealth | Where-Object Status -ne 'Healthy' | Format-List Name, Status, Message

    Shows only what needs attention, with the full messages.

    .EXAMPLE
    Get-WoosooHealth -Category Service -Watch -Interval 10s

    Watches the services every 10 seconds until Ctrl+C.

    .EXAMPLE
    if (-not (Get-WoosooHealth -Path D:\woosoo -Quiet)) { Send-MailMessage ... }

    Alerts from a scheduled task when anything is not Healthy.

    .OUTPUTS
    Woosoo.HealthCheck, System.Boolean

    .LINK
    Test-WoosooCertificate
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.HealthCheck', [bool])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateSet('Service', 'Resource', 'Application')]
        [string[]]$Category,

        [SupportsWildcards()]
        [string[]]$Name,

        [switch]$Watch,

        [ValidateNotNull()]
        [object]$Interval = '5s',

        [switch]$Quiet,

        [switch]$Alert
    )
    process {
        try {
            $every = ConvertTo-WoosooTimeSpan -Value $Interval -Name 'Interval' -ErrorId 'HealthIntervalInvalid'
            if ($every.TotalSeconds -lt 1 -or $every.TotalSeconds -gt 86400) {
                throw (New-WoosooErrorRecord -ErrorId 'HealthIntervalInvalid' -Category InvalidArgument -TargetObject ([string]$Interval) `
                        -Message "-Interval '$Interval' is out of range." -RecommendedAction 'Pass a span from 1s to 1d, such as 10s or 5m.')
            }
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        $params = @{ watch = $Watch.IsPresent; intervalSeconds = $every.TotalSeconds; quiet = $Quiet.IsPresent; alert = $Alert.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Category) { $params.categories = @($Category) }
        if ($Name) { $params.names = @($Name) }
        try {
            Invoke-WoosooRpc -Method 'health.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
