function Set-WoosooConfig {
    <#
    .SYNOPSIS
    Sets one key of deployment.config.env in place, validated first, the old file backed up.

    .DESCRIPTION
    Edits the master configuration file: the key's line is replaced (its indentation, `export` and quoting style
    kept when the new value allows them), or appended when the file does not have the key yet. Every other line —
    comments, order, blank lines — stays as it is.

    The whole configuration is validated with the new value before anything is written: a value that brings a
    problem the file did not have (a port outside 1024-65535, a port another service uses, a password too short,
    a value of the wrong type) is refused with the problems and their fixes, as a Woosoo.ConfigValueInvalid error,
    and the file is not touched. Otherwise the old file is saved in a backup (Restore-WoosooBackup puts it back)
    and the new one replaces it atomically. Returns a Woosoo.ConfigChange with the diff.

    For secrets (DB_PASSWORD, REVERB_APP_SECRET, ...) use -SecureValue: the value never appears in the command
    line or the history, and it is masked in the diff, in -WhatIf and in every message.

    Run Sync-WoosooConfig afterwards to render the change into the apps (a deploy does it by itself).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Name
    The key to set (Tab completes the keys). Accepts pipeline input by property name.

    .PARAMETER Value
    The new value, as text. Quoting is done for you: write the value itself, not quotes.

    .PARAMETER SecureValue
    The new value as a SecureString (Read-Host -AsSecureString), for secrets.

    .EXAMPLE
    Set-WoosooConfig -Name HTTP_PORT -Value 8090 -WhatIf

    Shows the diff of deployment.config.env, changes nothing.

    .EXAMPLE
    Set-WoosooConfig -Name DB_PASSWORD -SecureValue (Read-Host 'New database password' -AsSecureString)

    Sets the database password without it entering the history; the diff shows it masked.

    .EXAMPLE
    Import-Csv .\settings.csv | Set-WoosooConfig -Confirm:$false

    Sets every Name/Value pair of the file, each validated and backed up.

    .OUTPUTS
    Woosoo.ConfigChange

    .LINK
    Get-WoosooConfig

    .LINK
    Sync-WoosooConfig
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Value')]
    [OutputType('Woosoo.ConfigChange')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string]$Name,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName, ParameterSetName = 'Value')]
        [AllowEmptyString()]
        [string]$Value,

        [Parameter(Mandatory, ParameterSetName = 'Secure')]
        [System.Security.SecureString]$SecureValue
    )
    process {
        $text = $Value
        if ($PSCmdlet.ParameterSetName -eq 'Secure') {
            $text = [System.Net.NetworkCredential]::new('', $SecureValue).Password
        }
        $params = @{ name = $Name; value = $text }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $params += Get-WoosooProjectKeyParam -ProjectPath $resolved -Cmdlet $PSCmdlet   # the backup of the file it edits
        Invoke-WoosooPlannedChange -Method 'config.set' -Params $params -Cmdlet $PSCmdlet -Caption 'Set-WoosooConfig' `
            -Skip { param($change) $change.Action -eq 'Unchanged' } `
            -Describe { param($change) @(('Set {0} in {1}' -f $Name, $change.Path), $change.Diff) }
    }
}
