# The client side of the wire. One request at a time per session: send it, then read lines until its reply,
# handling the engine's notifications ($/progress, $/log, $/items) on the cmdlet's own thread as they come.
# Ctrl+C (the pipeline stopping) sends $/cancel so the engine kills that request's child processes.

function Write-WoosooEngineLine {
    param($Engine, [string]$Line)
    try {
        $Engine.Writer.WriteLine($Line)
    }
    catch {
        throw (New-WoosooEngineDiedError -Engine $Engine -Reason "writing to it failed: $($_.Exception.Message)")
    }
}

function Read-WoosooEngineLine {
    # The next line from the engine, or $null when it has gone. Polls so that Ctrl+C stays responsive;
    # only one ReadLineAsync may be pending, and it survives across calls.
    param($Engine)
    if ($null -eq $Engine.PendingRead) { $Engine.PendingRead = $Engine.Reader.ReadLineAsync() }
    while (-not $Engine.PendingRead.Wait(100)) {
        if ($Engine.Process.HasExited -and -not $Engine.PendingRead.Wait(1000)) { return $null }
    }
    $task = $Engine.PendingRead
    $Engine.PendingRead = $null
    if ($task.IsFaulted) { return $null }
    return $task.Result
}

function New-WoosooEngineDiedError {
    param($Engine, [string]$Reason)
    $code = 'unknown'
    try {
        if ($Engine.Process.WaitForExit(2000)) { $code = $Engine.Process.ExitCode }
    }
    catch { Write-Debug "engine exit code: $_" }
    Start-Sleep -Milliseconds 100   # let the last stderr lines arrive
    $tail = Get-WoosooEngineStderrTail -Engine $Engine
    Stop-WoosooEngine
    $message = "The Woosoo engine stopped unexpectedly ($Reason; exit code $code)."
    if ($tail) { $message += [Environment]::NewLine + 'Its last messages:' + [Environment]::NewLine + $tail }
    return (New-WoosooErrorRecord -ErrorId 'EngineDied' -Category ResourceUnavailable -TargetObject 'woosoo-engine' `
            -Message $message -RecommendedAction 'Run the command again: a new engine starts by itself. If it stops again, the messages above say why.')
}

function Send-WoosooContext {
    # Sends the session's environment and location when they changed since the last request, so tools run
    # with the session's current $env:PATH, $env:CAROOT, ... without restarting the engine.
    param($Engine, [System.Management.Automation.PSCmdlet]$Cmdlet)
    $cwd = $Cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath
    $vars = [System.Environment]::GetEnvironmentVariables()
    $key = New-Object System.Text.StringBuilder
    [void]$key.Append($cwd)
    foreach ($name in $vars.Keys) { [void]$key.Append([char]0).Append($name).Append('=').Append($vars[$name]) }
    $fingerprint = $key.ToString()
    if ($fingerprint -ceq $Engine.ContextKey) { return }
    $notification = @{ jsonrpc = '2.0'; method = '$/context'; params = @{ env = $vars; cwd = $cwd } }
    Write-WoosooEngineLine -Engine $Engine -Line (ConvertTo-Json -InputObject $notification -Depth 20 -Compress)
    $Engine.ContextKey = $fingerprint
}

function Receive-WoosooNotification {
    param($Message, [System.Management.Automation.PSCmdlet]$Cmdlet)
    $p = $Message.params
    switch ($Message.method) {
        '$/log' {
            $text = [string]$p.message
            switch ([string]$p.level) {
                'error' { $Cmdlet.WriteWarning($text) }
                'warning' { $Cmdlet.WriteWarning($text) }
                'info' { $Cmdlet.WriteInformation((New-Object System.Management.Automation.InformationRecord($text, 'Woosoo'))) }
                'debug' { $Cmdlet.WriteDebug($text) }
                default { $Cmdlet.WriteVerbose($text) }
            }
        }
        '$/progress' {
            $record = New-Object System.Management.Automation.ProgressRecord([int]$p.id, [string]$p.activity, 'Working')
            if ($p.status) { $record.StatusDescription = [string]$p.status }
            if ($null -ne $p.PSObject.Properties['parentId']) { $record.ParentActivityId = [int]$p.parentId }
            if ($null -ne $p.PSObject.Properties['percent']) { $record.PercentComplete = [int]$p.percent }
            if ($p.completed) { $record.RecordType = [System.Management.Automation.ProgressRecordType]::Completed }
            $Cmdlet.WriteProgress($record)
        }
        '$/items' {
            foreach ($item in @($p.items)) { ConvertTo-WoosooObject -InputObject $item }
        }
    }
}

function Invoke-WoosooRpc {
    # Calls one engine method. Outputs the result's typed objects (and streamed $/items) as they arrive,
    # writes per-item failures as non-terminating errors, and throws an ErrorRecord (ErrorId Woosoo.<id>)
    # when the method fails or the engine dies. -ResultOnly returns the raw result instead.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Method,
        [hashtable]$Params = @{},
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [switch]$ResultOnly
    )
    if ($Method -eq 'initialize') { $engine = $script:WoosooEngine } else { $engine = Get-WoosooEngine }
    if ($Method -ne 'initialize') { Send-WoosooContext -Engine $engine -Cmdlet $Cmdlet }
    $engine.NextId = $engine.NextId + 1
    $id = $engine.NextId
    $request = @{ jsonrpc = '2.0'; id = $id; method = $Method; params = $Params }
    Write-WoosooEngineLine -Engine $engine -Line (ConvertTo-Json -InputObject $request -Depth 20 -Compress)

    $answered = $false
    try {
        while ($true) {
            $line = Read-WoosooEngineLine -Engine $engine
            if ($null -eq $line) {
                $answered = $true
                throw (New-WoosooEngineDiedError -Engine $engine -Reason "while running $Method")
            }
            try {
                $message = ConvertFrom-Json -InputObject $line
            }
            catch {
                $answered = $true
                Stop-WoosooEngine
                throw (New-WoosooErrorRecord -ErrorId 'ProtocolFault' -Category ProtocolError -TargetObject $Method `
                        -Message "The engine wrote something that is not JSON-RPC: $($line.Substring(0, [Math]::Min(200, $line.Length)))" `
                        -RecommendedAction 'Run the command again (a new engine starts). If it recurs, the engine or a tool it loads writes to stdout: report it.')
            }
            if ($null -ne $message.PSObject.Properties['method']) {
                Receive-WoosooNotification -Message $message -Cmdlet $Cmdlet
                continue
            }
            if ($message.id -ne $id) { continue }   # a late reply to a request that was cancelled
            $answered = $true
            if ($null -ne $message.PSObject.Properties['error']) {
                throw (ConvertFrom-WoosooRpcError -RpcError $message.error -Method $Method)
            }
            $result = $message.result
            if ($ResultOnly) { return $result }
            foreach ($failure in @($result.errors)) {
                if ($null -ne $failure) { $Cmdlet.WriteError((ConvertFrom-WoosooRpcError -RpcError $failure -Method $Method)) }
            }
            foreach ($item in @($result.items)) {
                if ($null -ne $item) { ConvertTo-WoosooObject -InputObject $item }
            }
            if ($null -ne $result.PSObject.Properties['value']) { $result.value }
            return
        }
    }
    finally {
        if (-not $answered -and $null -ne $script:WoosooEngine) {
            # Ctrl+C or a stopped pipeline (Select-Object -First): cancel the request in the engine.
            $cancel = @{ jsonrpc = '2.0'; method = '$/cancel'; params = @{ id = $id } }
            try { $engine.Writer.WriteLine((ConvertTo-Json -InputObject $cancel -Depth 20 -Compress)) } catch { Write-Debug "cancel: $_" }
        }
    }
}
