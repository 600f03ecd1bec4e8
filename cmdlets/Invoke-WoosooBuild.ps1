function Invoke-WoosooBuild {
    <#
    .SYNOPSIS
    Builds the project's apps (Laravel backend, PWA, Flutter relay) with their build and test commands.

    .DESCRIPTION
    Runs, in each app's folder, the build commands of the app kind and then its own tests (unless -SkipTests):
      Backend  composer install --no-dev --optimize-autoloader --no-interaction; php artisan migrate --force;
               php artisan config:cache; php artisan route:cache; php artisan view:cache; tests: php artisan app:selftest
      Pwa      npm ci; npm run build; tests: npm test
      Relay    flutter pub get; flutter build apk; tests: flutter test
    deployment.config.env can replace each list (BUILD_BACKEND_COMMANDS, BUILD_PWA_COMMANDS, BUILD_RELAY_COMMANDS,
    TEST_BACKEND_COMMAND, TEST_PWA_COMMAND, TEST_RELAY_COMMAND: commands separated by ';', run without a shell).
    Tools come from PHP_PATH, COMPOSER_PATH, NPM_PATH, FLUTTER_PATH, else from the session's PATH.

    An app stops at its first failing command: its Woosoo.BuildResult says Failed, names the command and its exit
    code, and Message holds the last lines of its output; a non-terminating error Woosoo.BuildFailed is written
    too, so $? is false. The other apps go on. The relay app is skipped with a warning when Flutter is not
    installed and RELAY_ENABLED is false; it fails when RELAY_ENABLED is true and Flutter is missing.

    Every output line goes to <BUILD_LOG_PATH>/<date_time>/<app>.log (LogPath) and to -Verbose, with secrets masked.
    Each command is stopped after BUILD_TIMEOUT_MINUTES. Ctrl+C stops the running commands and their child processes.

    With -WhatIf nothing runs: the commands each app would run are shown, and one Woosoo.BuildPlan per app is
    returned (App, Status WillRun | Skipped | Blocked, AppPath, Commands, Reason).

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name (ProjectPath,
    FullName).

    .PARAMETER Environment
    The environment whose overlay, deployment.config.<environment>.env, applies over deployment.config.env
    (development, staging or production). Default: $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT in
    deployment.config.env. An environment named here must have its overlay (or be the base file's ENVIRONMENT).

    .PARAMETER App
    The apps to build: Backend, Pwa, Relay (several allowed). All of them when omitted (the relay only when
    RELAY_ENABLED is true).

    .PARAMETER SkipTests
    Do not run the apps' test commands.

    .PARAMETER Sequential
    Build the apps one after the other. By default they build at the same time, as Invoke-WoosooDeploy builds them
    (each app has its own folder and log, and verbose lines are tagged with the app).

    .PARAMETER Parallel
    Deprecated: parallel is the default now. -Parallel still works (and changes nothing); -Parallel:$false means
    -Sequential.

    .EXAMPLE
    Invoke-WoosooBuild -WhatIf

    Shows the commands each app would run, in order, and returns the plan. Runs nothing.

    .EXAMPLE
    Invoke-WoosooBuild -App Backend, Pwa -Verbose

    Builds the backend and the PWA at the same time, showing their output as it comes (-Sequential: one after
    the other).

    .EXAMPLE
    Invoke-WoosooBuild -App Pwa -SkipTests | Format-List App, Status, Duration, LogPath, Message

    Builds the PWA without its tests and shows where the log is.

    .EXAMPLE
    Get-Content (Invoke-WoosooBuild -App Backend -ErrorAction SilentlyContinue).LogPath -Tail 30

    Builds the backend and prints the end of its build log, whether it succeeded or not.

    .EXAMPLE
    Invoke-WoosooBuild | Where-Object Status -eq Failed | Invoke-WoosooBuild -SkipTests

    Builds everything, then builds again the apps that failed (App and ProjectPath come from the results).

    .OUTPUTS
    Woosoo.BuildResult, Woosoo.BuildPlan

    .LINK
    Test-WoosooPreflight

    .LINK
    Sync-WoosooConfig
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Woosoo.BuildResult', 'Woosoo.BuildPlan')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('Backend', 'Pwa', 'Relay')]
        [string[]]$App,

        [switch]$SkipTests,

        [switch]$Sequential,

        # Deprecated (the old opt-in): -Parallel:$false is -Sequential.
        [Parameter(DontShow)]
        [switch]$Parallel
    )
    process {
        $inParallel = -not ($Sequential.IsPresent -or ($PSBoundParameters.ContainsKey('Parallel') -and -not $Parallel))
        $params = @{ skipTests = $SkipTests.IsPresent; parallel = $inParallel; whatIf = $true }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        if ($App) { $params.apps = @($App | ForEach-Object { $_.ToLowerInvariant() }) }
        try {
            $plan = @(Invoke-WoosooRpc -Method 'build.run' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }

        # Ask per app that would run commands; skipped and blocked apps run nothing and are only reported.
        $declined = New-Object System.Collections.Generic.List[string]
        $willRun = 0
        foreach ($item in $plan) {
            if ($item.Status -ne 'WillRun') { continue }
            $what = 'Build {0}: {1}' -f $item.App, (@($item.Commands) -join '; ')
            if ($PSCmdlet.ShouldProcess($item.AppPath, $what)) { $willRun++ }
            else { $declined.Add(([string]$item.App).ToLowerInvariant()) }
        }
        if ($WhatIfPreference) {
            $plan
            return
        }
        if ($declined.Count -gt 0 -and $willRun -eq 0) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -Path $params.path; return }

        $params.whatIf = $false
        if ($declined.Count -gt 0) { $params.exclude = $declined.ToArray() }
        try {
            Invoke-WoosooRpc -Method 'build.run' -Params $params -Cmdlet $PSCmdlet
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
    }
}
