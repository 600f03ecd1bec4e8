# The client side of the wire. One request at a time per session: send it, then read lines until its reply,
# handling the engine's notifications ($/progress, $/log, $/items) on the cmdlet's own thread as they come.
# Ctrl+C (the pipeline stopping) sends $/cancel so the engine kills that request's child processes.
# Plain functions (no [CmdletBinding()]): they run on every call, and binding costs more than the work.

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
    param($Engine, $Cmdlet)
    if ($null -ne $Cmdlet) { $cwd = $Cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
    else { $cwd = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
    $vars = [System.Environment]::GetEnvironmentVariables()
    $key = New-Object System.Text.StringBuilder($cwd, 4096)
    foreach ($entry in $vars.GetEnumerator()) { [void]$key.Append([char]0).Append($entry.Key).Append([char]1).Append($entry.Value) }
    $fingerprint = $key.ToString()
    if ($fingerprint -ceq $Engine.ContextKey) { return }
    $notification = @{ jsonrpc = '2.0'; method = '$/context'; params = @{ env = $vars; cwd = $cwd } }
    Write-WoosooEngineLine -Engine $Engine -Line (ConvertTo-Json -InputObject $notification -Depth 20 -Compress)
    $Engine.ContextKey = $fingerprint
}

function Receive-WoosooNotification {
    param($Message, $Cmdlet)
    if ($null -eq $Cmdlet) { return }
    $p = $Message.params
    switch ($Message.method) {
        '$/log' {
            $text = [string]$p.message
            switch ([string]$p.level) {
                'error' { $Cmdlet.WriteWarning($text) }
                'warning' { $Cmdlet.WriteWarning($text) }
                'info' { Write-WoosooInformation -Cmdlet $Cmdlet -Message $text }   # what was done: shown, as Write-Host
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
            foreach ($item in @($p.items)) { ConvertTo-WoosooValue $item }
        }
    }
}

function Receive-WoosooReply {
    # Reads lines until the reply to request $Id and puts its raw result in $Reply.Result. Notifications are handled
    # on the way, and the objects of $/items go down the pipeline as they come: call this without capturing its
    # output (an assignment would hold a followed log's entries back until the end).
    # Throws the engine's error as an ErrorRecord, EngineDied when the engine is gone, ProtocolFault on garbage.
    # Ctrl+C or a stopped pipeline (Select-Object -First) during the wait sends $/cancel for the request.
    param($Engine, [int]$Id, [string]$Method, $Cmdlet, [hashtable]$Reply)
    $answered = $false
    try {
        while ($true) {
            $line = Read-WoosooEngineLine -Engine $Engine
            if ($null -eq $line) {
                $answered = $true
                throw (New-WoosooEngineDiedError -Engine $Engine -Reason "while running $Method")
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
                # A notification of another request (late $/items of a cancelled Get-WoosooLog -Wait) is not this
                # cmdlet's: its objects must not go down this pipeline.
                $p = $message.params
                if ($null -ne $p -and $null -ne $p.PSObject.Properties['requestId'] -and [int]$p.requestId -ne $Id) { continue }
                Receive-WoosooNotification -Message $message -Cmdlet $Cmdlet
                continue
            }
            if ($message.id -ne $Id) { continue }   # a late reply to a request that was cancelled
            $answered = $true
            if ($null -ne $message.PSObject.Properties['error']) {
                throw (ConvertFrom-WoosooRpcError -RpcError $message.error -Method $Method)
            }
            $Reply.Result = $message.result
            return
        }
    }
    finally {
        if (-not $answered -and $null -ne $script:WoosooEngine) {
            $cancel = '{"jsonrpc":"2.0","method":"$/cancel","params":{"id":' + $Id + '}}'
            try { $Engine.Writer.WriteLine($cancel) } catch { Write-Debug "cancel: $_" }
        }
    }
}

function Invoke-WoosooRpc {
    # Calls one engine method. Outputs the result's typed objects (and streamed $/items) as they arrive,
    # writes per-item failures as non-terminating errors, and throws an ErrorRecord (ErrorId Woosoo.<id>)
    # when the method fails or the engine dies. -ResultOnly returns the raw result instead.
    param([string]$Method, [hashtable]$Params = @{}, $Cmdlet, [switch]$ResultOnly)
    $engine = Get-WoosooEngine -Cmdlet $Cmdlet
    Send-WoosooContext -Engine $engine -Cmdlet $Cmdlet
    $engine.NextId = $engine.NextId + 1
    $id = $engine.NextId
    $caller = Get-WoosooAuditCaller -Cmdlet $Cmdlet   # the audit trail's "$caller" (private/Audit.ps1)
    if ($null -ne $caller) { $Params = $Params.Clone(); $Params['$caller'] = $caller }
    $request = @{ jsonrpc = '2.0'; id = $id; method = $Method; params = $Params }
    Write-WoosooEngineLine -Engine $engine -Line (ConvertTo-Json -InputObject $request -Depth 20 -Compress)
    $reply = @{ Result = $null }
    Receive-WoosooReply -Engine $engine -Id $id -Method $Method -Cmdlet $Cmdlet -Reply $reply
    $result = $reply.Result
    if ($ResultOnly) { return $result }
    if ($null -ne $result.errors) {
        foreach ($failure in @($result.errors)) {
            if ($null -ne $failure) { $Cmdlet.WriteError((ConvertFrom-WoosooRpcError -RpcError $failure -Method $Method)) }
        }
    }
    if ($null -ne $result.items) {
        foreach ($item in @($result.items)) {
            if ($null -ne $item) { ConvertTo-WoosooValue $item }
        }
    }
    if ($null -ne $result.PSObject.Properties['value']) { $result.value }
}
