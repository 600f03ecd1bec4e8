# Woosoo: deployment manager for the Woosoo stack. The cmdlets in cmdlets/ call the TypeScript engine in bin/
# over JSON-RPC on stdio (see docs/architecture.md). Loads on Windows PowerShell 5.1 and PowerShell 7.

$script:WoosooModuleRoot = $PSScriptRoot
$script:WoosooProtocolVersion = '1.0'
$script:WoosooModuleVersion = '0.1.0'
$script:WoosooEngine = $null

foreach ($folder in @('private', 'cmdlets')) {
    foreach ($file in Get-ChildItem -Path (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' -File) {
        . $file.FullName
    }
}
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

Export-ModuleMember -Function (Get-ChildItem -Path (Join-Path $PSScriptRoot 'cmdlets') -Filter '*.ps1' -File).BaseName
