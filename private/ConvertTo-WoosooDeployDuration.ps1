# Deploy objects carry Duration in seconds on the wire; in PowerShell it is a [timespan] (Woosoo.Deployment,
# Woosoo.DeployStep, and the steps nested in a deployment).
function ConvertTo-WoosooDeployDuration {
    param([Parameter(ValueFromPipeline)]$InputObject)
    process {
        $names = $InputObject.PSObject.TypeNames
        if (($names -contains 'Woosoo.DeployStep') -or ($names -contains 'Woosoo.Deployment')) {
            if ($InputObject.Duration -isnot [timespan]) { $InputObject.Duration = [timespan]::FromSeconds([double]$InputObject.Duration) }
        }
        if ($names -contains 'Woosoo.Deployment') {
            foreach ($step in @($InputObject.Steps)) {
                if ($null -ne $step -and $step.Duration -isnot [timespan]) { $step.Duration = [timespan]::FromSeconds([double]$step.Duration) }
            }
        }
        $InputObject
    }
}
