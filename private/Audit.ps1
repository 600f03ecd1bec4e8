# The module's part of the audit trail (docs/operations.md#audit-trail-and-the-engines-log). Every request of a
# state-changing cmdlet (one that supports -WhatIf) carries "$caller": the cmdlet's name, its bound parameters with
# SecureStrings and credentials masked, and whether -WhatIf is on. The engine writes the line as the method ends, with
# the outcome and the deployment or backup id it knows. What ends in PowerShell without an engine call (a -Confirm
# answered No, a -WhatIf that needed none) is recorded with audit.write. Plain functions: they run on every request.

function ConvertTo-WoosooAuditValue {
    # A bound parameter's value as the audit line holds it: secrets masked, objects as text, switches as booleans.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Security.SecureString] -or $Value -is [System.Management.Automation.PSCredential]) { return '********' }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('o') }
    if ($Value -is [string] -or $Value -is [bool] -or $Value -is [int] -or $Value -is [long] -or $Value -is [double]) { return $Value }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
        return @(foreach ($one in $Value) { ConvertTo-WoosooAuditValue $one })
    }
    return [string]$Value
}

function Get-WoosooAuditCaller {
    # The "$caller" of a request, or $null when the cmdlet does not change state (no -WhatIf).
    param($Cmdlet)
    if ($null -eq $Cmdlet) { return $null }
    $info = $Cmdlet.MyInvocation
    if ($null -eq $info.MyCommand -or -not $info.MyCommand.Parameters.ContainsKey('WhatIf')) { return $null }
    $parameters = @{}
    foreach ($entry in $info.BoundParameters.GetEnumerator()) {
        $parameters[$entry.Key] = ConvertTo-WoosooAuditValue $entry.Value
    }
    $whatIf = [bool]$WhatIfPreference -or ($info.BoundParameters.ContainsKey('WhatIf') -and [bool]$info.BoundParameters['WhatIf'])
    return @{ command = $info.MyCommand.Name; parameters = $parameters; whatIf = $whatIf }
}

function Write-WoosooAuditDeclined {
    # Records a state-changing cmdlet that ShouldProcess stopped before the engine changed anything: a -Confirm answered
    # No (outcome Declined), or with -NoEngineCall a -WhatIf run that made no engine call of its own (a cmdlet whose
    # -WhatIf sends a plan to the engine is recorded by that call). Never fails the cmdlet.
    param($Cmdlet, [string]$Path, [switch]$NoEngineCall)
    $caller = Get-WoosooAuditCaller -Cmdlet $Cmdlet
    if ($null -eq $caller) { return }
    if ($caller.whatIf -and -not $NoEngineCall) { return }
    $params = @{ outcome = 'Declined' }
    if ($caller.whatIf) { $params.outcome = 'Succeeded' }
    if ($Path) { $params.path = $Path }
    $environment = $Cmdlet.MyInvocation.BoundParameters['Environment']
    if ($environment) { $params.environment = [string]$environment }
    try {
        $null = Invoke-WoosooRpc -Method 'audit.write' -Params $params -Cmdlet $Cmdlet -ResultOnly
    }
    catch {
        Write-Debug "audit: $_"
    }
}
