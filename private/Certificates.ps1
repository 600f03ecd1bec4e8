# Shared by Get-WoosooCertificate and Test-WoosooCertificate: certificate files gathered from -CertificatePath and
# the pipeline, then one engine call for all of them (so -Quiet gives one answer). -Path is the project folder, as in
# every Woosoo cmdlet.

function Add-WoosooCertificateFile {
    # Pipeline input: a Woosoo.Certificate or Woosoo.CertificateTest (its Path is the certificate file), a file item
    # (FullName) or a string. Each file once, in the order given.
    param(
        [System.Collections.Generic.List[string]]$List,
        [string[]]$CertificatePath,
        [object[]]$InputObject,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet
    )
    $given = New-Object System.Collections.Generic.List[string]
    foreach ($file in @($CertificatePath)) { if ($file) { $given.Add($file) } }
    foreach ($item in @($InputObject)) {
        if ($null -eq $item) { continue }
        $types = @($item.PSObject.TypeNames)
        if ($item -is [string]) { $given.Add($item) }
        elseif ($types -contains 'Woosoo.Certificate' -or $types -contains 'Woosoo.CertificateTest') { $given.Add([string]$item.Path) }
        elseif ($null -ne $item.PSObject.Properties['FullName']) { $given.Add([string]$item.FullName) }
        else {
            $Cmdlet.WriteError((New-WoosooErrorRecord -ErrorId 'CertificateInputInvalid' -Category InvalidArgument -TargetObject $item `
                        -Message ('A {0} is not a certificate file.' -f $types[0]) `
                        -RecommendedAction 'Pipe Woosoo.Certificate objects, file items (Get-ChildItem *.pem) or paths, or pass -CertificatePath.'))
        }
    }
    foreach ($file in $given) {
        $resolved = Resolve-WoosooPath -Path $file -Cmdlet $Cmdlet
        if ($resolved -and -not $List.Contains($resolved)) { $List.Add($resolved) }
    }
}

function Invoke-WoosooCertificateRpc {
    param(
        [Parameter(Mandatory)][string]$Method,
        [hashtable]$Params = @{},
        [System.Collections.Generic.List[string]]$Files,
        [string]$Path,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet
    )
    $null = Add-WoosooProjectParameter -Params $Params -Path $Path -Environment $Cmdlet.MyInvocation.BoundParameters['Environment'] -Cmdlet $Cmdlet
    if ($null -ne $Files -and $Files.Count -gt 0) { $Params.files = $Files.ToArray() }
    Invoke-WoosooRpc -Method $Method -Params $Params -Cmdlet $Cmdlet
}
