# Get-WoosooLog's -Since/-Until: a [datetime], a date string, or a span back from now in the module's one grammar
# (ConvertTo-WoosooTimeSpan: 30s, 15m, 2h, 7d, 2w, a [timespan]) becomes the ISO-8601 UTC string the engine takes.
# Anything else, a bare number included, is Woosoo.LogTimeInvalid.

function ConvertTo-WoosooLogTime {
    param($Value, [string]$Name)
    $format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString($format, $invariant) }
    $span = ConvertTo-WoosooTimeSpan -Value $Value -Name $Name -ErrorId 'LogTimeInvalid' -DateAllowed
    if ($null -ne $span) { return ([datetime]::UtcNow - $span).ToString($format, $invariant) }
    $text = [string]$Value
    $parsed = [datetime]::MinValue
    $styles = [System.Globalization.DateTimeStyles]::AssumeLocal
    if ([datetime]::TryParse($text, [System.Globalization.CultureInfo]::CurrentCulture, $styles, [ref]$parsed)) {
        return $parsed.ToUniversalTime().ToString($format, $invariant)
    }
    throw (New-WoosooErrorRecord -ErrorId 'LogTimeInvalid' -Category InvalidArgument -TargetObject $text `
            -Message "-$Name '$text' is neither a date and time nor a span such as 30m, 2h or 7d." `
            -RecommendedAction "Pass -$Name as a [datetime] (Get-Date).AddHours(-2), a date such as '2026-02-15 14:30', or a span such as 2h.")
}
