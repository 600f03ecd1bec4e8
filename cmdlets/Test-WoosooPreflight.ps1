function Test-WoosooPreflight {
    <#
    .SYNOPSIS
    Checks whether this machine is ready to deploy and run the Woosoo stack.

    .DESCRIPTION
    Runs every readiness check at once, in parallel, each probe with its own timeout
    (PREFLIGHT_PROBE_TIMEOUT_SECONDS, default 10 s; a tool that hangs is a Fail "timed out after N s"):

    - System: running elevated (Administrator / root), free disk on the project's drive, RAM, CPU cores, the
      operating system (Windows 10/11 or Server 2019+).
    - Tools: Node.js, PHP, Composer, the MySQL/MariaDB client, a real login to the configured database, nginx,
      mkcert, Git and Flutter (optional), and the service manager (NSSM on Windows, PM2 elsewhere).
    - PhpExtensions: mbstring, pdo_mysql, openssl, json, curl, bcmath, fileinfo, tokenizer.
    - Configuration: the rules of Test-WoosooConfig.
    - Network: each configured port is free or held by our own service (else the program and its PID are named);
      APP_IP is assigned to a local interface; with HTTPS_ENABLED, the certificate passes the checks of
      Test-WoosooCertificate.
    - Permissions: write access to the project folder, logs, backups, configs and certs; the service manager can
      be queried.

    Returns one Woosoo.PreflightCheck per result (Category, Name, Status Pass/Warn/Fail/Skip, Critical, Expected,
    Actual, Message, Fix, Duration), shown as a table grouped by category. Thresholds are PREFLIGHT_* keys of
    deployment.config.env (see docs/preflight.md).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name
    (ProjectPath, FullName). Default: $env:WOOSOO_PROJECT, else the folder you are in (or one above it).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Category
    Only these groups of checks: System, Tools, PhpExtensions, Configuration, Network, Permissions.

    .PARAMETER Quiet
    Return only $true (no critical check failed) or $false, for scripts and scheduled tasks.

    .PARAMETER Detailed
    Add the probe commands (Probe) and their raw output (RawOutput) to each result; with -Verbose they are also
    written as they run. Show them with Format-List.

    .EXAMPLE
    Test-WoosooPreflight

    Runs every check for the project in the current folder and shows the results grouped by category.

    .EXAMPLE
    if (-not (Test-WoosooPreflight -Path D:\woosoo -Quiet)) { throw 'The server is not ready' }

    Stops a scheduled deployment script when a critical check fails.

    .EXAMPLE
    Test-WoosooPreflight -Category Tools, PhpExtensions | Where-Object Status -ne 'Pass' | Format-List Name, Message, Fix

    Lists what is missing among the tools and PHP extensions, with what to do about each.

    .EXAMPLE
    Test-WoosooPreflight -Category Tools -Detailed | Format-List Name, Status, Probe, RawOutput

    Shows the commands each tool probe ran and what they printed.

    .OUTPUTS
    Woosoo.PreflightCheck, System.Boolean

    .LINK
    Test-WoosooConfig
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.PreflightCheck', [bool])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateSet('System', 'Tools', 'PhpExtensions', 'Configuration', 'Network', 'Permissions')]
        [string[]]$Category,

        [switch]$Quiet,

        [switch]$Detailed
    )
    process {
        $params = @{ quiet = $Quiet.IsPresent; detailed = $Detailed.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Category) { $params.categories = @($Category) }
        try {
            Invoke-WoosooRpc -Method 'preflight.run' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
