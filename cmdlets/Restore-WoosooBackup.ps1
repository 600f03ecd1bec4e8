function Restore-WoosooBackup {
    <#
    .SYNOPSIS
    Puts a backup's files (and database) back, after verifying it and saving the current state.

    .DESCRIPTION
    First verifies the backup exactly as Test-WoosooBackup does and refuses one that fails, before anything is
    touched. Every file is mapped back to where it came from in the project; an entry that would land outside the
    project folder (path traversal, also through a symbolic link) or in the backups folder rejects the whole
    restore. Then a safety backup of everything that will be replaced (and of the database, when it is restored)
    is taken, so the restore itself can be undone: its id is in the result's SafetyBackupId.

    Each file is written next to its target, checked against its checksum and renamed over the target, so no file
    is ever half-written; an existing file keeps its permissions, a new .env gets owner-only permissions. Files
    that are already identical are left alone, and files added since the backup (new uploads) are kept. The
    database dump is streamed through gunzip into the mariadb (or mysql) client; tables created after the backup
    are left alone.

    An encrypted backup needs its key (-KeyFile, -Passphrase, or the project's .woosoo/backup.key): without it the
    restore is refused with Woosoo.BackupKeyMissing, with another key with Woosoo.BackupKeyWrong, before anything is
    written. Its encrypted parts are decrypted into a staging folder under BACKUP_PATH first, every AES-GCM tag
    checked: a changed byte refuses the whole restore (Woosoo.BackupPartTampered), nothing written. The safety backup
    is encrypted with the same key.

    The configuration does not have to be valid (restoring is how a broken deployment.config.env is put back): only
    BACKUP_PATH, and the DB_* keys when the database is imported, must be.

    With -WhatIf nothing is changed and one Woosoo.RestoreAction per file and for the database is returned
    (Action: Create, Replace, Unchanged or Import). Otherwise one Woosoo.RestoreResult is returned.

    .PARAMETER Id
    The backup to restore; accepts the Id of Get-WoosooBackup's objects from the pipeline.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER SkipDatabase
    Restore the files only, even when the backup holds a database dump.

    .PARAMETER Force
    Restore a backup taken in another environment (its Environment) into this one. Without it that is refused with
    Woosoo.BackupEnvironmentMismatch: staging's files and database in production are rarely what was meant. It does
    not skip the confirmation.

    .PARAMETER KeyFile
    The backup key file (New-WoosooBackupKey -OutFile). Default: .woosoo/backup.key in the project, when it exists.

    .PARAMETER Passphrase
    A passphrase instead of a key file (at least 12 characters; scrypt turns it into the key, with parameters stored
    in the backup). Never logged or stored.

    .EXAMPLE
    Get-WoosooBackup | Select-Object -First 1 | Restore-WoosooBackup -WhatIf

    Lists every file and the database that restoring the newest backup would replace; changes nothing.

    .EXAMPLE
    Restore-WoosooBackup -Id 2026-02-15_14-30-00 -SkipDatabase

    Asks for confirmation, then restores the configuration and .env files of that backup, not the database.

    .EXAMPLE
    $r = Restore-WoosooBackup -Id 2026-02-15_14-30-00 -Confirm:$false; Restore-WoosooBackup -Id $r.SafetyBackupId

    Restores a backup without asking, then undoes it with the safety backup it took.

    .OUTPUTS
    Woosoo.RestoreResult, Woosoo.RestoreAction

    .LINK
    Get-WoosooBackup

    .LINK
    Test-WoosooBackup
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.RestoreResult', 'Woosoo.RestoreAction')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('BackupId')]
        [ValidateScript({ Test-WoosooBackupId $_ })]
        [string]$Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [switch]$SkipDatabase,

        [switch]$Force,

        [string]$KeyFile,

        [System.Security.SecureString]$Passphrase
    )
    process {
        $params = @{ id = $Id; skipDatabase = $SkipDatabase.IsPresent; force = $Force.IsPresent; whatIf = $true }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        try {
            $params += Get-WoosooBackupKeyParam -ProjectPath $resolved -KeyFile $KeyFile -Passphrase $Passphrase -Cmdlet $PSCmdlet
            # The plan verifies the backup and checks every path; it changes nothing.
            $plan = @(Invoke-WoosooRpc -Method 'backup.restore' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        $replace = @($plan | Where-Object { $_.Action -eq 'Replace' }).Count
        $create = @($plan | Where-Object { $_.Action -eq 'Create' }).Count
        $database = @($plan | Where-Object { $_.Kind -eq 'Database' })
        $what = "replace $replace and create $create file(s)"
        if ($database.Count -gt 0) { $what += " and import database $($database[0].Target)" }
        if ($PSCmdlet.ShouldProcess("backup $Id", "Restore: $what")) {
            $params.whatIf = $false
            try {
                Invoke-WoosooRpc -Method 'backup.restore' -Params $params -Cmdlet $PSCmdlet
            }
            catch {
                Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
            }
        }
        elseif ($WhatIfPreference) {
            $plan
        }
        else { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved }
    }
}
