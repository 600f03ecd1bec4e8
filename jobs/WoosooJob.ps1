# Shared by the job scripts Task Scheduler runs (Invoke-WoosooScheduled*.ps1, dot-sourced): import the module from
# this install, run the job, log one line per run to <project>/logs/jobs/<job>.log and turn the outcome into the
# exit code the task reports as its Last Run Result:
#   0 success; 1 failed and rolled back; 2 failed and not rolled back; 3 refused before starting.

# ErrorIds that refuse a job before it changes anything (beside any error of category InvalidArgument or ResourceBusy).
$script:WoosooRefusals = @('ConfigInvalid', 'ConfigNotFound', 'ConfigUnreadable', 'ConfigEnvironmentNotFound', 'DeployLocked',
    'DeployInterruptedFound', 'PreflightFailed', 'BackupLocked', 'EngineNotFound', 'NodeNotFound', 'ModuleImportFailed')

function Get-WoosooJobExitCode {
    # $Deployment: the Woosoo.Deployment of a DeployFailed error (Get-WoosooDeployment -Id its TargetObject), if found.
    param([System.Management.Automation.ErrorRecord]$ErrorRecord, [object]$Deployment, [string]$Job)
    if ($null -eq $ErrorRecord) { return 0 }
    $id = ([string]$ErrorRecord.FullyQualifiedErrorId -split ',')[0] -replace '^Woosoo\.', ''
    if ($id -eq 'DeployFailed') {
        if ($Deployment) {
            if (@('Preflight', 'Lock') -contains [string]$Deployment.FailedStep) { return 3 }
            if ([string]$Deployment.Status -eq 'RolledBack') { return 1 }
            return 2
        }
        # No journal to read: the error's own words (its outcome) decide.
        $text = $ErrorRecord.Exception.Message
        if ($text -match ' at step (Preflight|Lock):') { return 3 }
        if ($text -match 'Outcome: Failed-RolledBack') { return 1 }
        return 2
    }
    if ($script:WoosooRefusals -contains $id) { return 3 }
    if (@('InvalidArgument', 'ResourceBusy') -contains [string]$ErrorRecord.CategoryInfo.Category) { return 3 }
    return 2
}

function Write-WoosooJobLog {
    param([string]$Path, [string]$Job, [int]$Code, [string]$Text)
    try {
        $folder = $Path
        if (Test-Path -LiteralPath $Path -PathType Leaf) { $folder = Split-Path -Parent $Path }
        $dir = Join-Path (Join-Path $folder 'logs') 'jobs'
        $null = New-Item -ItemType Directory -Path $dir -Force
        $line = '{0} exit {1} {2}' -f [DateTime]::Now.ToString('yyyy-MM-ddTHH:mm:sszzz'), $Code, ($Text -replace '\s*[\r\n]+\s*', ' ')
        Add-Content -LiteralPath (Join-Path $dir ($Job.ToLowerInvariant() + '.log')) -Value $line -Encoding UTF8
    }
    catch { Write-Warning "Could not write the job log: $($_.Exception.Message)" }
}

# Runs $Action (which gets the -Path/-Environment splat) and returns the exit code. The action returns an exit code
# of its own (e.g. 2 when a health check is Unhealthy) or throws the ErrorRecord of its failure.
function Invoke-WoosooJob {
    param([string]$Job, [string]$Path, [string]$Environment, [scriptblock]$Action)
    $common = @{ Path = $Path }
    if ($Environment) { $common.Environment = $Environment }
    try {
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'Woosoo.psd1') -ErrorAction Stop
    }
    catch {
        Write-WoosooJobLog -Path $Path -Job $Job -Code 3 -Text ('Woosoo.ModuleImportFailed: ' + $_.Exception.Message)
        [Console]::Error.WriteLine('Woosoo.ModuleImportFailed: ' + $_.Exception.Message)
        return 3
    }
    try {
        $result = & $Action $common
        $code = 0
        $text = 'succeeded'
        if ($result -is [int]) { $code = $result }
        elseif ($result) { $text = [string]$result }
        if ($code -ne 0) { $text = 'failed' }
    }
    catch {
        $err = $_
        $deployment = $null
        if ($err.FullyQualifiedErrorId -like 'Woosoo.DeployFailed*' -and $err.TargetObject) {
            try { $deployment = Get-WoosooDeployment @common -Id ([string]$err.TargetObject) -ErrorAction Stop } catch { $deployment = $null }
        }
        $code = Get-WoosooJobExitCode -ErrorRecord $err -Deployment $deployment -Job $Job
        $text = '{0}: {1}' -f ($err.FullyQualifiedErrorId -split ',')[0], $err.Exception.Message
        [Console]::Error.WriteLine($text)
    }
    Write-WoosooJobLog -Path $Path -Job $Job -Code $code -Text $text
    return $code
}
