function Get-WoosooDashboardUser {
    <#
    .SYNOPSIS
    Lists the users of the web dashboard (.woosoo/users.json): name, role and when each was created and updated.

    .DESCRIPTION
    Reads the project's dashboard users. Only the name, the role and the times are returned: the file holds no
    password, and the password's scrypt hash is never returned either. -Name filters by name (wildcards * and ?,
    ignoring case). A damaged users file is an error naming it.

    .PARAMETER Name
    Only the users whose name matches; wildcards * and ? allowed. Default: every user.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). The users file is the same for every environment.

    .EXAMPLE
    Get-WoosooDashboardUser

    Lists every user of the current project's dashboard with their role.

    .EXAMPLE
    Get-WoosooDashboardUser -Path D:\woosoo -Name night-*

    Lists the users of D:\woosoo whose name starts with night-.

    .OUTPUTS
    Woosoo.DashboardUser

    .LINK
    New-WoosooDashboardUser

    .LINK
    Remove-WoosooDashboardUser
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.DashboardUser')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $params = @{}
        if ($Name) { $params.names = @($Name) }
        Invoke-WoosooDashboardRpc -Cmdlet $PSCmdlet -Method 'dashboard.userList' -Path $Path -Environment $Environment -Params $params
    }
}
