function Get-WoosooCertificate {
    <#
    .SYNOPSIS
    Gets the stack's certificates with their names, addresses, validity and trust.

    .DESCRIPTION
    Reads each certificate file with the engine's own X509 parser and returns a Woosoo.Certificate: Path,
    Subject, DnsNames, IPAddresses, Issuer, NotBefore, NotAfter, DaysLeft, Trusted, Thumbprint (SHA-256),
    SerialNumber and KeyPath (the matching -key.pem file, when there is one).

    Without -CertificatePath, every certificate in the project's CERTS_PATH folder (certs\ by default) is read; keys and
    the previous\ folder are skipped. Trusted is $true when the certificate was issued by the mkcert CA of
    this session ($env:CAROOT, else mkcert's default CA folder) - the CA that Install-WoosooCertificateTrust
    installs. A file that is not a certificate is reported as a non-terminating error; the others still come.

    .PARAMETER CertificatePath
    Certificate files to read (absolute, or relative to the current location). A folder is refused with
    Woosoo.CertificatePathIsFolder: the project folder is -Path.

    .PARAMETER Path
    The project folder or its deployment.config.env, as in every Woosoo cmdlet (-ProjectPath, its old name, still
    works); default $env:WOOSOO_PROJECT, else the current folder and its parents. A certificate file here is refused
    with Woosoo.ProjectPathIsCertificate: certificate files are -CertificatePath.

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER InputObject
    Certificate files from the pipeline: Woosoo.Certificate or Woosoo.CertificateTest objects (their Path), file
    items (Get-ChildItem *.pem | Get-WoosooCertificate) or path strings.

    .EXAMPLE
    Get-WoosooCertificate

    Lists the certificates in the project's certs folder with the days they have left.

    .EXAMPLE
    Get-WoosooCertificate -CertificatePath D:\woosoo\certs\woosoo.pem | Format-List *

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
        [Parameter(Position = 0)]
        [string[]]$CertificatePath,

        [Alias('ProjectPath')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipeline)]
        [object[]]$InputObject
    )
    begin {
        $files = New-Object System.Collections.Generic.List[string]
    }
    process {
        Add-WoosooCertificateFile -List $files -CertificatePath $CertificatePath -InputObject $InputObject -Cmdlet $PSCmdlet
    }
    end {
        try {
            Invoke-WoosooCertificateRpc -Method 'cert.get' -Params @{} -Files $files -Path $Path -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
