function Remove-WoosooDashboardUser {
    <#
    .SYNOPSIS
    Removes a user of the web dashboard from the project (.woosoo/users.json).

    .DESCRIPTION
    Removes the user from the users file, which is rewritten atomically. The user can no longer sign in, and a
    running dashboard ends their open sessions and live connections at their next request. Asks for confirmation
    (ConfirmImpact High); -WhatIf says which user would be removed and changes nothing. Removing the last admin is
    allowed: New-WoosooDashboardUser makes a new one.

    .PARAMETER Name
    The users to remove (compared ignoring case; no wildcards: Get-WoosooDashboardUser -Name pattern | Remove-... for
    those). Accepts the Name of Get-WoosooDashboardUser's objects from the pipeline. Asks once per user.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). The users file is the same for every environment.

    .EXAMPLE
    Remove-WoosooDashboardUser -Name night-shift

    Removes the user night-shift after asking for confirmation.

    .EXAMPLE
    Get-WoosooDashboardUser -Name temp-* | Remove-WoosooDashboardUser -Confirm:$false

    Removes every user whose name starts with temp-, without asking.

    .OUTPUTS
    Woosoo.DashboardUser

    .LINK
    Get-WoosooDashboardUser

    .LINK
    New-WoosooDashboardUser
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.DashboardUser')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $base = @{}
        $resolved = Add-WoosooProjectParameter -Params $base -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        foreach ($one in $Name) {
            if (-not $PSCmdlet.ShouldProcess('.woosoo/users.json in the project', ('Remove the dashboard user {0}' -f $one))) {
                Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved -NoEngineCall
                continue
            }
            $params = $base.Clone()
            $params.name = $one
            try {
                Invoke-WoosooRpc -Method 'dashboard.userRemove' -Params $params -Cmdlet $PSCmdlet
            }
            catch {
                # One user that cannot go (an unknown name) does not stop the others.
                $PSCmdlet.WriteError($_)
            }
        }
    }
}
