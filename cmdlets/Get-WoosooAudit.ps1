function Get-WoosooAudit {
    <#
    .SYNOPSIS
    Lists the project's audit trail: who ran which state-changing command, when, how it ended.

    .DESCRIPTION
    Every state-changing cmdlet (Set-WoosooConfig, Sync-WoosooConfig, the service changers, Invoke-WoosooBuild,
    Invoke-WoosooDeploy, Undo-WoosooDeploy, New-, Restore- and Remove-WoosooBackup, New-WoosooCertificate, ...) appends
    one JSON line to logs/audit/audit-YYYY-MM.jsonl in the project: the time, the user and host, the command and its
    parameters (secrets masked), the outcome, the duration and the deployment or backup id. -WhatIf runs are recorded
    with WhatIf set; refused runs with their error id; a -Confirm answered No as Declined.

    Returns one Woosoo.AuditEntry per line, oldest first, across the monthly files. A line that cannot be read (a
    file edited by hand) is skipped with a warning naming the file and the line.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    Accepted like on every project cmdlet; the audit trail is the project's, one for all its environments (each
    entry's Environment says which one its command was asked for).

    .PARAMETER Since
    Only entries at or after this time: a [datetime], a date such as '2026-02-15 14:30', or a span back from now
    such as 30m, 2h or 7d (as Get-WoosooLog -Since).

    .PARAMETER Command
    Only entries of these commands (wildcards allowed: *-WoosooService).

    .PARAMETER User
    Only entries of these users (wildcards allowed).

    .PARAMETER Outcome
    Only entries that ended so: Succeeded, Partial (some items failed), Refused (turned down before anything
    changed), Failed, Cancelled or Declined (-Confirm answered No).

    .EXAMPLE
    Get-WoosooAudit -Since 7d

    What was changed in the project this week, by whom.

    .EXAMPLE
    Get-WoosooAudit -Command Invoke-WoosooDeploy -Outcome Failed, Refused | Format-List *

    Every deploy that did not go through, with its parameters and error.

    .OUTPUTS
    Woosoo.AuditEntry

    .LINK
    Get-WoosooLog
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.AuditEntry')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [object]$Since,

        [SupportsWildcards()]
        [string[]]$Command,

        [SupportsWildcards()]
        [string[]]$User,

        [ValidateSet('Succeeded', 'Partial', 'Refused', 'Failed', 'Cancelled', 'Declined')]
        [string[]]$Outcome
    )
    process {
        $params = @{}
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($Command) { $params.command = @($Command) }
        if ($User) { $params.user = @($User) }
        if ($Outcome) { $params.outcome = @($Outcome) }
        try {
            if ($null -ne $Since) { $params.since = ConvertTo-WoosooLogTime -Value $Since -Name 'Since' }
            Invoke-WoosooRpc -Method 'audit.get' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
