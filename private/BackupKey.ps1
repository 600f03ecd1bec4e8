# Backup keys on the PowerShell side. A -Passphrase (SecureString) is made plain only to go to the engine (which
# masks it in everything it sends back). A key file protected with DPAPI (Windows) can only be opened here, with
# [System.Security.Cryptography.ProtectedData]; the engine then gets the key itself. A raw key file (Unix, 0600) the
# engine reads on its own. Nothing here writes a key or a passphrase anywhere but the engine's stdin.

function Test-WoosooDpapi {
    # DPAPI exists on Windows only (Windows PowerShell 5.1, and pwsh 7 on Windows ships ProtectedData).
    if (-not (Test-WoosooWindows)) { return $false }
    try {
        Add-Type -AssemblyName System.Security -ErrorAction Stop
        return ($null -ne ('System.Security.Cryptography.ProtectedData' -as [type]))
    }
    catch {
        Write-Debug "DPAPI unavailable: $_"
        return $false
    }
}

function Get-WoosooBackupKeyParam {
    # The wire parameters (passphrase | key | keyFile) for the key a backup cmdlet was given, or for the project's
    # .woosoo/backup.key when none was and it is DPAPI-protected (a raw one the engine finds itself).
    param([string]$ProjectPath, [string]$KeyFile, [System.Security.SecureString]$Passphrase, $Cmdlet)
    $out = @{}
    if ($null -ne $Passphrase) {
        $out.passphrase = [System.Net.NetworkCredential]::new('', $Passphrase).Password
        return $out
    }
    $file = $null
    if ($KeyFile) { $file = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($KeyFile) }
    else {
        $project = $ProjectPath
        if (-not $project) { $project = $Cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
        elseif (Test-Path -LiteralPath $project -PathType Leaf) { $project = Split-Path -Parent $project }
        $candidate = [System.IO.Path]::Combine($project, '.woosoo', 'backup.key')
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { $file = $candidate }
    }
    if (-not $file) { return $out }
    $line = $null
    if (Test-Path -LiteralPath $file -PathType Leaf) {
        $line = @(Get-Content -LiteralPath $file | Where-Object { $_ -match '^\s*woosoo-backup-key\s' })[0]
    }
    $fields = @()
    if ($line) { $fields = @($line.Trim() -split '\s+') }
    if ($fields.Count -eq 5 -and $fields[2] -like 'dpapi-*' -and (Test-WoosooDpapi)) {
        $scope = [System.Security.Cryptography.DataProtectionScope]::LocalMachine
        if ($fields[2] -eq 'dpapi-user') { $scope = [System.Security.Cryptography.DataProtectionScope]::CurrentUser }
        try {
            $key = [System.Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String($fields[4]), $null, $scope)
        }
        catch {
            throw (New-WoosooErrorRecord -ErrorId 'BackupKeyUnreadable' -Category SecurityError -TargetObject $file `
                    -Message "The backup key in $file is protected with DPAPI ($($fields[2])) and this account on this machine cannot open it: $($_.Exception.Message)" `
                    -RecommendedAction 'Run as the account (or on the machine) that made it, or give -Passphrase or another -KeyFile.')
        }
        $out.key = [Convert]::ToBase64String($key)
        if (-not $KeyFile) { $out.keyFromProject = $true }   # Test-WoosooBackup: another key's backups stay unauthenticated
        [Array]::Clear($key, 0, $key.Length)
        return $out
    }
    # A raw key file (or one the engine reports on: missing, invalid, DPAPI where DPAPI is not available).
    if ($KeyFile) { $out.keyFile = $file }
    return $out
}

function Get-WoosooProjectKeyParam {
    # For the cmdlets whose backups and restores the engine makes on its own (Invoke-WoosooDeploy, Undo-WoosooDeploy,
    # Sync-WoosooConfig, Set-WoosooConfig): the project's DPAPI-protected .woosoo/backup.key, opened here and sent as
    # `key` (the engine cannot open DPAPI); nothing for a raw key file (the engine reads it itself) or none. A key
    # this account cannot open is a warning: the engine goes on without it (and says what that means).
    param([string]$ProjectPath, $Cmdlet)
    try {
        return (Get-WoosooBackupKeyParam -ProjectPath $ProjectPath -Cmdlet $Cmdlet)
    }
    catch {
        $Cmdlet.WriteWarning($_.Exception.Message)
        return @{}
    }
}

function New-WoosooDpapiKey {
    # A fresh 32-byte key protected with DPAPI, and its id (the engine's keyIdOf: SHA-256 over a label and the key).
    param([ValidateSet('LocalMachine', 'CurrentUser')][string]$Scope)
    $key = New-Object byte[] 32
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $rng.GetBytes($key) } finally { $rng.Dispose() }
    $label = [System.Text.Encoding]::ASCII.GetBytes("woosoo-backup-key-id`0")
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { $hash = $sha.ComputeHash([byte[]]($label + $key)) } finally { $sha.Dispose() }
    $id = (($hash[0..7] | ForEach-Object { $_.ToString('x2') }) -join '')
    $blob = [System.Security.Cryptography.ProtectedData]::Protect($key, $null, [System.Security.Cryptography.DataProtectionScope]::$Scope)
    [Array]::Clear($key, 0, $key.Length)
    $scheme = 'dpapi-machine'
    if ($Scope -eq 'CurrentUser') { $scheme = 'dpapi-user' }
    return @{ scheme = $scheme; keyId = $id; blob = [Convert]::ToBase64String($blob) }
}
