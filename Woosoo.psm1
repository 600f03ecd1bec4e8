# Woosoo: deployment manager for the Woosoo stack. The cmdlets in cmdlets/ call the TypeScript engine in bin/
# over JSON-RPC on stdio (see docs/architecture.md). Loads on Windows PowerShell 5.1 and PowerShell 7.

$script:WoosooModuleRoot = $PSScriptRoot
$script:WoosooProtocolVersion = '1.0'
$script:WoosooModuleVersion = [string]$ExecutionContext.SessionState.Module.Version   # the manifest's, one place
$script:WoosooEngine = $null

$cmdletFiles = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, 'cmdlets'), '*.ps1')
foreach ($file in [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, 'private'), '*.ps1')) { . $file }
foreach ($file in $cmdletFiles) { . $file }
Register-WoosooArgumentCompleter

# The engine exits when its stdin closes; close it on Remove-Module and when PowerShell exits.
$script:WoosooExitJob = Register-EngineEvent -SourceIdentifier ([System.Management.Automation.PsEngineEvent]::Exiting) -Action {
    Stop-WoosooEngine
}
$ExecutionContext.SessionState.Module.OnRemove = {
    Stop-WoosooEngine
    Get-EventSubscriber -Force | Where-Object { $_.Action -eq $script:WoosooExitJob } |
        ForEach-Object { Unregister-Event -SubscriptionId $_.SubscriptionId -Force }
}

# Start the engine now: node's start-up then overlaps the rest of the caller's script, and the first cmdlet only
# reads the handshake's reply (WOOSOO_ENGINE_PRESTART=0 turns this off).
Start-WoosooEngineInBackground

Export-ModuleMember -Function ($cmdletFiles | ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension($_) })
