# The engine process: where it is, starting it (with stderr drained into a ring buffer), the handshake,
# and stopping it. One engine per PowerShell session, started on the first cmdlet and kept.

function Test-WoosooWindows {
    [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

function Get-WoosooEngineCommand {
    # Returns @{ FileName; Arguments } for the engine: the single executable if it was built, else the
    # bundled .cjs run by the node on PATH. Throws Woosoo.EngineNotFound with the fix.
    [CmdletBinding()]
    param()
    $bin = Join-Path $script:WoosooModuleRoot 'bin'
    $exeName = 'woosoo-engine'
    if (Test-WoosooWindows) { $exeName = 'woosoo-engine.exe' }
    $exe = Join-Path $bin $exeName
    if (Test-Path -LiteralPath $exe -PathType Leaf) {
        return @{ FileName = $exe; Arguments = '' }
    }
    $cjs = Join-Path $bin 'woosoo-engine.cjs'
    if (-not (Test-Path -LiteralPath $cjs -PathType Leaf)) {
        throw (New-WoosooErrorRecord -ErrorId 'EngineNotFound' -Category ObjectNotFound -TargetObject $cjs `
            -Message "The Woosoo engine is not built: neither $exe nor $cjs exists." `
            -RecommendedAction "In the module folder ($script:WoosooModuleRoot) run: npm ci; npm run build")
    }
    $node = Get-Command -Name 'node' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $node) {
        throw (New-WoosooErrorRecord -ErrorId 'NodeNotFound' -Category NotInstalled -TargetObject 'node' `
            -Message 'Node.js is not on PATH; the Woosoo engine (bin/woosoo-engine.cjs) needs it.' `
            -RecommendedAction 'Install Node.js 18 or later and make sure "node" is on PATH, then run the command again.')
    }
    $options = Get-WoosooEngineNodeOption -Path (Join-Path $bin 'engine-launch.json')
    return @{ FileName = $node.Path; Arguments = (($options + @('"' + $cjs + '"')) -join ' ') }
}

function Get-WoosooEngineNodeOption {
    # The node options the engine is started with (bin/engine-launch.json, shared with the tests and the
    # benchmarks): they keep the idle engine small. A missing or unreadable file means no options.
    [CmdletBinding()]
    [OutputType([string[]])]
    param([Parameter(Mandatory)][string]$Path)
    $options = @()
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return ,$options }
    try {
        $launch = Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
        foreach ($option in @($launch.nodeArguments)) {
            # Plain --flag or --flag=value only: they are joined into one command line.
            if ($option -is [string] -and $option -match '^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$') { $options += $option }
        }
    }
    catch {
        Write-Debug "ignoring ${Path}: $_"
    }
    return ,$options
}

function Start-WoosooEngine {
    # Starts the engine and performs the initialize handshake. Returns the engine state object.
    [CmdletBinding()]
    param()
    $command = Get-WoosooEngineCommand
    $utf8 = New-Object System.Text.UTF8Encoding($false)
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $command.FileName
    $psi.Arguments = $command.Arguments
    $psi.UseShellExecute = $false
    $psi.CreateNoWindow = $true
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = $utf8
    $psi.StandardErrorEncoding = $utf8
    $psi.WorkingDirectory = $script:WoosooModuleRoot

    $process = New-Object System.Diagnostics.Process
    $process.StartInfo = $psi
    # stderr is diagnostics only, but it must always be read: a full pipe freezes the engine. .NET reads it
    # on its own thread; the event only keeps the last lines for error messages.
    $stderr = [System.Collections.Queue]::Synchronized((New-Object System.Collections.Queue))
    $subscription = Register-ObjectEvent -InputObject $process -EventName ErrorDataReceived -MessageData $stderr -Action {
        if ($null -ne $EventArgs.Data) {
            $Event.MessageData.Enqueue($EventArgs.Data)
            while ($Event.MessageData.Count -gt 50) { [void]$Event.MessageData.Dequeue() }
        }
    }
    try {
        [void]$process.Start()
    }
    catch {
        Unregister-Event -SourceIdentifier $subscription.Name -ErrorAction SilentlyContinue
        throw (New-WoosooErrorRecord -ErrorId 'EngineStartFailed' -Category ResourceUnavailable -TargetObject $command.FileName `
            -Message "The Woosoo engine could not be started ($($command.FileName)): $($_.Exception.Message)" `
            -RecommendedAction 'Check that Node.js runs (node --version) and that the module folder is readable.')
    }
    $process.BeginErrorReadLine()
    $writer = New-Object System.IO.StreamWriter($process.StandardInput.BaseStream, $utf8)
    $writer.AutoFlush = $true
    $writer.NewLine = "`n"

    $engine = [PSCustomObject]@{
        Process      = $process
        Writer       = $writer
        Reader       = $process.StandardOutput
        PendingRead  = $null
        NextId       = 0
        Stderr       = $stderr
        Subscription = $subscription
        ContextKey   = $null
        Info         = $null
    }
    $script:WoosooEngine = $engine
    $init = @{
        protocolVersion = $script:WoosooProtocolVersion
        client          = @{ name = 'Woosoo'; version = $script:WoosooModuleVersion }
    }
    try {
        $engine.Info = Invoke-WoosooRpc -Method 'initialize' -Params $init -Cmdlet $PSCmdlet -ResultOnly
    }
    catch {
        Stop-WoosooEngine
        throw
    }
    return $engine
}

function Get-WoosooEngine {
    # The running engine, started (or restarted after it died) as needed.
    [CmdletBinding()]
    param()
    $engine = $script:WoosooEngine
    if ($null -ne $engine -and -not $engine.Process.HasExited) { return $engine }
    if ($null -ne $engine) { Stop-WoosooEngine }
    return (Start-WoosooEngine)
}

function Get-WoosooEngineStderrTail {
    param($Engine, [int]$Count = 20)
    $lines = @($Engine.Stderr.ToArray())
    if ($lines.Count -gt $Count) { $lines = $lines[($lines.Count - $Count)..($lines.Count - 1)] }
    return ($lines -join [Environment]::NewLine)
}

function Stop-WoosooEngine {
    # Closes the engine's stdin (it exits on EOF), waits briefly, then kills it. Never throws.
    [CmdletBinding()]
    param()
    $engine = $script:WoosooEngine
    $script:WoosooEngine = $null
    if ($null -eq $engine) { return }
    try { $engine.Writer.Dispose() } catch { Write-Debug "closing engine stdin: $_" }
    try {
        if (-not $engine.Process.WaitForExit(3000)) { $engine.Process.Kill() }
    }
    catch { Write-Debug "stopping engine: $_" }
    Unregister-Event -SourceIdentifier $engine.Subscription.Name -ErrorAction SilentlyContinue
    Remove-Job -Id $engine.Subscription.Id -Force -ErrorAction SilentlyContinue
    try { $engine.Process.Dispose() } catch { Write-Debug "disposing engine: $_" }
}
