function New-WoosooProject {
    <#
    .SYNOPSIS
    Detects the apps under a folder and writes a deployment.config.env for them.

    .DESCRIPTION
    Looks at the folder, its subfolders and apps/* (or the folders given with -App) and says what each app is, with a
    confidence and the evidence: Laravel (artisan and composer.json; whether it has Reverb and which test command),
    Nuxt or another Node app (package.json), Flutter (pubspec.yaml), a static site (index.html).

    Then writes deployment.config.env with only what the apps have (REVERB_ENABLED=false for a backend without Reverb,
    PWA_ENABLED=false without a PWA, the relay app off until Flutter is installed), ports that are free on this
    machine and distinct, the database settings of the backend's .env, and secrets made with a cryptographic random
    generator (database password of 32 characters, Reverb key and secret). Each key comes with its help text as a
    comment. Secrets go into the file only: the returned object and every stream show them masked. Laravel's APP_KEY
    is generated into the backend's .env by Sync-WoosooConfig (and the deploy), as php artisan key:generate does.

    An existing deployment.config.env is never replaced without -Force, and then it is backed up first.

    .PARAMETER Path
    The project folder (default: the current folder).

    .PARAMETER App
    App folders to use (relative to the project folder or absolute), instead of looking under it.

    .PARAMETER Force
    Replace an existing deployment.config.env (after backing it up).

    .EXAMPLE
    New-WoosooProject -Path D:\woosoo -WhatIf | Format-List -View Content

    Shows the file it would write (secrets masked) and the apps it found. Writes nothing.

    .EXAMPLE
    New-WoosooProject -Path D:\woosoo; Test-WoosooPreflight -Path D:\woosoo; Invoke-WoosooDeploy -Path D:\woosoo

    From an empty server with the apps checked out to the first deploy.

    .EXAMPLE
    New-WoosooProject -App apps\api, apps\tablet -Force

    Uses these two folders, and replaces the existing configuration after backing it up.

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

        [switch]$Force
    )
    process {
        $params = @{ force = [bool]$Force }
        if ($Path) { $params.path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path) }
        else { $params.path = $PSCmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
        if ($App) { $params.apps = @($App) }
        Invoke-WoosooPlannedChange -Method 'project.new' -Params $params -Cmdlet $PSCmdlet -Caption 'New-WoosooProject' `
            -Describe { param($project) @(('Write {0} for {1}' -f $project.ConfigPath, (@($project.Apps) -join '; ')), (@($project.Notes) -join [Environment]::NewLine)) }
    }
}
