@{
    RootModule           = 'Woosoo.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1c2a53-8d1e-4b0a-9a57-2f4b8e0c9d11'
    Author               = 'Woosoo'
    CompanyName          = 'Woosoo'
    Copyright            = '(c) Woosoo. MIT License.'
    Description          = 'Deploys and operates the Woosoo stack (Laravel + Reverb + queue worker + nginx + Nuxt PWA + MariaDB) on a Windows LAN server: configuration, preflight, services, backups, deployments with rollback.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'New-WoosooProject'
        'Test-WoosooPreflight'
        'Get-WoosooConfig'
        'Test-WoosooConfig'
        'Compare-WoosooConfig'
        'Get-WoosooService'
        'Install-WoosooService'
        'Uninstall-WoosooService'
        'Start-WoosooService'
        'Stop-WoosooService'
        'Restart-WoosooService'
        'Suspend-WoosooService'
        'Resume-WoosooService'
        'Get-WoosooLog'
        'Get-WoosooHealth'
        'Export-WoosooDiagnostics'
        'New-WoosooCertificate'
        'Get-WoosooCertificate'
        'Test-WoosooCertificate'
        'Install-WoosooCertificateTrust'
        'Sync-WoosooConfig'
        'Set-WoosooConfig'
        'Edit-WoosooConfig'
        'New-WoosooBackup'
        'Get-WoosooBackup'
        'Test-WoosooBackup'
        'Restore-WoosooBackup'
        'Remove-WoosooBackup'
        'New-WoosooBackupKey'
        'Invoke-WoosooBuild'
        'Invoke-WoosooDeploy'
        'Get-WoosooDeployment'
        'Undo-WoosooDeploy'
        'Get-WoosooAudit'
        'Register-WoosooScheduledTask'
        'Get-WoosooScheduledTask'
        'Unregister-WoosooScheduledTask'
        'New-WoosooDashboardUser'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FormatsToProcess     = @(
        'formats/Woosoo.Preflight.Format.ps1xml'
        'formats/Woosoo.Config.Format.ps1xml'
        'formats/Woosoo.Service.Format.ps1xml'
        'formats/Woosoo.Log.Format.ps1xml'
        'formats/Woosoo.Health.Format.ps1xml'
        'formats/Woosoo.Diagnostics.Format.ps1xml'
        'formats/Woosoo.Certificate.Format.ps1xml'
        'formats/Woosoo.Sync.Format.ps1xml'
        'formats/Woosoo.Build.Format.ps1xml'
        'formats/Woosoo.Backup.Format.ps1xml'
        'formats/Woosoo.Deploy.Format.ps1xml'
        'formats/Woosoo.Project.Format.ps1xml'
        'formats/Woosoo.Audit.Format.ps1xml'
        'formats/Woosoo.Schedule.Format.ps1xml'
        'formats/Woosoo.Dashboard.Format.ps1xml'
    )
    PrivateData          = @{
        PSData = @{
            Tags       = @('Deployment', 'Laravel', 'NSSM', 'Windows', 'DevOps')
            ProjectUri = 'https://example.invalid/woosoo'
        }
    }
}
