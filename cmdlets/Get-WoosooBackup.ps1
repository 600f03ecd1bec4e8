function Get-WoosooBackup {
    <#
    .SYNOPSIS
    Lists the project's backups, newest first.

    .DESCRIPTION
    Returns one Woosoo.Backup per backup folder under BACKUP_PATH, newest first: Id, CreatedAt, Description,
    Environment, Version, Includes (Configs, Database, Files), SizeBytes, FileCount, Creator (New-WoosooBackup,
    Sync-WoosooConfig, the safety backup of a restore, ...), BackupPath (its folder) and ProjectPath. Only the metadata is read; use
    Test-WoosooBackup to verify the contents. A backup whose metadata.json is missing or damaged is still listed,
    with the reason in Problem. Warnings says what a backup was asked for and could not hold (an -IncludeFiles that
    found no uploads). Backups that were interrupted are never listed.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Id
    Only these backups (an unknown id is a non-terminating error).

    .PARAMETER Last
    Only the newest N backups (as Get-WoosooDeployment -Last). -Limit, its old name, still works.

    .EXAMPLE
    Get-WoosooBackup

    Lists every backup of the current project, newest first.

    .EXAMPLE
    Get-WoosooBackup -Last 1 | Restore-WoosooBackup -WhatIf

    Shows every file and the database that restoring the newest backup would replace.

    .EXAMPLE
    Get-WoosooBackup -Id 2026-02-15_14-30-00 | Format-List *

    Shows everything about one backup.

    .OUTPUTS
    Woosoo.Backup

    .LINK
    New-WoosooBackup

    .LINK
    Test-WoosooBackup
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.Backup')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('BackupId')]
        [ValidateScript({ Test-WoosooBackupId $_ })]
        [string[]]$Id,

        [ValidateRange(1, 100000)]
        [Alias('Limit')]
        [int]$Last
    )
    process {
        $params = @{}
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Id) { $params.ids = @($Id) }
        if ($PSBoundParameters.ContainsKey('Last')) { $params.limit = $Last }
        try {
            Invoke-WoosooRpc -Method 'backup.list' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
