# The module's one backup-id pattern (the engine's is ID_RE in core/backup/layout.ts; tests/static keeps the two
# accepting the same ids). Cmdlets take an id through [ValidateScript({ Test-WoosooBackupId $_ })]: ValidatePattern
# needs a constant, and its message shows the regex where this one shows what an id looks like.
$script:WoosooBackupIdPattern = '^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(-\d{1,4})?$'

function Test-WoosooBackupId {
    param([string]$Id)
    if ($Id -cmatch $script:WoosooBackupIdPattern) { return $true }
    throw "'$Id' is not a backup id: ids look like 2026-11-22_03-15-00 (yyyy-MM-dd_HH-mm-ss, with -2, -3 … when two were made in one second), as Get-WoosooBackup shows them."
}
