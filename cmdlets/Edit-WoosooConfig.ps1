function Edit-WoosooConfig {
    <#
    .SYNOPSIS
    Edits deployment.config.env interactively: key by key, each answer validated as it is typed, the diff shown before saving.

    .DESCRIPTION
    The configuration editor for a person at a terminal. It walks the keys group by group (Network, Database, ...)
    and shows, for each, its help, its type, its default and its current value (secrets masked), then asks for the
    new value. Enter keeps the current value. Without -Name it first asks, per group, whether to go through it
    (Enter) or skip it (s).

    Each answer is checked at once by the engine, with the answers given before it, exactly as Set-WoosooConfig
    would check it: a port out of range, a port another service uses, a password too short or a value of the
    wrong type is refused with the rule and its fix, and the key is asked again. Secrets (DB_PASSWORD,
    REVERB_APP_SECRET, ...) are read without echo, and never shown.

    At the end the diff of deployment.config.env is shown (secrets masked) and the editor asks whether to save.
    Saving validates the whole configuration with all the new values, backs up the old file (Restore-WoosooBackup
    puts it back), then writes the new one atomically, keeping comments, order and quoting. Returns a
    Woosoo.ConfigChange with the diff and the backup's id. Typing cancel at any question, answering No, or Ctrl+C
    leaves the file untouched (and makes no backup).

    The questions go through the PowerShell host ($Host.UI), so the editor works in the console of Windows PowerShell
    5.1 and PowerShell 7, in the ISE and in VS Code. A PowerShell that cannot ask (started with -NonInteractive, or
    without input) is refused with Woosoo.EditorNotInteractive: scripts use Set-WoosooConfig.

    Run Sync-WoosooConfig afterwards to render the changes into the apps (a deploy does it by itself).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath, FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production); the answers are saved into that overlay. Default: $env:WOOSOO_ENVIRONMENT,
    else ENVIRONMENT in deployment.config.env (answers then go into deployment.config.env).

    .PARAMETER Name
    Only these keys (Tab completes them); wildcards are welcome (DB_*, *_PORT).

    .EXAMPLE
    Edit-WoosooConfig

    Goes through every group of keys of the project in the current folder, then shows the diff and asks to save.

    .EXAMPLE
    Edit-WoosooConfig -Name *_PORT

    Asks for the ports only: each answer is checked against the other ports as it is typed.

    .EXAMPLE
    Edit-WoosooConfig -Name DB_PASSWORD -Path D:\woosoo

    Changes the database password; it is typed without echo and masked in the diff.

    .EXAMPLE
    Edit-WoosooConfig -Name HTTP_PORT -WhatIf

    Asks, then shows the diff and returns the change without writing anything.

    .OUTPUTS
    Woosoo.ConfigChange

    .LINK
    Set-WoosooConfig

    .LINK
    Get-WoosooConfig

    .LINK
    Sync-WoosooConfig
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('Woosoo.ConfigChange')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]]$Name
    )
    process {
        $ui = $Host.UI
        $notInteractive = New-WoosooErrorRecord -ErrorId 'EditorNotInteractive' -Category InvalidOperation -TargetObject $Host.Name `
            -Message 'Edit-WoosooConfig asks its questions at a terminal, and this PowerShell cannot ask them (it runs with -NonInteractive, or without input). deployment.config.env was not changed.' `
            -RecommendedAction 'In scripts, set keys with Set-WoosooConfig -Name KEY -Value VALUE (-SecureValue for secrets).'
        $noInteractive = @([Environment]::GetCommandLineArgs() | Where-Object { $_ -match '^(--?|/)noni[a-z]*$' }).Count -gt 0
        if ($noInteractive -or ($Host.Name -eq 'ConsoleHost' -and [Console]::IsInputRedirected)) {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $notInteractive; return
        }
        $params = @{}
        $resolved = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        try {
            $schema = @(Invoke-WoosooRpc -Method 'config.schema' -Params @{} -Cmdlet $PSCmdlet)
            $config = @(Invoke-WoosooRpc -Method 'config.get' -Params $params -Cmdlet $PSCmdlet)[0]
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }

        # The keys to ask, by group in the order the engine declares them.
        $groups = [ordered]@{}
        foreach ($key in $schema) {
            $wanted = -not $Name
            foreach ($pattern in @($Name)) { if ($key.Name -like $pattern) { $wanted = $true } }
            if (-not $wanted) { continue }
            if (-not $groups.Contains($key.Group)) { $groups[$key.Group] = New-Object System.Collections.ArrayList }
            $null = $groups[$key.Group].Add($key)
        }
        if ($groups.Count -eq 0) {
            $record = New-WoosooErrorRecord -ErrorId 'ConfigKeyNotFound' -Category ObjectNotFound -TargetObject ($Name -join ',') `
                -Message ('No configuration key matches {0}; {1} was not changed.' -f ($Name -join ', '), $config.ConfigPath) `
                -RecommendedAction 'Get-WoosooConfig lists the keys (Tab after -Name completes them).'
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $record; return
        }

        # One answer: $null when the host has no input left, else the text (a secret read without echo).
        $read = {
            param($Secret)
            try {
                if ($Secret) {
                    $secure = $ui.ReadLineAsSecureString()
                    if ($null -eq $secure) { return $null }
                    return [System.Net.NetworkCredential]::new('', $secure).Password
                }
                return $ui.ReadLine()
            }
            catch [System.Management.Automation.PSInvalidOperationException] {
                return $null
            }
        }
        $shown = {
            param($Value)
            if ($null -eq $Value -or [string]$Value -eq '') { return '(empty)' }
            if ($Value -is [bool]) { return ([string]$Value).ToLowerInvariant() }
            return [string]$Value
        }
        $cancelled = {
            $ui.WriteLine(('Cancelled: {0} was not changed.' -f $config.ConfigPath))
        }

        $total = 0
        foreach ($group in $groups.Values) { $total += $group.Count }
        $ui.WriteLine(('Editing {0}: {1} key(s). Enter keeps a value; cancel (or Ctrl+C) stops without saving.' -f $config.ConfigPath, $total))
        $changes = New-Object System.Collections.ArrayList
        $plan = $null
        $index = 0
        foreach ($groupName in $groups.Keys) {
            $keys = $groups[$groupName]
            $ui.WriteLine('')
            $ui.WriteLine(('== {0} ({1} key(s)) ==' -f $groupName, $keys.Count))
            if (-not $Name) {
                $ui.Write('Enter goes through them, s skips the group: ')
                $answer = & $read $false
                if ($null -eq $answer) { Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $notInteractive; return }
                if ($answer.Trim() -eq 'cancel') { & $cancelled; return }
                if ($answer.Trim() -eq 's') { $index += $keys.Count; continue }
            }
            foreach ($key in $keys) {
                $index++
                $property = $config.PSObject.Properties[$key.Name]
                $current = '(not set)'
                if ($null -ne $property) { $current = & $shown $property.Value }
                $default = '(none)'
                if ($null -ne $key.Default) { $default = & $shown $key.Default }
                $ui.WriteLine('')
                $ui.WriteLine(('{0} ({1}) [{2}/{3}]' -f $key.Name, $key.Type, $index, $total))
                $ui.WriteLine(('  {0}' -f $key.Help))
                $ui.WriteLine(('  Default: {0}   Current: {1}' -f $default, $current))
                while ($true) {
                    $ui.Write(('{0} [{1}]: ' -f $key.Name, $current))
                    $answer = & $read $key.Secret
                    if ($null -eq $answer) { Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $notInteractive; return }
                    if ($answer -eq '') { break }
                    if ($answer.Trim() -eq 'cancel') { & $cancelled; return }
                    # The engine's own rules decide, with the answers so far (config.set, whatIf: nothing written).
                    $check = $params.Clone()
                    $check.changes = @($changes.ToArray()) + @(@{ name = $key.Name; value = $answer })
                    $check.whatIf = $true
                    try {
                        $plan = @(Invoke-WoosooRpc -Method 'config.set' -Params $check -Cmdlet $PSCmdlet)[0]
                        $null = $changes.Add(@{ name = $key.Name; value = $answer })
                        break
                    }
                    catch {
                        if ($_.FullyQualifiedErrorId -notlike 'Woosoo.ConfigValue*') { Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return }
                        $problems = @(([string]$_.Exception.Message) -split '\r?\n' | Where-Object { $_ -match '^\s+- ' })
                        if ($problems.Count -eq 0) {
                            $problems = @(('  - {0} Fix: {1}' -f (([string]$_.Exception.Message) -replace ';[^;]*was not changed\.$', '.'), $_.ErrorDetails.RecommendedAction))
                        }
                        $ui.WriteErrorLine(('{0} refused:' -f $key.Name))
                        foreach ($line in $problems) { $ui.WriteErrorLine($line) }
                        $ui.WriteLine('Type another value, Enter to keep the current one, or cancel.')
                    }
                }
            }
        }

        if ($null -eq $plan -or $plan.Action -eq 'Unchanged') {
            $ui.WriteLine('')
            $ui.WriteLine(('No change: {0} was not changed.' -f $config.ConfigPath))
            return
        }
        $ui.WriteLine('')
        $ui.WriteLine($plan.Diff.TrimEnd())
        $what = 'Save {0} change(s)' -f $changes.Count
        if (-not $PSCmdlet.ShouldProcess($plan.Path, $what)) {
            if ($WhatIfPreference -or $PSCmdlet.MyInvocation.BoundParameters['WhatIf']) { $plan }
            Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path
            return
        }
        if (-not $PSCmdlet.MyInvocation.BoundParameters['Confirm']) {
            $choices = [System.Management.Automation.Host.ChoiceDescription[]]@(
                (New-Object System.Management.Automation.Host.ChoiceDescription '&Yes', 'Back up the file, then write the changes.'),
                (New-Object System.Management.Automation.Host.ChoiceDescription '&No', 'Leave the file as it is.'))
            try {
                $choice = $ui.PromptForChoice('Save', ('Save these changes to {0}?' -f $plan.Path), $choices, 0)
            }
            catch [System.Management.Automation.PSInvalidOperationException] {
                Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $notInteractive; return
            }
            if ($choice -ne 0) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path; & $cancelled; return }
        }
        $params.changes = $changes.ToArray()
        $params.whatIf = $false
        $params += Get-WoosooProjectKeyParam -ProjectPath $resolved -Cmdlet $PSCmdlet   # the backup of the file it edits
        try {
            $saved = @(Invoke-WoosooRpc -Method 'config.set' -Params $params -Cmdlet $PSCmdlet)[0]
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        Write-WoosooInformation -Cmdlet $PSCmdlet -Message ('Saved {0}; the file as it was is in backup {1}. Sync-WoosooConfig renders the changes into the apps.' -f $saved.Path, $saved.BackupId)
        $saved
    }
}
