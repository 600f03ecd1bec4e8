function Register-WoosooScheduledTask {
    <#
    .SYNOPSIS
    Registers a Windows scheduled task that deploys, backs up or checks the health of the project on a schedule.

    .DESCRIPTION
    Writes a Task Scheduler definition (task XML, schema 1.2) and registers it as \Woosoo\<Job>-<project folder>
    with schtasks /Create /XML. The task runs pwsh.exe (powershell.exe when this module runs in Windows PowerShell
    5.1) with -NoProfile -NonInteractive -ExecutionPolicy Bypass -File on the job script shipped in the module's
    jobs folder (Invoke-WoosooScheduledDeploy.ps1, -Backup.ps1 or -Health.ps1), -Path <project>.

    The task runs whether the user is logged on or not, with highest privileges, as SYSTEM unless -User and
    -Credential name another account. When a run is still going at the next trigger, the new run is skipped
    (MultipleInstancesPolicy IgnoreNew); deploy and backup runs are stopped after 4 hours, health runs after 30
    minutes. The job's exit code is the task's Last Run Result: 0 success, 1 failed and rolled back, 2 failed and
    not rolled back, 3 refused before starting (invalid configuration, deploy lock held, preflight failed).

    Task Scheduler is Windows-only: elsewhere -WhatIf returns the definition (with its XML) and a real run fails
    with Woosoo.TaskSchedulerUnavailable.

    .PARAMETER Path
    The project folder or its deployment.config.env. Accepts pipeline input by property name
    (ProjectPath, FullName).

    .PARAMETER Environment
    The environment the job runs for (its overlay deployment.config.<environment>.env); passed to the job script.
    Default: the ENVIRONMENT of deployment.config.env when the job runs.

    .PARAMETER Deploy
    Schedule Invoke-WoosooDeploy (Invoke-WoosooScheduledDeploy.ps1).

    .PARAMETER Backup
    Schedule New-WoosooBackup (Invoke-WoosooScheduledBackup.ps1).

    .PARAMETER Health
    Schedule the health checks with alerts (Invoke-WoosooScheduledHealth.ps1): a webhook message when a check
    turns Unhealthy or recovers.

    .PARAMETER At
    Local time of day the task starts, HH:mm (for example 02:00).

    .PARAMETER DaysOfWeek
    Days the task runs (default: every day).

    .PARAMETER RepeatMinutes
    Repeat the task every this many minutes through the day after -At (typically with -Health, e.g. 5).

    .PARAMETER User
    The account the task runs as. Default SYSTEM (no password needed). Any other account needs -Credential.

    .PARAMETER Credential
    The account and password the task runs as; the password is handed to Task Scheduler only.

    .PARAMETER Force
    Replace a task of the same name.

    .EXAMPLE
    Register-WoosooScheduledTask -Path D:\woosoo -Deploy -At 02:00 -DaysOfWeek Sunday

    Deploys every Sunday at 02:00 as SYSTEM.

    .EXAMPLE
    Register-WoosooScheduledTask -Path D:\woosoo -Health -At 00:00 -RepeatMinutes 5

    Checks health every 5 minutes and notifies the webhook when a check turns Unhealthy or recovers.

    .EXAMPLE
    (Register-WoosooScheduledTask -Path D:\woosoo -Backup -At 01:30 -WhatIf).Xml

    Shows the task XML that would be registered, on any platform.

    .OUTPUTS
    Woosoo.ScheduledTask

    .LINK
    Get-WoosooScheduledTask

    .LINK
    Unregister-WoosooScheduledTask
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Deploy')]
    [OutputType('Woosoo.ScheduledTask')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment,

        [Parameter(Mandatory, ParameterSetName = 'Deploy')]
        [switch]$Deploy,

        [Parameter(Mandatory, ParameterSetName = 'Backup')]
        [switch]$Backup,

        [Parameter(Mandatory, ParameterSetName = 'Health')]
        [switch]$Health,

        [Parameter(Mandatory)]
        [ValidatePattern('^([01]\d|2[0-3]):[0-5]\d$')]
        [string]$At,

        [ValidateSet('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')]
        [string[]]$DaysOfWeek,

        [ValidateRange(1, 1440)]
        [int]$RepeatMinutes,

        [ValidateNotNullOrEmpty()]
        [string]$User = 'SYSTEM',

        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential = [System.Management.Automation.PSCredential]::Empty,

        [switch]$Force
    )
    process {
        $edition = $PSVersionTable.PSEdition
        $exe = 'pwsh'
        if ($edition -eq 'Desktop') { $exe = 'powershell.exe' }
        elseif ([System.Environment]::OSVersion.Platform -eq 'Win32NT') { $exe = 'pwsh.exe' }
        $params = @{
            job     = $PSCmdlet.ParameterSetName
            at      = $At
            user    = $User
            command = [System.IO.Path]::Combine($PSHOME, $exe)
            jobsDir = [System.IO.Path]::Combine($script:WoosooModuleRoot, 'jobs')
            force   = $Force.IsPresent
        }
        if ($DaysOfWeek) { $params.daysOfWeek = @($DaysOfWeek | Select-Object -Unique) }
        if ($RepeatMinutes) { $params.repeatMinutes = $RepeatMinutes }
        if ($Credential -ne [System.Management.Automation.PSCredential]::Empty) {
            $params.user = $Credential.UserName
            $params.password = $Credential.GetNetworkCredential().Password
        }
        $null = Add-WoosooProjectParameter -Params $params -Path $Path -Environment $Environment -Cmdlet $PSCmdlet
        Invoke-WoosooPlannedChange -Method 'schedule.register' -Params $params -Cmdlet $PSCmdlet -Caption 'Register-WoosooScheduledTask' `
            -Describe { param($task) @(('Register scheduled task {0}{1} ({2}, as {3})' -f $task.TaskPath, $task.Name, $task.Schedule, $task.User), $task.Xml) }
    }
}
