function Test-WoosooCertificate {
    <#
    .SYNOPSIS
    Tests the stack's certificates: right names, not expired, key present, trusted.

    .DESCRIPTION
    Checks each certificate (by default every certificate in CERTS_PATH) and returns one
    Woosoo.CertificateTest per check: Path, Check, Result (Passed, Warning, Failed), Message and Fix.

    - Domain: the certificate covers APP_IP and every CERT_DOMAINS entry (Failed otherwise).
    - Expiry: not expired and already valid (Failed otherwise); a Warning when it expires within
      CERT_WARN_DAYS days (30 by default).
    - Key: the -key.pem file next to it exists and holds the certificate's private key (Failed otherwise).
    - Trust: issued by this session's mkcert CA (a Warning otherwise: browsers and tablets would warn).
    When there is no certificate at all, one Present check Fails.

    .PARAMETER CertificatePath
    Certificate files to test (absolute, or relative to the current location). A folder is refused with
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
    Certificate files from the pipeline: Woosoo.Certificate objects (Get-WoosooCertificate | Test-WoosooCertificate),
    Woosoo.CertificateTest objects, file items (FullName) or path strings.

    .PARAMETER Quiet
    Return only $true (no check Failed; warnings allowed) or $false.

    .EXAMPLE
    Test-WoosooCertificate

    Tests the project's certificate and lists each check grouped by file.

    .EXAMPLE
    if (-not (Test-WoosooCertificate -Quiet)) { New-WoosooCertificate -Force }

    Renews the certificate when it no longer passes.

    .EXAMPLE
    Test-WoosooCertificate | Where-Object Result -ne Passed | Format-List Check, Message, Fix

    Shows what is wrong and how to fix it.

    .OUTPUTS
    Woosoo.CertificateTest, System.Boolean

    .LINK
    Get-WoosooCertificate
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.CertificateTest', [bool])]
    param(
        [Parameter(Position = 0)]
        [string[]]$CertificatePath,

        [Alias('ProjectPath')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipeline)]
        [object[]]$InputObject,

        [switch]$Quiet
    )
    begin {
        $files = New-Object System.Collections.Generic.List[string]
    }
    process {
        Add-WoosooCertificateFile -List $files -CertificatePath $CertificatePath -InputObject $InputObject -Cmdlet $PSCmdlet
    }
    end {
        try {
            Invoke-WoosooCertificateRpc -Method 'cert.test' -Params @{ quiet = $Quiet.IsPresent } -Files $files -Path $Path -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
