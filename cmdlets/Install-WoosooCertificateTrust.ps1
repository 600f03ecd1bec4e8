function Install-WoosooCertificateTrust {
    <#
    .SYNOPSIS
    Installs the mkcert CA into this machine's trust store (mkcert -install).

    .DESCRIPTION
    Runs `mkcert -install` with the session's CA folder ($env:CAROOT, else mkcert's default), so that browsers
    on this machine trust the certificates New-WoosooCertificate makes. This changes the system's trust
    store: it asks for confirmation (ConfirmImpact High), may need an elevated session, and Windows shows its
    own security prompt. Use -WhatIf to see the command without running it.

    Tablets and other devices need the CA too: copy rootCA.pem from the CA folder (the CARoot property of
    the result) and install it there. Returns a Woosoo.CertificateTrust object (Mkcert, CARoot, Command,
    Installed, Output).

    .PARAMETER Path
    The project folder or its deployment.config.env (for MKCERT_PATH). Accepts pipeline input by property
    name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .EXAMPLE
    Install-WoosooCertificateTrust -WhatIf

    Shows the mkcert command and the CA folder, without changing anything.

    .EXAMPLE
    Install-WoosooCertificateTrust -Confirm:$false

    Installs the CA without asking (for a set-up script run as Administrator).

    .OUTPUTS
    Woosoo.CertificateTrust

    .LINK
    New-WoosooCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.CertificateTrust')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $params = @{ plan = $true }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        try {
            $plan = @(Invoke-WoosooRpc -Method 'cert.trust' -Params $params -Cmdlet $PSCmdlet)[0]
            $target = 'the trust store of this machine'
            $from = $plan.CARoot
            if (-not $from) { $from = "mkcert's default CA folder" }
            $action = 'Install the mkcert CA from {0} ({1})' -f $from, $plan.Command
            if ($PSCmdlet.ShouldProcess($target, $action)) {
                $params.plan = $false
                Invoke-WoosooRpc -Method 'cert.trust' -Params $params -Cmdlet $PSCmdlet
            }
            else { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved }
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
