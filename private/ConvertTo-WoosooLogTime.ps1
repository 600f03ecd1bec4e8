# Get-WoosooLog's -Since/-Until: a [datetime], a [timespan], a date string or a span back from now such as 30s,
# 15m, 2h, 7d, 2w becomes the ISO-8601 UTC string the engine takes. Anything else is Woosoo.LogTimeInvalid.

function ConvertTo-WoosooLogTime {
    param($Value, [string]$Name)
    $format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString($format, $invariant) }
    if ($Value -is [timespan]) { return ([datetime]::UtcNow - $Value).ToString($format, $invariant) }
    $text = [string]$Value
    if ($text -match '^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$') {
        $amount = [double]::Parse($Matches[1], $invariant)
        $unit = $Matches[2].ToLowerInvariant()
        $span = [timespan]::FromDays($amount * 7)
        if ($unit -eq 'ms') { $span = [timespan]::FromMilliseconds($amount) }
        if ($unit -eq 's') { $span = [timespan]::FromSeconds($amount) }
        if ($unit -eq 'm') { $span = [timespan]::FromMinutes($amount) }
        if ($unit -eq 'h') { $span = [timespan]::FromHours($amount) }
        if ($unit -eq 'd') { $span = [timespan]::FromDays($amount) }
        return ([datetime]::UtcNow - $span).ToString($format, $invariant)
    }
    $parsed = [datetime]::MinValue
    $styles = [System.Globalization.DateTimeStyles]::AssumeLocal
    if ([datetime]::TryParse($text, [System.Globalization.CultureInfo]::CurrentCulture, $styles, [ref]$parsed)) {
        return $parsed.ToUniversalTime().ToString($format, $invariant)
    }
    throw (New-WoosooErrorRecord -ErrorId 'LogTimeInvalid' -Category InvalidArgument -TargetObject $text `
            -Message "-$Name '$text' is neither a date and time nor a span such as 30m, 2h or 7d." `
            -RecommendedAction "Pass -$Name as a [datetime] (Get-Date).AddHours(-2), a date such as '2026-02-15 14:30', or a span such as 2h.")
}
