<#
.SYNOPSIS
The old Woosoo Deployment Manager command line (woosoo-deploy-manager.exe, python deployment_manager\main.py),
mapped onto the Woosoo cmdlets. Deprecated: use the cmdlets (docs/legacy-cli.md).

.DESCRIPTION
woosoo [--project-root <dir>] <command> [<service>] [--verbose] [--confirm]

Prints text, not objects, and exits with 0 (done), 1 (a failure: a failed check, a service that did not start,
a project or engine error, an uninstall answered No) or 2 (bad usage: an unknown command, service or option, or
uninstall without --confirm where nobody can answer the question). A one-line deprecation hint on stderr names
the cmdlet to use instead; WOOSOO_NO_DEPRECATION=1 turns it off.
#>
# Not module code: a script file run by pwsh/powershell.exe -File (woosoo.cmd, the sh wrapper), so it may exit.
# Windows PowerShell 5.1 syntax and ASCII only (5.1 reads a BOM-less script in the ANSI code page).
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$script:Services = [ordered]@{ backend = 'backend'; reverb = 'reverb'; queue = 'queue-worker'; 'queue-worker' = 'queue-worker'; nginx = 'nginx'; all = $null }
$script:Cmdlets = @{
    check = 'Test-WoosooPreflight'; install = 'Install-WoosooService'; uninstall = 'Uninstall-WoosooService'
    start = 'Start-WoosooService'; stop = 'Stop-WoosooService'; restart = 'Restart-WoosooService'
    config = 'Get-WoosooConfig'; dashboard = 'Get-WoosooService'; version = 'Get-Module Woosoo'; help = 'Get-Help about_Woosoo'
}

function Write-Line {
    # Text for a person, straight to stdout: the functions below return only their exit code down the pipeline.
    param([string]$Text)
    [Console]::Out.WriteLine($Text)
}

function Write-Usage {
    param([System.IO.TextWriter]$To = [Console]::Out)
    $To.WriteLine(@'
Usage: woosoo [--project-root <dir>] <command> [<service>] [options]

The old Woosoo Deployment Manager command line, kept for wrappers and scheduled tasks.
Deprecated: use the Woosoo cmdlets (Get-Help about_Woosoo; docs/legacy-cli.md in the module folder).

Commands:
  check [--verbose|-v]           readiness and configuration checks   Test-WoosooPreflight, Test-WoosooConfig
  install <service>              install services                     Install-WoosooService
  uninstall <service> --confirm  stop and remove services             Uninstall-WoosooService
  start <service>                start services, wait until running   Start-WoosooService
  stop <service>                 stop services                        Stop-WoosooService
  restart <service>              restart services                     Restart-WoosooService
  config                         the configuration, secrets masked    Get-WoosooConfig, Test-WoosooConfig
  dashboard                      the services and their status        Get-WoosooService
  version                        module and engine versions
  help, --help, -h               this text

Services: backend, reverb, queue, nginx, all.
Options:
  --project-root <dir>  the project folder (default: $env:WOOSOO_PROJECT, $env:WOOSOO_PROJECT_ROOT, else the
                        current folder or the nearest one above it with deployment.config.env)
  --verbose, -v         every check (check) or the cmdlets' verbose messages (other commands)
  --confirm             uninstall without asking (required when nobody can answer)
Exit codes: 0 done, 1 failed, 2 bad usage. WOOSOO_NO_DEPRECATION=1 hides the deprecation hint on stderr.
'@)
}

function Stop-Usage {
    # Bad usage: the reason and the usage on stderr, exit code 2.
    param([string]$Message, [switch]$NoUsage)
    [Console]::Error.WriteLine("woosoo: $Message")
    if (-not $NoUsage) { [Console]::Error.WriteLine(''); Write-Usage -To ([Console]::Error) }
    exit 2
}

function Write-Failure {
    # An error record as two lines on stderr: what failed, and what to do about it.
    param($Record)
    $target = [string]$Record.TargetObject
    $prefix = 'error'
    if ($target) { $prefix = "FAILED $target" }
    [Console]::Error.WriteLine("${prefix}: $($Record.Exception.Message)")
    if ($Record.ErrorDetails -and $Record.ErrorDetails.RecommendedAction) {
        [Console]::Error.WriteLine("  -> $($Record.ErrorDetails.RecommendedAction)")
    }
}

function ConvertFrom-WoosooArgument {
    # The old click grammar: --project-root before or after the command, flags anywhere, one service argument.
    param([string[]]$Arguments)
    $parsed = @{ Command = $null; Operands = @(); Verbose = $false; Confirm = $false; Help = $false; ProjectRoot = $null }
    for ($i = 0; $i -lt $Arguments.Count; $i++) {
        $arg = $Arguments[$i]
        switch -Regex ($arg) {
            '^(--verbose|-v)$' { $parsed.Verbose = $true; continue }
            '^--confirm$' { $parsed.Confirm = $true; continue }
            '^(--help|-h|/\?)$' { $parsed.Help = $true; continue }
            '^--project-root=(.+)$' { $parsed.ProjectRoot = $Matches[1]; continue }
            '^--project-root$' {
                if ($i + 1 -ge $Arguments.Count) { Stop-Usage '--project-root needs a folder' }
                $i++; $parsed.ProjectRoot = $Arguments[$i]; continue
            }
            '^-' { Stop-Usage "unknown option '$arg'" }
            default {
                if ($null -eq $parsed.Command) { $parsed.Command = $arg.ToLowerInvariant() } else { $parsed.Operands += $arg }
            }
        }
    }
    return $parsed
}

function Write-DeprecationHint {
    param([string]$Command)
    if ($env:WOOSOO_NO_DEPRECATION -eq '1') { return }
    $instead = $script:Cmdlets[$Command]
    [Console]::Error.WriteLine("woosoo ${Command}: deprecated, use $instead (Get-Help $(($instead -split ' ')[0])); WOOSOO_NO_DEPRECATION=1 hides this line")
}

function Test-Interactive {
    # Somebody can answer a question: a console on stdin and no -NonInteractive on pwsh's command line.
    if ([Console]::IsInputRedirected -or -not [Environment]::UserInteractive) { return $false }
    foreach ($a in [Environment]::GetCommandLineArgs()) { if ($a -match '^[-/]noni') { return $false } }
    return $true
}

function Invoke-Quietly {
    # Runs a cmdlet with its errors collected instead of shown: @{ Output; Errors } (a terminating error included).
    param([string]$Name, [hashtable]$Parameters)
    $failures = $null
    $output = @()
    try { $output = @(& $Name @Parameters -ErrorAction SilentlyContinue -ErrorVariable failures) }
    catch { $failures = @($failures) + $_ }
    # -ErrorVariable holds one record per function frame the error passed through: keep one per exception.
    $unique = New-Object System.Collections.ArrayList
    foreach ($f in @($failures)) {
        if ($null -eq $f) { continue }
        if (@($unique | Where-Object { [object]::ReferenceEquals($_.Exception, $f.Exception) }).Count -eq 0) { [void]$unique.Add($f) }
    }
    return @{ Output = $output; Errors = @($unique) }
}

function Invoke-ServiceCommand {
    param([string]$Command, $Parsed, [hashtable]$Common)
    if ($Parsed.Operands.Count -ne 1) { Stop-Usage "$Command needs one service: $(@($script:Services.Keys) -join ', ')" }
    $old = $Parsed.Operands[0].ToLowerInvariant()
    if (-not $script:Services.Contains($old)) { Stop-Usage "unknown service '$($Parsed.Operands[0])'; the services are $(@($script:Services.Keys) -join ', ')" }
    if ($Command -eq 'uninstall' -and -not $Parsed.Confirm) {
        if (-not (Test-Interactive)) { Stop-Usage -NoUsage "uninstall $old needs --confirm when nobody can answer the question; nothing was changed" }
        $answer = Read-Host "Are you sure you want to uninstall ${old}? [y/N]"
        if ($answer -notmatch '^(y|yes)$') { Write-Line 'Cancelled; nothing was changed.'; return 1 }
    }
    $params = @{} + $Common
    if ($script:Services[$old]) { $params.Name = $script:Services[$old] }
    $cmdlet = $script:Cmdlets[$Command]
    $doing = @{ install = 'Installing'; uninstall = 'Uninstalling'; start = 'Starting'; stop = 'Stopping'; restart = 'Restarting' }
    Write-Line "$($doing[$Command]) $old..."
    $params.PassThru = $true
    $params.Confirm = $false
    $r = Invoke-Quietly $cmdlet $params
    $failed = @($r.Errors | ForEach-Object { [string]$_.TargetObject })
    foreach ($s in $r.Output) {
        if ($failed -contains $s.Name) { continue }
        $line = "OK   $($s.Name): $($s.Status)"
        if ($s.ProcessId) { $line += " (pid $($s.ProcessId))" }
        Write-Line $line
    }
    foreach ($e in $r.Errors) { Write-Failure $e }
    if ($r.Errors.Count -gt 0) { return 1 }
    return 0
}

function Invoke-CheckCommand {
    param($Parsed, [hashtable]$Common)
    $config = Invoke-Quietly 'Test-WoosooConfig' $Common
    $checks = Invoke-Quietly 'Test-WoosooPreflight' $Common
    foreach ($e in $config.Errors + $checks.Errors) { Write-Failure $e }
    if ($config.Errors.Count -gt 0 -or $checks.Errors.Count -gt 0) { return 1 }
    $mark = @{ Pass = 'PASS'; Warn = 'WARN'; Fail = 'FAIL'; Skip = 'SKIP' }
    foreach ($c in $checks.Output) {
        if (-not $Parsed.Verbose -and $c.Status -ne 'Fail') { continue }
        Write-Line ("[{0}] {1}/{2} - {3}" -f $mark[[string]$c.Status], $c.Category, $c.Name, $c.Message)
        if ($c.Status -ne 'Pass' -and $c.Fix) { Write-Line "       -> $($c.Fix)" }
    }
    foreach ($p in $config.Output) {
        Write-Line ("[{0}] config {1} - {2}" -f ([string]$p.Severity).ToUpperInvariant(), $p.Key, $p.Message)
    }
    $count = { param($status) @($checks.Output | Where-Object { $_.Status -eq $status }).Count }
    $critical = @($checks.Output | Where-Object { $_.Status -eq 'Fail' -and $_.Critical }).Count
    $configErrors = @($config.Output | Where-Object { $_.Severity -eq 'Error' }).Count
    Write-Line ''
    Write-Line ("Total: {0} | Passed: {1} | Warnings: {2} | Failed: {3} | Critical: {4} | Configuration errors: {5}" -f `
            $checks.Output.Count, (& $count 'Pass'), (& $count 'Warn'), (& $count 'Fail'), $critical, $configErrors)
    if ($critical -eq 0 -and $configErrors -eq 0) { Write-Line 'All critical checks passed - ready for deployment'; return 0 }
    Write-Line 'Critical checks failed - cannot proceed'
    return 1
}

function Invoke-ConfigCommand {
    param([hashtable]$Common)
    $values = Invoke-Quietly 'Get-WoosooConfig' (@{ Name = '*' } + $Common)
    foreach ($e in $values.Errors) { Write-Failure $e }
    if ($values.Errors.Count -gt 0) { return 1 }
    $width = ($values.Output | ForEach-Object { $_.Name.Length } | Measure-Object -Maximum).Maximum
    Write-Line 'Current configuration (secrets masked):'
    foreach ($v in $values.Output) { Write-Line ("  {0} = {1}" -f $v.Name.PadRight($width), $v.Value) }
    $problems = Invoke-Quietly 'Test-WoosooConfig' $Common
    foreach ($e in $problems.Errors) { Write-Failure $e }
    $errors = @($problems.Output | Where-Object { $_.Severity -eq 'Error' })
    if ($problems.Errors.Count -eq 0 -and $errors.Count -eq 0) { Write-Line ''; Write-Line 'Configuration is valid'; return 0 }
    Write-Line ''
    Write-Line 'Configuration has errors:'
    foreach ($p in $errors) { Write-Line "  * $($p.Key): $($p.Message)" }
    return 1
}

function Invoke-DashboardCommand {
    param([hashtable]$Common)
    $r = Invoke-Quietly 'Get-WoosooService' $Common
    foreach ($e in $r.Errors) { Write-Failure $e }
    foreach ($s in $r.Output) { Write-Line ("{0,-28} {1,-13} {2}" -f $s.Name, $s.Status, $s.DisplayName) }
    if ($r.Errors.Count -gt 0) { return 1 }
    return 0
}

function Invoke-VersionCommand {
    $module = Get-Module Woosoo
    Write-Line 'Woosoo (PowerShell module; replaces Woosoo Deployment Manager 2.0.0)'
    Write-Line "Module: $($module.Version)"
    # The engine reports its version in the initialize handshake; ask the module's own engine for it.
    try { $engine = & $module { (Get-WoosooEngine -Cmdlet $null).Info.engineVersion } }
    catch { Write-Failure $_; return 1 }
    Write-Line "Engine: $engine"
    Write-Line "PowerShell: $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition))"
    return 0
}

# ---- main ------------------------------------------------------------------------------------------------------
$parsed = ConvertFrom-WoosooArgument -Arguments $args
if ($parsed.Help -or $parsed.Command -eq 'help') { Write-Usage; exit 0 }
if ($null -eq $parsed.Command) { $parsed.Command = 'dashboard' }   # the old tool's default
$command = $parsed.Command
if (-not $script:Cmdlets.ContainsKey($command)) { Stop-Usage "unknown command '$command'" }
if ($command -ne 'install' -and $command -ne 'uninstall' -and $command -notmatch '^(start|stop|restart)$' -and $parsed.Operands.Count -gt 0) {
    Stop-Usage "$command takes no argument ('$($parsed.Operands -join ' ')')"
}
if ($parsed.Confirm -and $command -ne 'uninstall') { Stop-Usage '--confirm goes with uninstall' }

$common = @{}
$project = $parsed.ProjectRoot
if (-not $project -and -not $env:WOOSOO_PROJECT -and $env:WOOSOO_PROJECT_ROOT) { $project = $env:WOOSOO_PROJECT_ROOT }
if ($project) { $common.Path = $project }
if ($parsed.Verbose -and $command -ne 'check') { $common.Verbose = $true }

Write-DeprecationHint -Command $command
try { Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'Woosoo.psd1')) }
catch { Write-Failure $_; exit 1 }

switch ($command) {
    'check' { $code = Invoke-CheckCommand -Parsed $parsed -Common $common }
    'config' { $code = Invoke-ConfigCommand -Common $common }
    'dashboard' { $code = Invoke-DashboardCommand -Common $common }
    'version' { $code = Invoke-VersionCommand }
    default { $code = Invoke-ServiceCommand -Command $command -Parsed $parsed -Common $common }
}
# A function's exit code is its last output; the text before it went to the pipeline already.
exit [int]$code
