# The engine process: where it is, starting it (stderr drained into a file), the handshake, and stopping it.
# One engine per PowerShell session. Import-Module starts it in the background (Start-WoosooEngine writes the
# initialize request and returns at once), so node's start-up overlaps the rest of the caller's script; the first
# cmdlet reads the handshake's reply. The helpers here are plain functions on purpose: an advanced function costs
# a parameter binding per call, and these run on every cmdlet call (docs/performance.md, "The PowerShell face").

function Test-WoosooWindows {
    [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

function Find-WoosooNode {
    # The first node on PATH, by looking in each folder (Get-Command costs a command discovery on first use).
    $names = @('node')
    if (Test-WoosooWindows) { $names = @('node.exe') }
    foreach ($dir in ([string]$env:PATH).Split([System.IO.Path]::PathSeparator)) {
        if ($dir -eq '') { continue }
        foreach ($name in $names) {
            $candidate = [System.IO.Path]::Combine($dir.Trim('"'), $name)
            if ([System.IO.File]::Exists($candidate)) { return $candidate }
        }
    }
    return $null
}

function Get-WoosooEngineCommand {
    # Returns @{ FileName; Arguments } for the engine: the single executable if it was built, else the
    # bundled .cjs run by the node on PATH. Throws Woosoo.EngineNotFound / Woosoo.NodeNotFound with the fix.
    $bin = [System.IO.Path]::Combine($script:WoosooModuleRoot, 'bin')
    $exeName = 'woosoo-engine'
    if (Test-WoosooWindows) { $exeName = 'woosoo-engine.exe' }
    $exe = [System.IO.Path]::Combine($bin, $exeName)
    if ([System.IO.File]::Exists($exe)) {
        if (-not (Test-WoosooWindows)) { Set-WoosooEngineExecutable -Path $exe }
        # A single executable's command line is all the engine's: the options node takes in NODE_OPTIONS (the heap
        # sizes) go there, and the engine takes them back out of its environment; it sets the others itself
        # (scripts/package.mjs).
        $options = Get-WoosooEngineNodeOption -Path ([System.IO.Path]::Combine($bin, 'engine-launch.json'))
        $inEnvironment = @($options | Where-Object { $_ -match '^--max-(semi|old)-space-size=' })
        return @{ FileName = $exe; Arguments = ''; NodeOptions = ($inEnvironment -join ' ') }
    }
    $cjs = [System.IO.Path]::Combine($bin, 'woosoo-engine.cjs')
    if (-not [System.IO.File]::Exists($cjs)) {
        throw (New-WoosooErrorRecord -ErrorId 'EngineNotFound' -Category ObjectNotFound -TargetObject $cjs `
            -Message "The Woosoo engine is not built: neither $exe nor $cjs exists." `
            -RecommendedAction "In the module folder ($script:WoosooModuleRoot) run: npm ci; npm run build")
    }
    $node = Find-WoosooNode
    if ($null -eq $node) {
        throw (New-WoosooErrorRecord -ErrorId 'NodeNotFound' -Category NotInstalled -TargetObject 'node' `
            -Message 'Node.js is not on PATH; the Woosoo engine (bin/woosoo-engine.cjs) needs it.' `
            -RecommendedAction 'Install Node.js 18 or later and make sure "node" is on PATH, then run the command again.')
    }
    $options = Get-WoosooEngineNodeOption -Path ([System.IO.Path]::Combine($bin, 'engine-launch.json'))
    return @{ FileName = $node; Arguments = (($options + @('"' + $cjs + '"')) -join ' ') }
}

function Set-WoosooEngineExecutable {
    # A module package keeps no Unix file modes: Install-PSResource (or an unzip) leaves bin/woosoo-engine without its
    # execute bit. Set it on first use; where the module folder is not ours to change, say how.
    param([string]$Path)
    $exec = [System.IO.UnixFileMode]::UserExecute -bor [System.IO.UnixFileMode]::GroupExecute -bor [System.IO.UnixFileMode]::OtherExecute
    $mode = [System.IO.File]::GetUnixFileMode($Path)
    if (($mode -band $exec) -ne 0) { return }
    try {
        [System.IO.File]::SetUnixFileMode($Path, ($mode -bor $exec))
    }
    catch {
        throw (New-WoosooErrorRecord -ErrorId 'EngineStartFailed' -Category PermissionDenied -TargetObject $Path `
            -Message "The Woosoo engine $Path is not executable, and could not be made so: $($_.Exception.Message)" `
            -RecommendedAction "Run as the owner of the module folder: chmod +x '$Path'")
    }
}

function Get-WoosooEngineNodeOption {
    # The node options the engine is started with (bin/engine-launch.json, shared with the tests and the
    # benchmarks): they keep the idle engine small. A missing or unreadable file means no options. Read with a
    # pattern, not ConvertFrom-Json: the first JSON parse of a session loads a serializer (tens of ms).
    param([string]$Path)
    $options = @()
    try {
        if (-not [System.IO.File]::Exists($Path)) { return , $options }
        $text = [System.IO.File]::ReadAllText($Path)
        $list = [regex]::Match($text, '"nodeArguments"\s*:\s*\[([^\]]*)\]')
        if (-not $list.Success) { return , $options }
        foreach ($m in [regex]::Matches($list.Groups[1].Value, '"([^"]*)"')) {
            # Plain --flag or --flag=value only: they are joined into one command line.
            $option = $m.Groups[1].Value
            if ($option -match '^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$') { $options += $option }
        }
    }
    catch {
        Write-Debug "ignoring ${Path}: $_"
    }
    return , $options
}

function Start-WoosooEngine {
    # Starts the engine and sends the initialize request without waiting for its reply (Complete-WoosooEngineStart
    # reads it). Returns the engine state object.
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
    if ($command.NodeOptions) { $psi.EnvironmentVariables['NODE_OPTIONS'] = $command.NodeOptions }

    $process = New-Object System.Diagnostics.Process
    $process.StartInfo = $psi
    try {
        [void]$process.Start()
    }
    catch {
        throw (New-WoosooErrorRecord -ErrorId 'EngineStartFailed' -Category ResourceUnavailable -TargetObject $command.FileName `
            -Message "The Woosoo engine could not be started ($($command.FileName)): $($_.Exception.Message)" `
            -RecommendedAction 'Check that Node.js runs (node --version) and that the module folder is readable.')
    }
    # stderr is diagnostics only, but it must always be read: a full pipe freezes the engine. A .NET copy task
    # drains it into a file on its own thread (no PowerShell event, no runspace); its tail explains a death.
    $stderrPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('woosoo-engine-{0}.stderr.log' -f $process.Id))
    $stderrFile = $null
    $drain = $null
    try {
        $share = [System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete
        # Buffer size 1: every write goes straight to the file, so the tail can be read at any time without a
        # Flush racing the copy task.
        $stderrFile = New-Object System.IO.FileStream($stderrPath, [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write, $share, 1)
        $drain = $process.StandardError.BaseStream.CopyToAsync($stderrFile, 4096)
    }
    catch {
        Write-Debug "engine stderr to ${stderrPath}: $_"
        $drain = $process.StandardError.BaseStream.CopyToAsync([System.IO.Stream]::Null)
    }
    $writer = New-Object System.IO.StreamWriter($process.StandardInput.BaseStream, $utf8)
    $writer.AutoFlush = $true
    $writer.NewLine = "`n"

    $engine = [PSCustomObject]@{
        Process     = $process
        Writer      = $writer
        Reader      = $process.StandardOutput
        PendingRead = $null
        NextId      = 1
        StderrPath  = $stderrPath
        StderrFile  = $stderrFile
        Drain       = $drain
        ContextKey  = $null
        Info        = $null
    }
    $script:WoosooEngine = $engine
    $init = @{
        jsonrpc = '2.0'; id = 1; method = 'initialize'
        params = @{ protocolVersion = $script:WoosooProtocolVersion; client = @{ name = 'Woosoo'; version = $script:WoosooModuleVersion } }
    }
    Write-WoosooEngineLine -Engine $engine -Line (ConvertTo-Json -InputObject $init -Depth 20 -Compress)
    return $engine
}

function Complete-WoosooEngineStart {
    # Reads the initialize reply (once per engine). A refusal (ProtocolMismatch) stops the engine and throws.
    param($Engine, $Cmdlet)
    try {
        $reply = @{ Result = $null }
        Receive-WoosooReply -Engine $Engine -Id 1 -Method 'initialize' -Cmdlet $Cmdlet -Reply $reply
        $Engine.Info = $reply.Result
    }
    catch {
        Stop-WoosooEngine
        throw
    }
}

function Get-WoosooEngine {
    # The running, initialized engine, started (or restarted after it died) as needed.
    param($Cmdlet)
    $engine = $script:WoosooEngine
    if ($null -ne $engine -and $engine.Process.HasExited) {
        Stop-WoosooEngine
        $engine = $null
    }
    if ($null -eq $engine) { $engine = Start-WoosooEngine }
    if ($null -eq $engine.Info) { Complete-WoosooEngineStart -Engine $engine -Cmdlet $Cmdlet }
    return $engine
}

function Remove-WoosooOtherInstance {
    # One Woosoo, and one engine, per session. Import-Module loads a newly installed version beside the one already
    # loaded (with -Force too), so the old module and its engine would stay: remove any Woosoo loaded from another
    # folder, which stops its engine (its OnRemove), before this one starts its own (docs/release.md, "Upgrade").
    $self = $ExecutionContext.SessionState.Module
    foreach ($other in @(Get-Module -Name $self.Name)) {
        if ($other.ModuleBase -eq $self.ModuleBase) { continue }
        try { Remove-Module -ModuleInfo $other -Force } catch { Write-Debug "removing Woosoo $($other.Version) from $($other.ModuleBase): $_" }
    }
}

function Start-WoosooEngineInBackground {
    # Called by Import-Module: replaces a Woosoo loaded before (Remove-WoosooOtherInstance), then starts the engine
    # now so that its start-up overlaps the caller's script. Never fails the import: a problem (no node, no bin/) is
    # reported by the first cmdlet, which tries again.
    Remove-WoosooOtherInstance
    if ($env:WOOSOO_ENGINE_PRESTART -eq '0') { return }
    try { $null = Start-WoosooEngine } catch { Write-Debug "engine start at import: $_" }
}

function Get-WoosooEngineStderrTail {
    param($Engine, [int]$Count = 20)
    try {
        if (-not [System.IO.File]::Exists($Engine.StderrPath)) { return '' }
        $share = [System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete
        $stream = New-Object System.IO.FileStream($Engine.StderrPath, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, $share)
        try {
            # The last 16 KB are plenty for 20 lines.
            if ($stream.Length -gt 16384) { [void]$stream.Seek(-16384, [System.IO.SeekOrigin]::End) }
            $text = (New-Object System.IO.StreamReader($stream, (New-Object System.Text.UTF8Encoding($false)))).ReadToEnd()
        }
        finally { $stream.Dispose() }
        $lines = @($text -split "\r?\n" | Where-Object { $_ -ne '' })
        if ($lines.Count -gt $Count) { $lines = $lines[($lines.Count - $Count)..($lines.Count - 1)] }
        return ($lines -join [Environment]::NewLine)
    }
    catch {
        Write-Debug "engine stderr tail: $_"
        return ''
    }
}

function Stop-WoosooEngine {
    # Closes the engine's stdin (it exits on EOF), waits briefly, then kills it. Never throws.
    $engine = $script:WoosooEngine
    $script:WoosooEngine = $null
    if ($null -eq $engine) { return }
    try { $engine.Writer.Dispose() } catch { Write-Debug "closing engine stdin: $_" }
    try {
        if (-not $engine.Process.WaitForExit(3000)) { $engine.Process.Kill() }
    }
    catch { Write-Debug "stopping engine: $_" }
    try {
        if ($null -ne $engine.Drain) { [void]$engine.Drain.Wait(1000) }
        if ($null -ne $engine.StderrFile) { $engine.StderrFile.Dispose() }
        [System.IO.File]::Delete($engine.StderrPath)
    }
    catch { Write-Debug "engine stderr file: $_" }
    try { $engine.Process.Dispose() } catch { Write-Debug "disposing engine: $_" }
}
