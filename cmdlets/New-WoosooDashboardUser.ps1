function New-WoosooDashboardUser {
    <#
    .SYNOPSIS
    Adds a user of the web dashboard to the project (.woosoo/users.json); the first admin is made here.

    .DESCRIPTION
    Creates a user who can sign in to the dashboard, with a role: viewer (reads everything, changes nothing),
    operator (also starts, stops and restarts services and deploys) or admin (also changes the configuration, adds
    users, restores backups). The dashboard has no way to create a user without an admin signed in, so the first
    admin is always made with this cmdlet, by someone who can write to the project folder.

    The password is taken as a SecureString, made plain only to go to the engine, hashed there with scrypt (a random
    salt, memory-hard) and never stored, shown, logged or written to the audit trail. The file is replaced atomically
    and, on Unix, readable by its owner only (0600). An existing user is replaced (new password and role) only with
    -Force; their open dashboard sessions then end at their next request.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). The users file is the same for every environment.

    .PARAMETER Name
    The user name: 1 to 64 letters, digits, dots, dashes or underscores. Names are compared ignoring case.

    .PARAMETER Role
    viewer (default), operator or admin.

    .PARAMETER Password
    The password, at least 12 characters, as a SecureString (Read-Host -AsSecureString).

    .PARAMETER Force
    Replace the password and role of an existing user of that name.

    .EXAMPLE
    New-WoosooDashboardUser -Name admin -Role admin -Password (Read-Host 'Password' -AsSecureString)

    Makes the first admin of the current project's dashboard.

    .EXAMPLE
    New-WoosooDashboardUser -Path D:\woosoo -Name night-shift -Role operator -Password $pw -Force

    Gives the existing user night-shift a new password and the operator role.

    .OUTPUTS
    Woosoo.DashboardUser

    .LINK
    Get-WoosooAudit
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.DashboardUser')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')]
        [string]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('viewer', 'operator', 'admin')]
        [string]$Role = 'viewer',

        [Parameter(Mandatory)]
        [System.Security.SecureString]$Password,

        [switch]$Force
    )
    process {
        $params = @{ name = $Name; role = $Role.ToLowerInvariant(); force = $Force.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $action = 'Add the dashboard user {0} ({1})' -f $Name, $params.role
        if ($Force) { $action = 'Add or replace the dashboard user {0} ({1})' -f $Name, $params.role }
        if (-not $PSCmdlet.ShouldProcess('.woosoo/users.json in the project', $action)) {
            Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path -NoEngineCall; return
        }
        try {
            # Plain only on its way to the engine, which keeps nothing but the scrypt hash.
            $params.password = [System.Net.NetworkCredential]::new('', $Password).Password
            Invoke-WoosooRpc -Method 'dashboard.userNew' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
