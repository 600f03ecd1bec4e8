function Get-WoosooConfig {
    <#
    .SYNOPSIS
    Gets the project's master configuration (deployment.config.env) as typed values.

    .DESCRIPTION
    Reads deployment.config.env, applies the defaults of every key Woosoo knows and returns one Woosoo.Config
    object with a property per key: ports and numbers as integers, switches as booleans. Secret values
    (passwords, keys, tokens) are shown as ******** unless -Reveal is given.

    With -Name, returns one Woosoo.ConfigValue per matching key instead (Name, Value, Group, Secret, Source,
    Line), which is handy in scripts and with wildcards.

    The project is found from -Path (the project folder or the file), else $env:WOOSOO_PROJECT, else by
    walking up from the current location.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name
    (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Name
    Keys to return; wildcards are allowed (DB_*).

    .PARAMETER Reveal
    Show secret values in clear text. Use with care: the output may end up in a transcript.

    .EXAMPLE
    Get-WoosooConfig

    Shows the configuration of the project the current folder belongs to.

    .EXAMPLE
    Get-WoosooConfig -Path D:\woosoo -Name DB_*

    Lists the database settings of the project in D:\woosoo, one object per key; DB_PASSWORD is masked.

    .EXAMPLE
    (Get-WoosooConfig -Name REVERB_PORT).Value

    Returns the Reverb port as an integer, for use in a script.

    .OUTPUTS
    Woosoo.Config, Woosoo.ConfigValue

    .LINK
    Test-WoosooConfig
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.Config', 'Woosoo.ConfigValue')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [SupportsWildcards()]
        [string[]]$Name,

        [switch]$Reveal
    )
    process {
        $params = @{ reveal = $Reveal.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Name) { $params.names = @($Name) }
        try {
            Invoke-WoosooRpc -Method 'config.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
