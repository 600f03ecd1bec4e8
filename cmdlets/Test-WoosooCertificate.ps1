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

    .PARAMETER Path
    Certificate files to test (absolute, or relative to the project folder). Accepts pipeline input by
    property name (Path of Woosoo.Certificate, FullName), so Get-WoosooCertificate | Test-WoosooCertificate works.

    .PARAMETER ProjectPath
    The project folder or its deployment.config.env; default $env:WOOSOO_PROJECT, else the current folder
    and its parents.

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
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string[]]$Path,

        [string]$ProjectPath,

        [switch]$Quiet
    )
    begin {
        $files = New-Object System.Collections.Generic.List[string]
    }
    process {
        Add-WoosooCertificateFile -List $files -Path $Path -Cmdlet $PSCmdlet
    }
    end {
        try {
            Invoke-WoosooCertificateRpc -Method 'cert.test' -Params @{ quiet = $Quiet.IsPresent } -Files $files -ProjectPath $ProjectPath -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
