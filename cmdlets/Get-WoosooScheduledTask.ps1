function Get-WoosooScheduledTask {
    <#
    .SYNOPSIS
    Lists the scheduled tasks Woosoo registered (\Woosoo\ in Task Scheduler).

    .DESCRIPTION
    Returns one Woosoo.ScheduledTask per task in the \Woosoo\ folder of Task Scheduler, read from its stored
    definition: Name, Job (Deploy, Backup, Health), ProjectPath, Environment, Schedule, User, Command, Arguments,
    Enabled and the task's Xml. Windows only: elsewhere it fails with Woosoo.TaskSchedulerUnavailable.

    .PARAMETER Name
    Only tasks whose name matches; wildcards are allowed ('Deploy-*').

    .PARAMETER Path
    Only the tasks of this project folder (or its deployment.config.env). Accepts pipeline input by property name
    (ProjectPath, FullName).

    .PARAMETER Environment
    Only the tasks registered for this environment.

    .EXAMPLE
    Get-WoosooScheduledTask

    Lists every task Woosoo registered on this machine.

    .EXAMPLE
    Get-WoosooScheduledTask -Path D:\woosoo | Format-List Name, Schedule, Command, Arguments

    Shows how the project's tasks run.

    .OUTPUTS
    Woosoo.ScheduledTask

    .LINK
    Register-WoosooScheduledTask
    #>
    [CmdletBinding()]
    [OutputType('Woosoo.ScheduledTask')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]]$Name,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('ProjectPath', 'FullName')]
        [string]$Path,

        [string]$Environment
    )
    process {
        $params = @{}
        if ($Name) { $params.names = @($Name) }
        try {
            $tasks = @(Invoke-WoosooRpc -Method 'schedule.get' -Params $params -Cmdlet $PSCmdlet)
        }
        catch {
            Write-WoosooFailure -Cmdlet $PSCmdlet -ErrorRecord $_; return
        }
        $project = ''
        if ($Path) {
            $project = Resolve-WoosooPath -Path $Path -Cmdlet $PSCmdlet
            if ([System.IO.Path]::GetFileName($project) -like 'deployment.config*.env') { $project = [System.IO.Path]::GetDirectoryName($project) }
            $project = $project.TrimEnd('\', '/')
        }
        foreach ($task in $tasks) {
            if ($project -and $task.ProjectPath.TrimEnd('\', '/') -ne $project) { continue }
            if ($Environment -and $task.Environment -ne $Environment) { continue }
            $task
        }
    }
}
