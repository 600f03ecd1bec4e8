function Export-WoosooDiagnostics {
    <#
    .SYNOPSIS
    Writes one zip for support: versions, checks, health, services, the masked configuration, log tails and deploys.

    .DESCRIPTION
    Collects what a person helping with the project needs into one zip and returns it as a Woosoo.DiagnosticsBundle
    (Path, SizeBytes, the parts collected and the parts that failed). The zip holds:

      summary.txt         read this first: what is healthy, what failed, where to look
      errors.json         each part that could not be collected, with its error
      versions.json       Woosoo, PowerShell, Node, the tools (node, php, composer, mariadb, nginx, NSSM/PM2), the OS
      preflight.json      Test-WoosooPreflight -Detailed
      config-test.json    Test-WoosooConfig
      health.json         Get-WoosooHealth
      config.json         the configuration (every key, with its file and line), every secret masked
      services.json       Get-WoosooService with each service's definition and the NSSM/PM2 settings
      logs/               the last -LogLines lines of each service log (Laravel and nginx included)
      deployments/        the last 3 deployments: journal, report and build logs
      engine/, audit/     the engine's own log (logs/woosoo) and the audit trail (logs/audit)

    Every secret of deployment.config.env and of the apps' .env files is masked as ******** in every file, log lines
    included, also in its common encodings (URL-encoded, the base64 of APP_KEY, JSON-escaped).

    The export works when things are broken: a part that fails (the configuration is invalid, the database is down,
    a tool is missing, a probe hangs) becomes an entry of errors.json and a line of summary.txt, and the zip is
    written all the same. Each part has a deadline, so the export ends in seconds to a minute. Only a place the zip
    cannot be written fails the command, and then nothing is written.

    Without -OutFile the zip is logs/diagnostics/woosoo-diagnostics-<host>-<yyyyMMdd-HHmmss>.zip in the project
    (in the current folder when no project is found): a new name each time, never overwriting.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env.

    .PARAMETER OutFile
    The zip to write (relative to the current location). Its folder must exist. An existing file is replaced only
    with -Force. The zip is written to a temporary file beside it first, so a failed export leaves nothing half
    written.

    .PARAMETER LogLines
    How many of the last lines of each log the zip holds (1 to 100000). Default 500.

    .PARAMETER Force
    Replace -OutFile when it exists.

    .EXAMPLE
    Export-WoosooDiagnostics

    Writes logs/diagnostics/woosoo-diagnostics-<host>-<time>.zip in the current project and shows its path.

    .EXAMPLE
    Export-WoosooDiagnostics -Path D:\woosoo -OutFile $HOME\Desktop\woosoo-support.zip -LogLines 2000 -Force

    Writes the bundle of the project in D:\woosoo to the desktop with the last 2000 lines of each log.

    .EXAMPLE
    (Export-WoosooDiagnostics).PartsFailed

    Lists the parts that could not be collected (summary.txt and errors.json in the zip say why).

    .OUTPUTS
    Woosoo.DiagnosticsBundle

    .LINK
    Test-WoosooPreflight

    .LINK
    Get-WoosooHealth
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.DiagnosticsBundle')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [string]$OutFile,

        [ValidateRange(1, 100000)]
        [int]$LogLines = 500,

        [switch]$Force
    )
    process {
        $psVersion = '{0} {1}' -f $PSVersionTable.PSVersion, $PSVersionTable.PSEdition
        $module = $MyInvocation.MyCommand.Module
        $client = @{ PowerShell = $psVersion.Trim() }
        if ($module) { $client.Module = [string]$module.Version }
        $params = @{ logLines = $LogLines; force = $Force.IsPresent; client = $client }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $target = "a new zip in the project's logs/diagnostics folder"
        if ($OutFile) {
            $params.outFile = Resolve-WoosooPath -Path $OutFile -Cmdlet $PSCmdlet
            $target = $params.outFile
        }
        if (-not $PSCmdlet.ShouldProcess($target, 'Write a diagnostics bundle')) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path -NoEngineCall; return }
        try {
            Invoke-WoosooRpc -Method 'diagnostics.export' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
