function New-WoosooBackupKey {
    <#
    .SYNOPSIS
    Makes the key that encrypts backups: a key file, by default .woosoo/backup.key in the project.

    .DESCRIPTION
    Writes a fresh random 256-bit key. From then on New-WoosooBackup (and the backups a deploy, Sync-WoosooConfig or a
    restore makes) encrypts the parts that hold secrets - deployment.config.env and its overlays, every app's .env,
    the database dump - with AES-256-GCM; New-WoosooBackup -Encrypt encrypts every part. Restore-WoosooBackup needs
    the same key; Test-WoosooBackup verifies the checksums without it and, with it, authenticates every part.

    On Unix the file holds the key itself and is readable by its owner only (0600). On Windows the key is protected
    with DPAPI before it is written: for the machine (-Scope LocalMachine, the default, so the service account and
    scheduled tasks on this machine can open it; the file gets the owner-only ACL) or for the current user only
    (-Scope CurrentUser). A DPAPI key opens only on the machine (or for the account) that made it: keep an
    unprotected copy somewhere safe, or use -Passphrase backups, if backups must be restored elsewhere.

    The key id shown (the first 8 bytes of a SHA-256 of the key, in hex) is what backups record in their metadata;
    the key itself is never shown, logged or stored in a backup. An existing key file is replaced only with -Force:
    backups made with the old key then need a copy of the old file.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. The key file is the same for every environment.

    .PARAMETER OutFile
    Where to write the key file instead of .woosoo/backup.key in the project. Other cmdlets then need -KeyFile.

    .PARAMETER Scope
    Windows only: whom DPAPI protects the key for. LocalMachine (default): any account on this machine that may read
    the file (its ACL: Administrators, SYSTEM and you). CurrentUser: only your account. Ignored elsewhere.

    .PARAMETER Force
    Replace an existing key file. Backups made with the old key cannot be restored without a copy of it.

    .EXAMPLE
    New-WoosooBackupKey

    Writes .woosoo/backup.key in the current project and shows its key id. Copy the file somewhere safe.

    .EXAMPLE
    New-WoosooBackupKey -Path D:\woosoo -OutFile E:\keys\woosoo-backup.key; New-WoosooBackup -Path D:\woosoo -KeyFile E:\keys\woosoo-backup.key -Encrypt

    Keeps the key outside the project and makes a backup with every part encrypted.

    .OUTPUTS
    Woosoo.BackupKey

    .LINK
    New-WoosooBackup

    .LINK
    Restore-WoosooBackup
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.BackupKey')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [string]$OutFile,

        [ValidateSet('LocalMachine', 'CurrentUser')]
        [string]$Scope = 'LocalMachine',

        [switch]$Force
    )
    process {
        $params = @{ force = $Force.IsPresent }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $target = '.woosoo/backup.key in the project'
        if ($OutFile) {
            $params.outFile = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
            $target = $params.outFile
        }
        $action = 'Write a new backup key'
        if ($Force) { $action = 'Write a new backup key, replacing an existing one' }
        if (-not $PSCmdlet.ShouldProcess($target, $action)) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path -NoEngineCall; return }
        try {
            # Windows: DPAPI protects the key here; only the protected form reaches the engine and the disk.
            if (Test-WoosooDpapi) { $params.protectedKey = New-WoosooDpapiKey -Scope $Scope }
            Invoke-WoosooRpc -Method 'backup.newKey' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
