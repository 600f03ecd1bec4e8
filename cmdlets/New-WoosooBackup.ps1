function New-WoosooBackup {
    <#
    .SYNOPSIS
    Makes a verifiable backup of the project's configuration, and optionally its database and uploaded files.

    .DESCRIPTION
    Copies deployment.config.env, everything in the project's configs/ folder (nginx.conf, ...) and the .env file of
    each app (BACKEND_PATH, PWA_PATH, and RELAY_PATH when the relay is enabled) into a new folder under BACKUP_PATH
    (default: backups). With -IncludeDatabase the database DB_DATABASE is dumped with mariadb-dump (or mysqldump),
    streamed through gzip into database/<db>_<id>.sql.gz; the password reaches the dump tool only through its
    environment. With -IncludeFiles the uploaded files under BACKUP_STORAGE_PATH (empty: BACKEND_PATH/storage/app)
    are copied into files/; when there are none, the backup says so in Warnings and its Includes has no Files.

    Every file is hashed while it is copied and listed in checksums.sha256 (the format of sha256sum, so
    `sha256sum -c checksums.sha256` works too); metadata.json records the id, time, description, environment,
    Woosoo version, what is included, size and creator, and never a secret. The backup is built in a temporary
    folder and renamed into place only when it is complete: an interrupted backup never shows up. The backup folder
    is readable by its owner only (0700 on Unix; an ACL for Administrators, SYSTEM and the current user on Windows).

    The id is the local time, yyyy-MM-dd_HH-mm-ss, with -2, -3 ... when several backups are made in one second.

    When a backup key exists (New-WoosooBackupKey wrote .woosoo/backup.key, or -KeyFile / -Passphrase is given), the
    parts that hold secrets - deployment.config.env and its overlays, each app's .env, the database dump - are
    encrypted with AES-256-GCM; -Encrypt encrypts every part. The checksums cover the encrypted bytes, so
    Test-WoosooBackup verifies the backup without the key. The result's KeyId and EncryptedParts say which parts are
    encrypted and with which key (never the key).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Description
    A note stored in metadata.json and shown by Get-WoosooBackup.

    .PARAMETER IncludeDatabase
    Also dump the database (DB_HOST, DB_PORT, DB_DATABASE, DB_USERNAME, DB_PASSWORD of deployment.config.env).

    .PARAMETER IncludeFiles
    Also copy the uploaded files under BACKUP_STORAGE_PATH.

    .PARAMETER Encrypt
    Encrypt every part of the backup, not only the parts that hold secrets. Needs a key (-KeyFile, -Passphrase, or
    the project's .woosoo/backup.key): without one the backup is refused with Woosoo.BackupKeyMissing.

    .PARAMETER KeyFile
    The backup key file (New-WoosooBackupKey -OutFile). Default: .woosoo/backup.key in the project, when it exists.

    .PARAMETER Passphrase
    A passphrase instead of a key file (at least 12 characters; scrypt turns it into the key, with parameters stored
    in the backup). Never logged or stored.

    .EXAMPLE
    New-WoosooBackup -Description 'before the 2.4 upgrade' -IncludeDatabase

    Backs up the configuration, the apps' .env files and the database, and returns the new Woosoo.Backup.

    .EXAMPLE
    New-WoosooBackup -Path D:\woosoo -IncludeDatabase -IncludeFiles | Test-WoosooBackup

    Makes a full backup of the project in D:\woosoo and verifies it at once.

    .EXAMPLE
    New-WoosooBackup -IncludeDatabase -Encrypt -Passphrase (Read-Host 'Backup passphrase' -AsSecureString)

    Backs up everything, every part encrypted with a key derived from the passphrase.

    .EXAMPLE
    New-WoosooBackup -WhatIf

    Shows what would be backed up without writing anything.

    .OUTPUTS
    Woosoo.Backup

    .LINK
    Get-WoosooBackup

    .LINK
    Restore-WoosooBackup
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.Backup')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateLength(0, 500)]
        [string]$Description = '',

        [switch]$IncludeDatabase,

        [switch]$IncludeFiles,

        [switch]$Encrypt,

        [string]$KeyFile,

        [System.Security.SecureString]$Passphrase
    )
    process {
        $params = @{ description = $Description; includeDatabase = $IncludeDatabase.IsPresent; includeFiles = $IncludeFiles.IsPresent; encrypt = $Encrypt.IsPresent }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $parts = 'configuration and app .env files'
        if ($IncludeDatabase) { $parts += ', database' }
        if ($IncludeFiles) { $parts += ', uploaded files' }
        if ($Encrypt) { $parts += ', all encrypted' }
        $target = 'the current project'
        if ($resolved) { $target = $resolved }
        if (-not $PSCmdlet.ShouldProcess($target, "Back up the $parts")) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved -NoEngineCall; return }
        try {
            $params += Get-WoosooBackupKeyParam -ProjectPath $resolved -KeyFile $KeyFile -Passphrase $Passphrase -Cmdlet $PSCmdlet
            Invoke-WoosooRpc -Method 'backup.create' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
