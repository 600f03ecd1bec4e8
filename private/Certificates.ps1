# Shared by Get-WoosooCertificate and Test-WoosooCertificate: certificate files gathered from -Path and the
# pipeline, then one engine call for all of them (so -Quiet gives one answer).

function Add-WoosooCertificateFile {
    param([System.Collections.Generic.List[string]]$List, [string[]]$Path, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet)
    foreach ($file in @($Path)) {
        if ($file) { $List.Add((Resolve-WoosooPath -Path $file -Cmdlet $Cmdlet)) }
    }
}

function Invoke-WoosooCertificateRpc {
    param(
        [Parameter(Mandatory)][string]$Method,
        [hashtable]$Params = @{},
        [System.Collections.Generic.List[string]]$Files,
        [string]$ProjectPath,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet
    )
    $resolved = Resolve-WoosooPath -Path $ProjectPath -Cmdlet $Cmdlet
    if ($resolved) { $Params.path = $resolved }
    if ($null -ne $Files -and $Files.Count -gt 0) { $Params.files = $Files.ToArray() }
    Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet
}
