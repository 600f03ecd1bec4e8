function Invoke-WoosooDashboardRpc {
    # The engine call of Start-, Stop-, Get-WoosooDashboard and Get-WoosooDashboardUser (after their own ShouldProcess):
    # the project's path and environment added to the params, a failure as the cmdlet's error. Returns the engine's
    # objects (Woosoo.DashboardInfo, Woosoo.DashboardUser).
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [Parameter(Mandatory)][string]$Method,
        [string]$Path,
        [string]$Environment,
        [hashtable]$Params = @{}
    )
    $null = Add-WoosooProjectParameter -Params $Params -Path $Path -Environment $Environment -Cmdlet $Cmdlet
    try {
        Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet
    }
    catch {
        Write-WoosooFailure -Cmdlet $Cmdlet -ErrorRecord $_
    }
}
