# The shared body of the service changers (Install-, Uninstall-, Start-, Stop-, Restart-, Suspend-, Resume-WoosooService):
# names and wildcards are resolved to the stack's services first (services.get), ShouldProcess is asked per service,
# and the engine is called once with the approved names, so it applies the dependency order to the whole set.

function Add-WoosooServiceInput {
    # Collects -Name values and the project path of one pipeline record (process block of a changer).
    param([Parameter(Mandatory)]$State, [string[]]$Name, [string]$Path)
    foreach ($item in @($Name)) { if ($item) { $State.Names.Add($item) } }
    if ($Path) { $State.Path = $Path }
}

function New-WoosooServiceInput {
    # The state a changer collects over the pipeline (begin block).
    return [PSCustomObject]@{ Names = (New-Object System.Collections.Generic.List[string]); Path = $null }
}

function Invoke-WoosooServiceAction {
    # Engine failures become the calling cmdlet's terminating error (as in Get-WoosooConfig); per-service failures
    # were already written as non-terminating errors by Invoke-WoosooRpc.
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [Parameter(Mandatory)][string]$Method,
        [Parameter(Mandatory)][string]$Action,
        [Parameter(Mandatory)]$State,
        [switch]$PassThru
    )
    # Input piped from an empty pipeline means "no services", never "every service of the stack".
    if ($State.Names.Count -eq 0 -and $Cmdlet.MyInvocation.ExpectingInput) { return }
    try {
        $params = @{}
        $resolved = Add-WoosooProjectParameter -Params $params -Path $State.Path -Environment $Cmdlet.MyInvocation.BoundParameters['Environment'] -Cmdlet $Cmdlet
        $query = $params.Clone()
        if ($State.Names.Count -gt 0) { $query.names = $State.Names.ToArray() }
        $services = @(Invoke-WoosooRpc -Method 'services.get' -Params $query -Cmdlet $Cmdlet)
        $approved = New-Object System.Collections.Generic.List[string]
        foreach ($service in $services) {
            if ($null -eq $service) { continue }
            if ($Cmdlet.ShouldProcess($service.Name, $Action)) { $approved.Add([string]$service.Name) }
        }
        if ($approved.Count -eq 0) { Write-WoosooAuditDeclined -Cmdlet $Cmdlet -Path $resolved -NoEngineCall; return }
        $params.names = $approved.ToArray()
        $result = Invoke-WoosooRpc -Method $Method -Params $params -Cmdlet $Cmdlet
        if ($PassThru) { $result }
    }
    catch {
        Write-WoosooFailure -Cmdlet $Cmdlet -ErrorRecord $_
    }
}
