function Invoke-WoosooDashboardRpc {
    # The one body of Start-, Stop- and Get-WoosooDashboard: the project's path and environment added to the params,
    # ShouldProcess (when an action is given) with the audit line of a declined one, the engine call, a failure as the
    # cmdlet's error. Returns the engine's Woosoo.DashboardInfo objects.
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [Parameter(Mandatory)][string]$Method,
        [string]$Path,
        [string]$Environment,
        [hashtable]$Params = @{},
        [string]$Target,
        [string]$Action
    )
    $resolved = Resolve-WoosooPath -Path $Path -Cmdlet $Cmdlet
    if ($resolved) { $Params.path = $resolved }
    if ($Environment) { $Params.environment = $Environment }
    if ($Action -and -not $Cmdlet.ShouldProcess($Target, $Action)) {
        Write-WoosooAuditDeclined -Cmdlet $Cmdlet -Path $resolved -NoEngineCall; return
    }
    try {
        Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet
    }
    catch {
        Write-WoosooFailure -Cmdlet $Cmdlet -ErrorRecord $_
    }
}
