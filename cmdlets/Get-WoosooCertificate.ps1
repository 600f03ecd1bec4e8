function Get-WoosooCertificate {
    <#
    .SYNOPSIS
    Gets the stack's certificates with their names, addresses, validity and trust.

    .DESCRIPTION
    Reads each certificate file with the engine's own X509 parser and returns a Woosoo.Certificate: Path,
    Subject, DnsNames, IPAddresses, Issuer, NotBefore, NotAfter, DaysLeft, Trusted, Thumbprint (SHA-256),
    SerialNumber and KeyPath (the matching -key.pem file, when there is one).

    Without -Path, every certificate in the project's CERTS_PATH folder (certs\ by default) is read; keys and
    the previous\ folder are skipped. Trusted is $true when the certificate was issued by the mkcert CA of
    this session ($env:CAROOT, else mkcert's default CA folder) - the CA that Install-WoosooCertificateTrust
    installs. A file that is not a certificate is reported as a non-terminating error; the others still come.

    .PARAMETER Path
    Certificate files to read (absolute, or relative to the project folder). Accepts pipeline input by
    property name (FullName), so Get-ChildItem *.pem | Get-WoosooCertificate works.

    .PARAMETER ProjectPath
    The project folder or its deployment.config.env; default $env:WOOSOO_PROJECT, else the current folder
    and its parents.

    .EXAMPLE
    Get-WoosooCertificate

    Lists the certificates in the project's certs folder with the days they have left.

    .EXAMPLE
    Get-WoosooCertificate -Path D:\woosoo\certs\woosoo.pem | Format-List *

    Shows every detail of one certificate.

    .EXAMPLE
    Get-WoosooCertificate | Where-Object DaysLeft -lt 30

    Finds certificates that expire within a month.

    .OUTPUTS
    Woosoo.Certificate

    .LINK
    Test-WoosooCertificate
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.Certificate')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string[]]$Path,

        [string]$ProjectPath
    )
    begin {
        $files = New-Object System.Collections.Generic.List[string]
    }
    process {
        Add-WoosooCertificateFile -List $files -Path $Path -Cmdlet $PSCmdlet
    }
    end {
        try {
            Invoke-WoosooCertificateRpc -Method 'cert.get' -Params @{} -Files $files -ProjectPath $ProjectPath -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
