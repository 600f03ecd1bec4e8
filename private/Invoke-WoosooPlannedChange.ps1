# Plan, ask, apply: the engine's method is called with whatIf first (it checks everything and changes nothing), the
# user is asked once with the plan's own description (-WhatIf prints it and returns the plan; -Confirm shows the
# detail, e.g. a masked diff), then the same call runs for real. A failure at either call is written through
# Write-WoosooFailure, so -ErrorAction and $ErrorActionPreference decide. Used by Set-WoosooConfig and
# New-WoosooProject; $Describe gets the plan's first object and returns @(description, detail).
function Invoke-WoosooPlannedChange {
    param(
        [string]$Method,
        [hashtable]$Params,
        [System.Management.Automation.PSCmdlet]$Cmdlet,
        [scriptblock]$Describe,
        [string]$Caption,
        [scriptblock]$Skip = { param($plan) $false }
    )
    $Params.whatIf = $true
    try {
        $plan = @(Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet)
    }
    catch {
        Write-WoosooFailure -Cmdlet $Cmdlet -ErrorRecord $_; return
    }
    if (& $Skip $plan[0]) { return $plan[0] }
    $text = & $Describe $plan[0]
    if (-not $Cmdlet.ShouldProcess($text[0], ($text[0] + '?' + [Environment]::NewLine + $text[1]), $Caption)) {
        if ($WhatIfPreference -or $Cmdlet.MyInvocation.BoundParameters['WhatIf']) { $plan[0] }
        Write-WoosooAuditDeclined -Cmdlet $Cmdlet -Path $Params.path
        return
    }
    $Params.whatIf = $false
    try {
        Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet
    }
    catch {
        Write-WoosooFailure -Cmdlet $Cmdlet -ErrorRecord $_; return
    }
}
