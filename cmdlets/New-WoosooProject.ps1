function New-WoosooProject {
    <#
    .SYNOPSIS
    Detects the apps under a folder and writes a deployment.config.env for them.

    .DESCRIPTION
    Looks at the folder, its subfolders and apps/* (or the folders given with -App) and says what each app is, with a
    confidence and the evidence: Laravel (artisan and composer.json), Nuxt or another Node app (package.json), Flutter
    (pubspec.yaml), a static site (index.html).

    For a Laravel app with its vendor/ folder (after composer install) it runs php artisan list --format=json and uses
    the commands the app really has: the test command (app:selftest, php artisan test, or vendor/bin/phpunit), Reverb
    (reverb:start), Horizon, and only the artisan commands of the build the app has. Without vendor/ (or without php)
    it reads the same from the files (composer.json, app/Console, routes), and the evidence says so. The evidence also
    names the PHP version constraint of composer.json and the queue connection.

    Then writes deployment.config.env with only what the apps have (REVERB_ENABLED=false for a backend without Reverb,
    PWA_ENABLED=false without a PWA, no build or test step a PWA lacks, the relay app off until Flutter is installed),
    and the database settings of the backend's .env. Its ports are free on this machine, distinct from each other
    (the green colour's too), from the ports of the file being replaced with -Force, and, on Windows, from the ports
    of the NSSM services installed. Each key comes with its help text as a comment.

    Secrets are made with a cryptographic random generator: the database password (32 characters), the Reverb app
    id, key and secret, and Laravel's APP_KEY (base64: and 32 random bytes) written into the backend's .env when it
    has none (a key it has is kept). They go into the files only: the returned object and every stream (-Verbose,
    -WhatIf, warnings, the engine's log) show them masked, unless -Reveal is given.

    An existing deployment.config.env is never replaced without -Force, and then it is backed up first.

    .PARAMETER Path
    The project folder (default: the current folder).

    .PARAMETER App
    App folders to use (relative to the project folder or absolute), instead of looking under it.

    .PARAMETER Force
    Replace an existing deployment.config.env (after backing it up).

    .PARAMETER Reveal
    Show the secrets written in the returned object: its Secrets property (key and value) and Content unmasked.
    With -WhatIf nothing is written, so nothing is revealed.

    .EXAMPLE
    New-WoosooProject -Path D:\woosoo -WhatIf | Format-List -View Content

    Shows the file it would write (secrets masked) and the apps it found. Writes nothing.

    .EXAMPLE
    New-WoosooProject -Path D:\woosoo; Test-WoosooPreflight -Path D:\woosoo; Invoke-WoosooDeploy -Path D:\woosoo

    From an empty server with the apps checked out to the first deploy.

    .EXAMPLE
    New-WoosooProject -App apps\api, apps\tablet -Force

    Uses these two folders, and replaces the existing configuration after backing it up.

    .EXAMPLE
    $project = New-WoosooProject -Path D:\woosoo -Reveal; $project.Secrets.DB_PASSWORD

    Writes the configuration and shows the new database password, to create the database user with.

    .OUTPUTS
    Woosoo.NewProject

    .LINK
    Set-WoosooConfig

    .LINK
    Test-WoosooConfig
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('Woosoo.NewProject')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [ValidateNotNullOrEmpty()]
        [string[]]$App,

        [switch]$Force,

        [switch]$Reveal
    )
    process {
        $params = @{ force = [bool]$Force; reveal = [bool]$Reveal }
        if ($Path) { $params.path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path) }
        else { $params.path = $PSCmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
        if ($App) { $params.apps = @($App) }
        Invoke-WoosooPlannedChange -Method 'project.new' -Params $params -Cmdlet $PSCmdlet -Caption 'New-WoosooProject' `
            -Describe { param($project) @(('Write {0} for {1}' -f $project.ConfigPath, (@($project.Apps) -join '; ')), (@($project.Notes) -join [Environment]::NewLine)) }
    }
}
