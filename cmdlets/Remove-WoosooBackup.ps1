function Remove-WoosooBackup {
    <#
    .SYNOPSIS
    Removes old backups by retention, or one backup by id; never the newest valid backup.

    .DESCRIPTION
    Without -Id, applies retention: removes the backups created longer ago than -OlderThan (default:
    BACKUP_RETENTION_DAYS days), but always keeps the newest -KeepMinimum backups (default: BACKUP_KEEP_MINIMUM) and
    never removes the newest backup that passes verification, whatever the other settings say. Without -OlderThan
    it also removes the oldest backups beyond BACKUP_KEEP_MAXIMUM, however young (every deploy applies this same
    retention when it ends). With -Id, removes
    those backups (the newest valid backup is refused). Asks for confirmation per backup (ConfirmImpact High);
    -WhatIf shows which backups would go. A backup being removed is renamed first, so a removal that is interrupted
    never leaves something that looks like a backup.

    .PARAMETER Id
    The backups to remove; accepts the Id of Get-WoosooBackup's objects from the pipeline.

    .PARAMETER OlderThan
    Age past which backups are removed: a [TimeSpan], or a number with a unit such as 30d, 12h, 90m, 45s, 2w (or
    30.00:00:00). A bare number (30) is refused with Woosoo.BackupAgeInvalid: add the unit.

    .PARAMETER KeepMinimum
    The number of newest backups that are always kept.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .EXAMPLE
    Remove-WoosooBackup -OlderThan 30d -KeepMinimum 5

    Removes backups older than 30 days, keeping at least the five newest and the newest valid one.

    .EXAMPLE
    Remove-WoosooBackup -OlderThan 12h -WhatIf

    Shows which backups older than 12 hours would be removed.

    .EXAMPLE
    Get-WoosooBackup | Where-Object Creator -like '*safety*' | Select-Object -Skip 1 | Remove-WoosooBackup -Confirm:$false

    Removes every safety backup but the newest, without asking.

    .LINK
    Get-WoosooBackup

    .LINK
    New-WoosooBackup
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Retention')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Id', ValueFromPipelineByPropertyName)]
        [Alias('BackupId')]
        [ValidateScript({ Test-WoosooBackupId $_ })]
        [string[]]$Id,

        [Parameter(ParameterSetName = 'Retention', Position = 0)]
        [ValidateNotNull()]
        [object]$OlderThan,

        [Parameter(ParameterSetName = 'Retention')]
        [ValidateRange(0, 100000)]
        [int]$KeepMinimum,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $base = @{}
        $resolved = Add-WoosooProjectParameter -Params $base -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        $selected = @()
        if ($PSCmdlet.ParameterSetName -eq 'Id') {
            $selected = @($Id)
        }
        else {
            $params = $base.Clone()
            $params.plan = $true
            if ($PSBoundParameters.ContainsKey('OlderThan')) {
                try {
                    $span = ConvertTo-WoosooTimeSpan -Value $OlderThan -Name 'OlderThan' -ErrorId 'BackupAgeInvalid'
                }
                catch {
                    Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
                }
                $params.olderThanSeconds = $span.TotalSeconds
            }
            if ($PSBoundParameters.ContainsKey('KeepMinimum')) { $params.keepMinimum = $KeepMinimum }
            try {
                $selected = @(Invoke-WoosooRpc -Method 'backup.remove' -Params $params -Cmdlet $PSCmdlet | ForEach-Object { $_.Id })
            }
            catch {
                Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
            }
            if ($selected.Count -eq 0) {
                $age = if ($PSBoundParameters.ContainsKey('OlderThan')) { "$OlderThan" } else { 'BACKUP_RETENTION_DAYS' }
                $keep = if ($PSBoundParameters.ContainsKey('KeepMinimum')) { "$KeepMinimum" } else { 'BACKUP_KEEP_MINIMUM' }
                Write-WoosooInformation -Cmdlet $PSCmdlet -Message "Nothing to remove: no backup is older than $age beyond the newest $keep kept (the newest valid backup is always kept)."
            }
        }
        foreach ($one in $selected) {
            if (-not $PSCmdlet.ShouldProcess("backup $one", 'Remove')) {
                Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $resolved -NoEngineCall:($PSCmdlet.ParameterSetName -eq 'Id')
                continue
            }
            $params = $base.Clone()
            $params.ids = @($one)
            try {
                $null = Invoke-WoosooRpc -Method 'backup.remove' -Params $params -Cmdlet $PSCmdlet
            }
            catch {
                # One backup that cannot go (the newest valid one, an unknown id) does not stop the others.
                $PSCmdlet.WriteError($_)
            }
        }
    }
}
