function Unregister-WoosooScheduledTask {
    <#
    .SYNOPSIS
    Removes a scheduled task that Register-WoosooScheduledTask registered.

    .DESCRIPTION
    Deletes \Woosoo\<Name> from Task Scheduler (schtasks /Delete) and returns the Woosoo.ScheduledTask it was.
    Asks first (ConfirmImpact High): -Confirm:$false or -Force to skip, -WhatIf to see what would go. Windows only:
    elsewhere it fails with Woosoo.TaskSchedulerUnavailable.

    .PARAMETER Name
    The task name inside \Woosoo\ (as Get-WoosooScheduledTask shows it). Accepts pipeline input by property name.

    .PARAMETER Force
    Remove without asking.

    .EXAMPLE
    Unregister-WoosooScheduledTask -Name Deploy-woosoo

    Removes the scheduled deploy of D:\woosoo after asking.

    .EXAMPLE
    Get-WoosooScheduledTask -Path D:\woosoo | Unregister-WoosooScheduledTask -Force

    Removes every task of the project without asking.

    .OUTPUTS
    Woosoo.ScheduledTask

    .LINK
    Get-WoosooScheduledTask
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('Woosoo.ScheduledTask')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]]$Name,

        [switch]$Force
    )
    process {
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) { $ConfirmPreference = 'None' }
        foreach ($one in $Name) {
            if (-not $PSCmdlet.ShouldProcess("scheduled task \Woosoo\$one", 'Unregister')) { Write-WoosooAuditDeclined -Cmdlet $PSCmdlet -NoEngineCall; continue }
            try {
                Invoke-WoosooRpc -Method 'schedule.unregister' -Params @{ name = $one } -Cmdlet $PSCmdlet
            }
            catch {
                $PSCmdlet.WriteError($_)
            }
        }
    }
}
