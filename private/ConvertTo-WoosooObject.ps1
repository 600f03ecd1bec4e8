# The one place typed objects are built: a JSON object with "$type": "X" becomes a PSCustomObject whose first type
# name is Woosoo.X (what its Format view and Get-Member show), nested objects and arrays included, and ISO-8601 UTC
# strings ("2026-02-15T14:30:00.000Z") become local [datetime] (Windows PowerShell's ConvertFrom-Json leaves them
# strings; PowerShell 7 converts them already, as UTC), and ISO-8601 durations ("PT12.345S") become [timespan]: the
# wire marks the value, so no type or property name is known here. The objects ConvertFrom-Json made are typed in
# place: one loop over the properties, a nested call only for nested objects and arrays (a call per property cost
# ~80 us each). A string is only matched when its first characters fit, so most cost two comparisons.

$script:WoosooIsoDate = New-Object System.Text.RegularExpressions.Regex('^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$', [System.Text.RegularExpressions.RegexOptions]::Compiled)
$script:WoosooIsoDuration = New-Object System.Text.RegularExpressions.Regex('^PT\d+(\.\d+)?S$', [System.Text.RegularExpressions.RegexOptions]::Compiled)
$script:WoosooCulture = [System.Globalization.CultureInfo]::InvariantCulture
$script:WoosooRoundtrip = [System.Globalization.DateTimeStyles]::RoundtripKind

function ConvertTo-WoosooValue {
    param($Value)
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $properties = $Value.PSObject.Properties
        $type = $properties['$type']
        if ($null -ne $type) {
            $properties.Remove('$type')
            $Value.PSObject.TypeNames.Insert(0, 'Woosoo.' + $type.Value)
        }
        foreach ($property in $properties) {
            $v = $property.Value
            if ($null -eq $v) { continue }
            if ($v -is [string]) {
                if ($v.Length -ge 20 -and $v[10] -eq 'T' -and $script:WoosooIsoDate.IsMatch($v)) {
                    $property.Value = [datetime]::Parse($v, $script:WoosooCulture, $script:WoosooRoundtrip).ToLocalTime()
                }
                elseif ($v.Length -ge 4 -and $v[1] -eq 'T' -and $v[0] -eq 'P' -and $script:WoosooIsoDuration.IsMatch($v)) {
                    $property.Value = [System.Xml.XmlConvert]::ToTimeSpan($v)
                }
            }
            elseif ($v -is [datetime]) {
                if ($v.Kind -eq [System.DateTimeKind]::Utc) { $property.Value = $v.ToLocalTime() }
            }
            elseif ($v -is [System.Management.Automation.PSCustomObject] -or $v -is [System.Array]) {
                $property.Value = ConvertTo-WoosooValue $v
            }
        }
        return $Value
    }
    if ($Value -is [System.Array]) {
        for ($i = 0; $i -lt $Value.Length; $i++) {
            $element = $Value[$i]
            if ($element -is [System.Management.Automation.PSCustomObject] -or $element -is [System.Array] -or $element -is [string] -or $element -is [datetime]) {
                $Value[$i] = ConvertTo-WoosooValue $element
            }
        }
        return , $Value
    }
    if ($Value -is [string]) {
        if ($Value.Length -ge 20 -and $Value[10] -eq 'T' -and $script:WoosooIsoDate.IsMatch($Value)) {
            return [datetime]::Parse($Value, $script:WoosooCulture, $script:WoosooRoundtrip).ToLocalTime()
        }
        if ($Value.Length -ge 4 -and $Value[1] -eq 'T' -and $Value[0] -eq 'P' -and $script:WoosooIsoDuration.IsMatch($Value)) {
            return [System.Xml.XmlConvert]::ToTimeSpan($Value)
        }
        return $Value
    }
    if ($Value -is [datetime] -and $Value.Kind -eq [System.DateTimeKind]::Utc) { return $Value.ToLocalTime() }
    return $Value
}

function Resolve-WoosooPath {
    # A user-supplied path made absolute against the session's current location (not the process's),
    # before it is sent to the engine. $null stays $null.
    param([string]$Path, $Cmdlet)
    if ([string]::IsNullOrEmpty($Path)) { return $null }
    return $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Add-WoosooProjectParameter {
    # The project every engine call is about, added to its params: the folder (made absolute against the session's
    # location by Resolve-WoosooPath) as path, and the environment whose overlay applies. Returns the resolved
    # folder ($null when none was given), which the cmdlet's ShouldProcess and audit lines name.
    param([Parameter(Mandatory)][hashtable]$Params, [string]$Path, [string]$Environment, $Cmdlet)
    $resolved = Resolve-WoosooPath -Path $Path -Cmdlet $Cmdlet
    if ($resolved) { $Params.path = $resolved }
    if ($Environment) { $Params.environment = $Environment }
    return $resolved
}
