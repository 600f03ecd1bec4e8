function Test-WoosooConfig {
    <#
    .SYNOPSIS
    Validates the project's master configuration and lists every problem with how to fix it.

    .DESCRIPTION
    Checks deployment.config.env against Woosoo's rules: syntax (with the line), required keys, types, the
    environment name, APP_IP as an IPv4 address, application ports 1024-65535 (HTTP/HTTPS may use 80/443), no
    two services on one port, a database password of at least 8 characters, app folders that exist, and keys
    Woosoo does not know (with a "did you mean"). Returns one Woosoo.ConfigProblem per problem (Key, Rule,
    Severity, Message, Fix, Line) and nothing when the configuration is valid. All problems are reported at once.

    .PARAMETER Path
    The project folder or its deployment.config.env.

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Quiet
    Return only $true (no Error-severity problem) or $false, for scripts. A missing or unreadable
    configuration is $false.

    .EXAMPLE
    Test-WoosooConfig

    Lists the problems of the current project's configuration, grouped by severity.

    .EXAMPLE
    if (-not (Test-WoosooConfig -Path D:\woosoo -Quiet)) { throw 'Fix deployment.config.env first' }

    Stops a scheduled script when the configuration has errors.

    .EXAMPLE
    Test-WoosooConfig | Where-Object Severity -eq Error | Format-List Key, Message, Fix

    Shows each error with its fix.

    .OUTPUTS
    Woosoo.ConfigProblem, System.Boolean

    .LINK
    Get-WoosooConfig
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.ConfigProblem', [bool])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [switch]$Quiet
    )
    process {
        $params = @{ quiet = $Quiet.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        try {
            Invoke-WoosooRpc -Method 'config.test' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
