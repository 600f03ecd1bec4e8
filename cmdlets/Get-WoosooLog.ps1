function Get-WoosooLog {
    <#
    .SYNOPSIS
    Gets log entries of the Woosoo stack (services, Laravel, nginx, deployments) as objects, merged in time order.

    .DESCRIPTION
    Reads the logs of the project: each service's logs/<service>/output.log and error.log with their rotated files,
    the Laravel log (BACKEND_PATH/storage/logs/laravel*.log), nginx's access and error logs (logs/nginx/) and
    Woosoo's own deployment logs (logs/deployment/). Every entry is a Woosoo.LogEntry with Timestamp, Service,
    Level (Error, Warning, Info, Debug), Message, Source (the file) and Line. A Laravel error keeps its stack trace
    in the same entry; nginx access lines get their level from the HTTP status (5xx Error, 4xx Warning).
    Entries of several services are merged by timestamp.

    Large files are streamed (memory stays flat). -Tail reads from the end of the files instead of the whole file.
    -Pattern is tested on the raw lines before anything is parsed, so searching a large log is close to grep's
    speed. -Wait keeps following the live files, across rotation, until you press Ctrl+C.

    Export is the pipeline's job: | Export-Csv, | ConvertTo-Json, | Out-File.

    .PARAMETER Service
    Services to read, named as Get-WoosooService -Name names them: full (woosoo-backend) or short (backend,
    queue-worker, reverb, nginx); also laravel and deployment. Wildcards are allowed; all (the default) reads every
    log of the project. Accepts pipeline input by property name (Service, Name), so the
    objects of Get-WoosooService can be piped in.

    .PARAMETER Tail
    Only the last N entries (after -Level, -Pattern, -Since and -Until), read from the end of the files.

    .PARAMETER Wait
    After the existing entries (the last 10 unless -Tail says otherwise), keep following the logs and output new
    entries as they are written, across log rotation, until Ctrl+C (or until -Until passes).

    .PARAMETER Level
    Minimum level: Error (errors only), Warning (warnings and errors), Info, Debug (everything).

    .PARAMETER Pattern
    A regular expression. An entry is returned when one of its lines matches (a Laravel entry also when a line of
    its stack trace matches). Case-insensitive unless -CaseSensitive is given.

    .PARAMETER CaseSensitive
    Match -Pattern case-sensitively.

    .PARAMETER Since
    Only entries at or after this time: a [datetime], a date string, or a span back from now such as 30s, 15m,
    2h, 7d or 2w (or a [timespan]). A bare number (30) is refused with Woosoo.LogTimeInvalid: add the unit.

    .PARAMETER Until
    Only entries at or before this time (same forms as -Since). With -Wait, following stops at that time.

    .PARAMETER Path
    The project folder or its deployment.config.env. Defaults to $env:WOOSOO_PROJECT, else the folder you are in
    (or one above it). Accepts pipeline input by property name (ProjectPath).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .EXAMPLE
    Get-WoosooLog -Service backend -Tail 50

    The last 50 entries of the backend service's output and error logs, oldest first.

    .EXAMPLE
    Get-WoosooLog -Level Error -Since 2h

    Every error of every service, Laravel and nginx in the last two hours, in time order.

    .EXAMPLE
    Get-WoosooLog -Service laravel -Pattern 'SQLSTATE' | Select-Object -First 1 -ExpandProperty Message

    The first database error in the Laravel log, with its whole stack trace.

    .EXAMPLE
    Get-WoosooLog -Service nginx, queue* -Wait

    Follows nginx and the queue workers like tail -f, across log rotation, until Ctrl+C.

    .EXAMPLE
    Get-WoosooLog -Since (Get-Date).Date -Level Warning | Export-Csv -Path today.csv -NoTypeInformation

    Today's warnings and errors into a CSV file.

    .OUTPUTS
    Woosoo.LogEntry

    .LINK
    Get-WoosooHealth
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.LogEntry')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [SupportsWildcards()]
        [string[]]$Service,

        [ValidateRange(1, 2147483647)]
        [int]$Tail,

        [switch]$Wait,

        [ValidateSet('Error', 'Warning', 'Info', 'Debug')]
        [string]$Level,

        [string]$Pattern,

        [switch]$CaseSensitive,

        [object]$Since,

        [object]$Until,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath')]
        [string]$Path,

        [string]$Environment
    )
    begin {
        $services = New-Object System.Collections.Generic.List[string]
        $projectPath = $null
    }
    process {
        foreach ($name in @($Service)) {
            if (-not [string]::IsNullOrWhiteSpace($name)) { $services.Add($name) }
        }
        if ($Path) { $projectPath = $Path }
    }
    end {
        try {
            $params = @{ wait = $Wait.IsPresent; caseSensitive = $CaseSensitive.IsPresent }
            $null = Add-WoosooProjectParameter -Params $params -Path $projectPath -Environment $Environment -Cmdlet $PSCmdlet
            if ($services.Count -gt 0) { $params.services = @($services.ToArray()) }
            if ($PSBoundParameters.ContainsKey('Tail')) { $params.tail = $Tail }
            if ($Level) { $params.level = (Get-Culture).TextInfo.ToTitleCase($Level.ToLowerInvariant()) }
            if ($PSBoundParameters.ContainsKey('Pattern') -and $Pattern -ne '') { $params.pattern = $Pattern }
            if ($null -ne $Since) { $params.since = ConvertTo-WoosooLogTime -Value $Since -Name 'Since' }
            if ($null -ne $Until) { $params.until = ConvertTo-WoosooLogTime -Value $Until -Name 'Until' }
            Invoke-WoosooRpc -Method 'logs.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
