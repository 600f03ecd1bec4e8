function Compare-WoosooConfig {
    <#
    .SYNOPSIS
    Shows how the configuration differs between environments, side by side.

    .DESCRIPTION
    Reads each environment's configuration as the other cmdlets would use it — deployment.config.env with the
    environment's overlay, deployment.config.<environment>.env, over it — and returns one Woosoo.ConfigDifference
    per key whose value is not the same everywhere: Name, then one property per environment holding its value there.
    With one environment, it is compared with "base", the shared file alone. Secrets are compared but shown
    masked. Nothing is changed.

    .PARAMETER Path
    The project folder or its deployment.config.env.

    .PARAMETER Environment
    The environments to compare (two to four; one is compared with the shared file alone): development, staging
    or production, each with its overlay (or the base file's own ENVIRONMENT), or "base" for the shared file.
    Unlike the other cmdlets' -Environment, this one takes several.

    .PARAMETER IncludeEqual
    Also list the keys that are the same everywhere, with Same = $true (as Compare-Object -IncludeEqual).

    .EXAMPLE
    Compare-WoosooConfig -Environment staging, production

    Lists the keys whose values differ between staging and production, a column per environment.

    .EXAMPLE
    Compare-WoosooConfig -Environment staging

    What the staging overlay changes: each key it sets, with the shared file's value beside it.

    .EXAMPLE
    Compare-WoosooConfig -Environment staging, production -IncludeEqual | Where-Object Name -like 'DB_*'

    Every database key in both environments, equal or not.

    .OUTPUTS
    Woosoo.ConfigDifference

    .LINK
    Get-WoosooConfig
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.ConfigDifference')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateCount(1, 4)]
        [ValidateNotNullOrEmpty()]
        [string[]]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [switch]$IncludeEqual
    )
    process {
        $params = @{ environments = @($Environment); includeEqual = $IncludeEqual.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Cmdlet $PSCmdlet
        try {
            Invoke-WoosooRpc -Method 'config.compare' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
