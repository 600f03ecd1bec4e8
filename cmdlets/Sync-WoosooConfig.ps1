function Sync-WoosooConfig {
    <#
    .SYNOPSIS
    Renders deployment.config.env into the apps' .env files and configs/nginx.conf, merging without losing anything.

    .DESCRIPTION
    Validates the master configuration first and changes nothing when it has errors. Then renders each target from
    its template: the Laravel backend's .env (BACKEND_PATH), the PWA's .env (PWA_PATH) and configs/nginx.conf, plus
    any target listed in SYNC_TARGETS. A template in the project's TEMPLATES_PATH folder replaces the built-in one of
    the same name.

    The apps' .env files are merged, never clobbered: only the keys the template manages are updated, in place; every other
    line (Laravel's APP_KEY, comments, blank lines, order) stays as it is, and managed keys that are missing are
    appended. Values are quoted so that phpdotenv and Node's dotenv read them back exactly. The rendered nginx.conf
    is checked with nginx -t (when nginx is installed) before it replaces the old one; a failing check keeps the old
    file and reports nginx's message. If any target fails, nothing at all is written.

    Before a file is overwritten, the files as they were are saved in a backup (Get-WoosooBackup lists it, the
    BackupId property names it, Restore-WoosooBackup puts them back). Each file is replaced atomically; files
    holding secrets are made readable by their owner only (0600 on Unix, an ACL for Administrators, SYSTEM and the
    current user on Windows).

    Returns one Woosoo.ConfigChange per file: App, Path, Action (Create, Update or Unchanged), Diff (a unified diff
    with secrets masked), LinesAdded, LinesRemoved, Check (the nginx -t result) and BackupId. With -WhatIf nothing
    is written and the planned changes are returned; with -Confirm each changed file is asked for, showing its diff.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath,
    FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER App
    Limits the sync to these targets: backend, pwa, nginx, or a name from SYNC_TARGETS.

    .EXAMPLE
    Sync-WoosooConfig -WhatIf | Format-List App, Action, Diff

    Shows, per file, what a sync would change, as a unified diff with passwords and keys masked. Writes nothing.

    .EXAMPLE
    Sync-WoosooConfig -App backend, nginx

    Updates the backend's .env and configs/nginx.conf from deployment.config.env; the old files are backed up first.

    .EXAMPLE
    Sync-WoosooConfig -Path D:\woosoo -Confirm

    Asks before each file that would change.

    .EXAMPLE
    (Sync-WoosooConfig -App nginx -WhatIf).Diff

    Prints the diff of nginx.conf only.

    .OUTPUTS
    Woosoo.ConfigChange

    .LINK
    Test-WoosooConfig

    .LINK
    Restore-WoosooBackup
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.ConfigChange')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [ValidateNotNullOrEmpty()]
        [Alias('Target')]
        [string[]]$App
    )
    process {
        $params = @{ whatIf = $true }
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($App) { $params.apps = @($App) }
        try {
            $plan = @(Invoke-WoosooRpc -Method 'config.sync' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }

        # Ask per changed file; unchanged files need no consent.
        $apply = New-Object System.Collections.Generic.List[string]
        foreach ($change in $plan) {
            if ($change.Action -eq 'Unchanged') {
                $apply.Add([string]$change.App)
                continue
            }
            # -WhatIf prints the description; -Confirm asks with the diff (secrets are masked in it).
            $description = '{0} {1} from {2} (+{3} -{4} lines)' -f $change.Action, $change.Path, $change.Template, $change.LinesAdded, $change.LinesRemoved
            $question = $description + '?' + [Environment]::NewLine + $change.Diff
            if ($PSCmdlet.ShouldProcess($description, $question, 'Sync-WoosooConfig')) { $apply.Add([string]$change.App) }
        }
        if ($WhatIfPreference) {
            $plan
            return
        }
        if ($apply.Count -eq 0) {
            if ($plan.Count -gt 0) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path }
            return
        }

        $params.whatIf = $false
        $params.apps = $apply.ToArray()
        $params += Get-WoosooProjectKeyParam -ProjectPath $resolved -Cmdlet $PSCmdlet   # the backup of the files it overwrites
        try {
            Invoke-WoosooRpc -Method 'config.sync' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
