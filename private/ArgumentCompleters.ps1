# Tab completion for the names and ids the cmdlets take: service names, log services, backup and deployment ids,
# apps and configuration keys. Values come from the engine (it knows the project's layout) for the project in
# -Path, else the session's project as the cmdlets find it, and are kept a few seconds per project.
# A completer never throws and never prints: a project that cannot be read completes nothing.

$script:WoosooCompletionCache = @{}
$script:WoosooCompletionSeconds = 5

function Get-WoosooCompletionData {
    # The result of one engine method for the project the command line names, or $null. Never throws.
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Method, [hashtable]$Params = @{}, $BoundParameters, [switch]$NoProject)
    $WarningPreference = 'SilentlyContinue'
    $InformationPreference = 'SilentlyContinue'
    $VerbosePreference = 'SilentlyContinue'
    $DebugPreference = 'SilentlyContinue'
    $ProgressPreference = 'SilentlyContinue'
    try {
        $query = @{}
        foreach ($name in $Params.Keys) { $query[$name] = $Params[$name] }
        $where = ''
        if (-not $NoProject) {
            $path = $null
            if ($null -ne $BoundParameters -and $BoundParameters.ContainsKey('Path')) { $path = [string]$BoundParameters['Path'] }
            if ($path) {
                $query.path = Resolve-WoosooPath -Path $path -Cmdlet $PSCmdlet
                $where = $query.path
            }
            else {
                # The engine finds it as for the cmdlets: $env:WOOSOO_PROJECT, else the session's location or above.
                $where = $PSCmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath + [char]0 + $env:WOOSOO_PROJECT
            }
            # The environment the command line names, else the session's: the overlay changes what completes.
            $environment = $env:WOOSOO_ENVIRONMENT
            if ($null -ne $BoundParameters -and $BoundParameters.ContainsKey('Environment')) {
                $environment = [string]$BoundParameters['Environment']
                $query.environment = $environment
            }
            $where += [char]0 + $environment
        }
        $key = $Method + [char]0 + $where
        $hit = $script:WoosooCompletionCache[$key]
        if ($null -ne $hit -and ([datetime]::UtcNow - $hit.At).TotalSeconds -lt $script:WoosooCompletionSeconds) { return $hit.Result }
        $result = $null
        try {
            $result = @(Invoke-WoosooRpc -Method $Method -Params $query -Cmdlet $PSCmdlet -ResultOnly) | Select-Object -Last 1
        }
        catch {
            Write-Debug "completion ($Method): $_"
        }
        $script:WoosooCompletionCache[$key] = @{ At = [datetime]::UtcNow; Result = $result }
        return $result
    }
    catch {
        return $null
    }
}

function Get-WoosooCompletionItem {
    # The typed items of a method's result (dates as [datetime]), for the project the command line names.
    param([string]$Method, $BoundParameters)
    $result = Get-WoosooCompletionData -Method $Method -BoundParameters $BoundParameters
    if ($null -eq $result) { return }
    foreach ($item in @($result.items)) {
        if ($null -ne $item) { ConvertTo-WoosooValue -Value $item }
    }
}

function New-WoosooCompletionResult {
    # A CompletionResult for $Text when it (or one of $Also, e.g. a service's short name) starts with the word typed.
    param([string]$Word, [string]$Text, [string]$ToolTip, [string[]]$Also = @())
    $typed = $Word -replace '^[''"]', '' -replace '[''"]$', ''
    $matched = $false
    foreach ($candidate in @($Text) + $Also) {
        if ($candidate -and $candidate.StartsWith($typed, [System.StringComparison]::OrdinalIgnoreCase)) { $matched = $true }
    }
    if (-not $matched) { return }
    $completion = $Text
    if ($Text -match '[\s''"`$&(){};,|<>@#]') { $completion = "'" + ($Text -replace "'", "''") + "'" }
    if (-not $ToolTip) { $ToolTip = $Text }
    New-Object System.Management.Automation.CompletionResult($completion, $Text, 'ParameterValue', $ToolTip)
}

function Get-WoosooShortName {
    # The names after each dash (woosoo-queue-worker: queue-worker, worker), so that short names complete too.
    param([string]$Name)
    $parts = $Name -split '-'
    for ($i = 1; $i -lt $parts.Count; $i++) { $parts[$i..($parts.Count - 1)] -join '-' }
}

function Format-WoosooCompletionSize {
    param([double]$Bytes)
    foreach ($unit in @(@('GB', 1073741824), @('MB', 1048576), @('KB', 1024))) {
        if ($Bytes -ge $unit[1]) { return '{0:N1} {1}' -f ($Bytes / $unit[1]), $unit[0] }
    }
    return '{0:N0} bytes' -f $Bytes
}

function Format-WoosooCompletionTime {
    param($Value)
    if ($Value -is [datetime]) { return $Value.ToString('yyyy-MM-dd HH:mm:ss', [System.Globalization.CultureInfo]::InvariantCulture) }
    return [string]$Value
}

function Get-WoosooStackService {
    # The stack's services with their status (services.get); where the service manager cannot say (NSSM not
    # installed yet, PM2 not answering), the names from the configuration alone (services.list), status unknown.
    param($BoundParameters)
    $services = @(Get-WoosooCompletionItem -Method 'services.get' -BoundParameters $BoundParameters)
    if ($services.Count -gt 0) { return $services }
    $list = Get-WoosooCompletionData -Method 'services.list' -BoundParameters $BoundParameters
    if ($null -eq $list) { return }
    foreach ($definition in @($list.value)) {
        if ($null -eq $definition) { continue }
        [pscustomobject]@{ Name = $definition.Name; DisplayName = $definition.DisplayName; Status = 'status unknown'; ProcessId = $null; Port = $definition.Port }
    }
}

function Get-WoosooServiceCompletion {
    param([string]$Word, $BoundParameters)
    foreach ($service in Get-WoosooStackService -BoundParameters $BoundParameters) {
        $tip = '{0}: {1}' -f $service.DisplayName, $service.Status
        if ($service.ProcessId) { $tip += ', PID {0}' -f $service.ProcessId }
        if ($service.Port) { $tip += ', port {0}' -f $service.Port }
        New-WoosooCompletionResult -Word $Word -Text $service.Name -ToolTip $tip -Also @(Get-WoosooShortName -Name $service.Name)
    }
}

function Get-WoosooLogServiceCompletion {
    # The services that have logs (what the engine reads), then the stack's services that have none yet, then all.
    param([string]$Word, $BoundParameters)
    $seen = @{}
    $logs = Get-WoosooCompletionData -Method 'logs.list' -BoundParameters $BoundParameters
    if ($null -ne $logs) {
        foreach ($source in @($logs.value)) {
            if ($null -eq $source) { continue }
            $seen[[string]$source.Service] = $true
            $tip = '{0}: {1} file(s), {2}' -f $source.Service, $source.Files, (Format-WoosooCompletionSize -Bytes $source.SizeBytes)
            if ($source.LastWriteTime) { $tip += ', last written {0}' -f (Format-WoosooCompletionTime -Value (ConvertTo-WoosooValue -Value $source.LastWriteTime)) }
            New-WoosooCompletionResult -Word $Word -Text $source.Service -ToolTip $tip -Also @(Get-WoosooShortName -Name $source.Service)
        }
    }
    foreach ($service in Get-WoosooStackService -BoundParameters $BoundParameters) {
        if ($seen.ContainsKey([string]$service.Name)) { continue }
        $seen[[string]$service.Name] = $true
        $tip = '{0}: no logs yet ({1})' -f $service.DisplayName, $service.Status
        New-WoosooCompletionResult -Word $Word -Text $service.Name -ToolTip $tip -Also @(Get-WoosooShortName -Name $service.Name)
    }
    if ($seen.Count -gt 0) { New-WoosooCompletionResult -Word $Word -Text 'all' -ToolTip 'Every log of the project, merged by time' }
}

function Get-WoosooBackupCompletion {
    param([string]$Word, $BoundParameters)
    foreach ($backup in Get-WoosooCompletionItem -Method 'backup.list' -BoundParameters $BoundParameters) {
        $parts = @(Format-WoosooCompletionTime -Value $backup.CreatedAt)
        if ($backup.Description) { $parts += [string]$backup.Description }
        if (@($backup.Includes).Count -gt 0) { $parts += (@($backup.Includes) -join ', ') }
        $parts += Format-WoosooCompletionSize -Bytes $backup.SizeBytes
        if ($backup.Creator) { $parts += 'by ' + $backup.Creator }
        if ($backup.Problem) { $parts += 'PROBLEM: ' + $backup.Problem }
        New-WoosooCompletionResult -Word $Word -Text $backup.Id -ToolTip ($parts -join ' | ')
    }
}

function Get-WoosooDashboardUserCompletion {
    param([string]$Word, $BoundParameters)
    foreach ($user in Get-WoosooCompletionItem -Method 'dashboard.userList' -BoundParameters $BoundParameters) {
        New-WoosooCompletionResult -Word $Word -Text $user.Name -ToolTip ('{0} | updated {1}' -f $user.Role, (Format-WoosooCompletionTime -Value $user.Updated))
    }
}

function Get-WoosooDeploymentCompletion {
    # Undo-WoosooDeploy takes the deployments that need a rollback; Get-WoosooDeployment takes every one.
    param([string]$Word, $BoundParameters, [switch]$NeedsRollback)
    foreach ($deployment in Get-WoosooCompletionItem -Method 'deploy.get' -BoundParameters $BoundParameters) {
        if ($NeedsRollback -and @('Failed', 'Interrupted', 'RollbackFailed') -notcontains [string]$deployment.Status) { continue }
        $tip = '{0} | {1} | {2}' -f $deployment.Status, $deployment.Scope, (Format-WoosooCompletionTime -Value $deployment.StartedAt)
        if ($deployment.FailedStep) { $tip += ' | failed at ' + $deployment.FailedStep }
        if ($deployment.BackupId) { $tip += ' | backup ' + $deployment.BackupId }
        New-WoosooCompletionResult -Word $Word -Text $deployment.Id -ToolTip $tip
    }
}

function Get-WoosooConfigValueMap {
    # Name -> Woosoo.ConfigValue of every key of the project (secrets masked), or an empty table.
    param($BoundParameters)
    $map = [ordered]@{}
    $result = Get-WoosooCompletionData -Method 'config.get' -Params @{ names = @('*') } -BoundParameters $BoundParameters
    if ($null -ne $result) {
        foreach ($item in @($result.items)) {
            if ($null -ne $item -and $item.Name) { $map[[string]$item.Name] = $item }
        }
    }
    return $map
}

function Get-WoosooConfigKeyCompletion {
    param([string]$Word, $BoundParameters)
    $values = Get-WoosooConfigValueMap -BoundParameters $BoundParameters
    if ($values.Count -eq 0) { return }
    $help = @{}
    $schema = Get-WoosooCompletionData -Method 'config.schema' -NoProject
    if ($null -ne $schema) {
        foreach ($key in @($schema.items)) { if ($null -ne $key) { $help[[string]$key.Name] = [string]$key.Help } }
    }
    foreach ($name in $values.Keys) {
        $entry = $values[$name]
        $source = 'default'
        if ($entry.Source -eq 'File') { $source = 'line {0}' -f $entry.Line }
        $tip = '{0} = {1} ({2}, {3})' -f $name, $entry.Value, $entry.Group, $source
        if ($help.ContainsKey($name)) { $tip += [Environment]::NewLine + $help[$name] }
        New-WoosooCompletionResult -Word $Word -Text $name -ToolTip $tip
    }
}

function Get-WoosooConfigText {
    param($Values, [string]$Name)
    if ($Values.Contains($Name)) { return [string]$Values[$Name].Value }
    return ''
}

function Get-WoosooAppCompletion {
    # Sync-WoosooConfig's targets: backend, pwa, nginx and the project's SYNC_TARGETS names. (Invoke-WoosooBuild's
    # -App has a ValidateSet, which PowerShell completes by itself before any registered completer.)
    param([string]$Word, $BoundParameters)
    $values = Get-WoosooConfigValueMap -BoundParameters $BoundParameters
    if ($values.Count -eq 0) { return }
    $backend = Get-WoosooConfigText -Values $values -Name 'BACKEND_PATH'
    $pwa = Get-WoosooConfigText -Values $values -Name 'PWA_PATH'
    New-WoosooCompletionResult -Word $Word -Text 'backend' -ToolTip ('The Laravel backend''s {0}/.env (laravel.env.hbs)' -f $backend)
    New-WoosooCompletionResult -Word $Word -Text 'pwa' -ToolTip ('The PWA''s {0}/.env (pwa.env.hbs)' -f $pwa)
    New-WoosooCompletionResult -Word $Word -Text 'nginx' -ToolTip 'configs/nginx.conf (nginx.conf.hbs)'
    foreach ($entry in (Get-WoosooConfigText -Values $values -Name 'SYNC_TARGETS') -split ',') {
        $fields = $entry.Trim() -split ':', 3
        if ($fields.Count -eq 3) { New-WoosooCompletionResult -Word $Word -Text $fields[0] -ToolTip ('{0} ({1}, from SYNC_TARGETS)' -f $fields[2], $fields[1]) }
    }
}

function Get-WoosooEnvironmentCompletion {
    # -Environment: the values ENVIRONMENT allows (config.schema), each saying whether the project has its overlay.
    [CmdletBinding()]
    param([string]$Word, $BoundParameters)
    $schema = Get-WoosooCompletionData -Method 'config.schema' -NoProject
    if ($null -eq $schema) { return }
    $key = @($schema.items) | Where-Object { $null -ne $_ -and $_.Name -eq 'ENVIRONMENT' } | Select-Object -First 1
    if ($null -eq $key) { return }
    $folder = $env:WOOSOO_PROJECT
    if ($null -ne $BoundParameters -and $BoundParameters.ContainsKey('Path')) { $folder = Resolve-WoosooPath -Path ([string]$BoundParameters['Path']) -Cmdlet $PSCmdlet }
    if (-not $folder) { $folder = $PSCmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
    if (Test-Path -LiteralPath $folder -PathType Leaf) { $folder = Split-Path -Parent $folder }
    foreach ($name in ([string]$key.Type -split '\s*\|\s*')) {
        $file = Join-Path $folder ('deployment.config.{0}.env' -f $name)
        $tip = 'No overlay: {0} does not exist' -f $file
        if (Test-Path -LiteralPath $file) { $tip = 'Overlay {0}' -f $file }
        New-WoosooCompletionResult -Word $Word -Text $name -ToolTip $tip
    }
}

function Get-WoosooBindAddressCompletion {
    # Start-WoosooDashboard -BindAddress: loopback, this machine's IPv4 addresses, and every interface. No engine call.
    param([string]$Word)
    New-WoosooCompletionResult -Word $Word -Text '127.0.0.1' -ToolTip '127.0.0.1: this machine only, over HTTP (the default)'
    $addresses = @()
    try {
        foreach ($nic in [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()) {
            if ($nic.OperationalStatus -ne 'Up') { continue }
            foreach ($unicast in $nic.GetIPProperties().UnicastAddresses) {
                $ip = $unicast.Address
                if ($ip.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($ip)) { $addresses += $ip.ToString() }
            }
        }
    }
    catch { $null = $_ }
    foreach ($ip in ($addresses | Sort-Object -Unique)) {
        New-WoosooCompletionResult -Word $Word -Text $ip -ToolTip ('{0}: the LAN, over HTTPS with the project''s certificate; needs -AllowRemote' -f $ip)
    }
    New-WoosooCompletionResult -Word $Word -Text '0.0.0.0' -ToolTip '0.0.0.0: every address of this machine, over HTTPS; needs -AllowRemote'
}

function Register-WoosooArgumentCompleter {
    # One Register-ArgumentCompleter per parameter name. The script blocks only call into the module when Tab is
    # pressed, so importing costs nothing more than registering them.
    $names = @('Get-WoosooConfig', 'Set-WoosooConfig', 'Edit-WoosooConfig', 'Get-WoosooService', 'Install-WoosooService', 'Uninstall-WoosooService', 'Start-WoosooService',
        'Stop-WoosooService', 'Restart-WoosooService', 'Suspend-WoosooService', 'Resume-WoosooService')
    Register-ArgumentCompleter -CommandName $names -ParameterName 'Name' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try {
            if ($commandName -like '*-WoosooConfig') { Get-WoosooConfigKeyCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
            else { Get-WoosooServiceCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
        }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName @('Get-WoosooDashboardUser', 'Remove-WoosooDashboardUser') -ParameterName 'Name' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try { Get-WoosooDashboardUserCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName 'Get-WoosooLog' -ParameterName 'Service' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try { Get-WoosooLogServiceCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
        catch { $null = $_ }
    }
    $ids = @('Get-WoosooBackup', 'Test-WoosooBackup', 'Restore-WoosooBackup', 'Remove-WoosooBackup', 'Get-WoosooDeployment', 'Undo-WoosooDeploy')
    Register-ArgumentCompleter -CommandName $ids -ParameterName 'Id' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try {
            if ($commandName -like '*-WoosooBackup') { Get-WoosooBackupCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
            else {
                Get-WoosooDeploymentCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters -NeedsRollback:($commandName -eq 'Undo-WoosooDeploy')
            }
        }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName @(Get-ChildItem -Path 'function:*-Woosoo*' | ForEach-Object { $_.Name }) -ParameterName 'Environment' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try { Get-WoosooEnvironmentCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName 'Sync-WoosooConfig' -ParameterName 'App' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try { Get-WoosooAppCompletion -Word $wordToComplete -BoundParameters $fakeBoundParameters }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName 'Start-WoosooDashboard' -ParameterName 'BindAddress' -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try { Get-WoosooBindAddressCompletion -Word $wordToComplete }
        catch { $null = $_ }
    }
    Register-ArgumentCompleter -CommandName 'Get-WoosooAudit' -ParameterName 'Command' -ScriptBlock {
        # The module's state-changing cmdlets (those with -WhatIf): the ones the audit trail records. No engine call.
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        try {
            foreach ($command in @(Get-ChildItem -Path 'function:*-Woosoo*' | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | Sort-Object Name)) {
                New-WoosooCompletionResult -Word $wordToComplete -Text $command.Name -ToolTip ('{0}: recorded in the audit trail' -f $command.Name)
            }
        }
        catch { $null = $_ }
    }
}
