function Write-WoosooInformation {
    # Tells the person at the console something (nothing to do, what was done) the way Write-Host does: an information
    # record tagged PSHOST, so the console shows it by default, -InformationAction Ignore or 6>$null silence it, and
    # -InformationVariable keeps it. Not verbose: "nothing to do" is an answer, not a detail.
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [Parameter(Mandatory)][string]$Message
    )
    $data = New-Object System.Management.Automation.HostInformationMessage
    $data.Message = $Message
    $record = New-Object System.Management.Automation.InformationRecord($data, $Cmdlet.MyInvocation.MyCommand.Name)
    $record.Tags.Add('PSHOST')
    $Cmdlet.WriteInformation($record)
}
