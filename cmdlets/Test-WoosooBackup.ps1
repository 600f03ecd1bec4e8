function Test-WoosooBackup {
    <#
    .SYNOPSIS
    Verifies backups: every checksum, the list of files, and the metadata.

    .DESCRIPTION
    Re-hashes every file of the backup and compares it with checksums.sha256, checks that no file is missing and
    none was added, that metadata.json is valid and names this backup, and that no path in the backup points
    outside it or the project (such a backup is rejected). Returns one Woosoo.BackupVerification per backup: Id,
    Valid, FilesChecked and Problems (one sentence per problem). Without -Id every backup is verified.

    Restore-WoosooBackup runs the same check first and refuses a backup that fails it.

    An encrypted backup verifies without its key: the checksums cover the encrypted bytes. With the key (-KeyFile,
    -Passphrase, or the project's .woosoo/backup.key when it is the backup's key) every encrypted part is also
    decrypted to nowhere, so each chunk's AES-GCM tag is checked: Authenticated is then True. A key given that is
    not the backup's is an error (Woosoo.BackupKeyWrong) for that backup.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER Id
    The backups to verify; accepts the Id of Get-WoosooBackup's objects from the pipeline.

    .PARAMETER KeyFile
    The backup key file (New-WoosooBackupKey -OutFile). Default: .woosoo/backup.key in the project, when it exists.

    .PARAMETER Passphrase
    A passphrase instead of a key file (at least 12 characters; scrypt turns it into the key, with parameters stored
    in the backup). Never logged or stored.

    .PARAMETER Quiet
    Return only $true when every verified backup is valid, else $false.

    .EXAMPLE
    Get-WoosooBackup -Last 1 | Test-WoosooBackup

    Verifies the newest backup.

    .EXAMPLE
    Test-WoosooBackup | Where-Object { -not $_.Valid } | Format-List Id, Problems

    Verifies every backup and lists what is wrong with the damaged ones.

    .EXAMPLE
    if (-not (Test-WoosooBackup -Id 2026-02-15_14-30-00 -Quiet)) { throw 'backup damaged' }

    Stops a script when a backup does not verify.

    .OUTPUTS
    Woosoo.BackupVerification, System.Boolean

    .LINK
    Get-WoosooBackup

    .LINK
    Restore-WoosooBackup
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.BackupVerification', [bool])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('BackupId')]
        [ValidateScript({ Test-WoosooBackupId $_ })]
        [string[]]$Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [string]$KeyFile,

        [System.Security.SecureString]$Passphrase,

        [switch]$Quiet
    )
    begin {
        $allValid = $true
    }
    process {
        $params = @{}
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Id) { $params.ids = @($Id) }
        try {
            $params += Get-WoosooBackupKeyParam -ProjectPath $resolved -KeyFile $KeyFile -Passphrase $Passphrase -Cmdlet $PSCmdlet
            $results = @(Invoke-WoosooRpc -Method 'backup.test' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        if ($Id -and $results.Count -lt @($Id).Count) { $allValid = $false }
        foreach ($result in $results) {
            if (-not $result.Valid) { $allValid = $false }
            if (-not $Quiet) { $result }
        }
    }
    end {
        if ($Quiet) { $allValid }
    }
}
