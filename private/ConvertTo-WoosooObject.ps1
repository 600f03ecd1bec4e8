# The one place typed objects are built: a JSON object with "$type": "X" becomes
# [PSCustomObject]@{ PSTypeName = 'Woosoo.X'; ... }, nested objects and arrays included, and ISO-8601 UTC
# strings ("2026-02-15T14:30:00.000Z") become local [datetime] (Windows PowerShell's ConvertFrom-Json leaves
# them strings; PowerShell 7 converts them already).

$script:WoosooIsoDate = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$'

function ConvertTo-WoosooValue {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [string]) {
        if ($Value -match $script:WoosooIsoDate) {
            return [datetime]::Parse($Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind).ToLocalTime()
        }
        return $Value
    }
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Utc) { return $Value.ToLocalTime() }
        return $Value
    }
    if ($Value -is [System.Array]) {
        $list = New-Object System.Collections.Generic.List[object]
        foreach ($element in $Value) { $list.Add((ConvertTo-WoosooValue -Value $element)) }
        return , $list.ToArray()
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $properties = [ordered]@{}
        $typeName = $null
        foreach ($property in $Value.PSObject.Properties) {
            if ($property.Name -eq '$type') { $typeName = 'Woosoo.' + $property.Value; continue }
            $properties[$property.Name] = ConvertTo-WoosooValue -Value $property.Value
        }
        if ($typeName) { $properties.Insert(0, 'PSTypeName', $typeName) }
        return [PSCustomObject]$properties
    }
    return $Value
}

function ConvertTo-WoosooObject {
    param([Parameter(ValueFromPipeline)]$InputObject)
    process { ConvertTo-WoosooValue -Value $InputObject }
}

function Resolve-WoosooPath {
    # A user-supplied path made absolute against the session's current location (not the process's),
    # before it is sent to the engine. $null stays $null.
    param([string]$Path, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet)
    if ([string]::IsNullOrEmpty($Path)) { return $null }
    return $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}
