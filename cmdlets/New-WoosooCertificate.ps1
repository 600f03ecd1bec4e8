function New-WoosooCertificate {
    <#
    .SYNOPSIS
    Creates the stack's HTTPS certificate and key with mkcert.

    .DESCRIPTION
    Runs mkcert with the session's CA folder ($env:CAROOT, else mkcert's default) and writes the certificate
    to CERTS_PATH\woosoo.pem and its key to CERTS_PATH\woosoo-key.pem (CERTS_PATH defaults to certs\ in the
    project). The certificate covers -Domain, by default APP_IP, localhost, 127.0.0.1, ::1 and every
    CERT_DOMAINS entry. mkcert is found through MKCERT_PATH, then bin\mkcert\, then PATH.

    An existing certificate is only replaced with -Force; the old pair is then moved to
    CERTS_PATH\previous\<time>\ so it can be put back. mkcert writes to temporary files first: if it fails,
    nothing is changed. Returns the new Woosoo.Certificate.

    Browsers and tablets trust the certificate once the mkcert CA is installed: see
    Install-WoosooCertificateTrust (this machine) and the rootCA.pem in the CA folder (other devices).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name
    (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Domain
    Host names and IP addresses the certificate covers, instead of the defaults.

    .PARAMETER Force
    Replace an existing certificate (the old one is kept in previous\).

    .EXAMPLE
    New-WoosooCertificate

    Creates certs\woosoo.pem for APP_IP, localhost, 127.0.0.1 and ::1.

    .EXAMPLE
    New-WoosooCertificate -Domain 192.168.1.50, pos.local -Force -WhatIf

    Shows the mkcert command that would replace the certificate, without running it.

    .EXAMPLE
    New-WoosooCertificate -Force | Test-WoosooCertificate

    Renews the certificate and checks the new one.

    .OUTPUTS
    Woosoo.Certificate

    .LINK
    Get-WoosooCertificate
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.Certificate')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateNotNullOrEmpty()]
        [string[]]$Domain,

        [switch]$Force
    )
    process {
        $params = @{ force = $Force.IsPresent; plan = $true }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Domain) { $params.domains = @($Domain) }
        try {
            $plan = @(Invoke-WoosooRpc -Method 'cert.new' -Params $params -Cmdlet $PSCmdlet)[0]
            $action = '{0} the certificate for {1} ({2})' -f $plan.Action, ($plan.Domains -join ', '), $plan.Command
            if ($PSCmdlet.ShouldProcess($plan.CertificatePath, $action)) {
                $params.plan = $false
                Invoke-WoosooRpc -Method 'cert.new' -Params $params -Cmdlet $PSCmdlet
            }
            else { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved }
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
