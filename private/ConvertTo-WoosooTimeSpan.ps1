# The module's one time-span grammar, for every parameter that takes a span (-OlderThan, -Since/-Until, -Interval):
# a [TimeSpan], or a number with a unit: 500ms, 30s, 15m, 2h, 7d, 2w (decimals allowed: 1.5h), or d.hh:mm:ss.
# A bare number is refused, never guessed: 30 could be seconds, minutes or days.

function ConvertTo-WoosooTimeSpan {
    # Returns the [TimeSpan]; throws Woosoo.<ErrorId> naming -<Name>. With -DateAllowed, a value that is not span-shaped
    # returns $null so the caller can read it as a date ('14:30' stays a time of day; '1.00:00:00', with days, is a span).
    param($Value, [Parameter(Mandatory)][string]$Name, [string]$ErrorId = 'TimeSpanInvalid', [switch]$DateAllowed)
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($Value -is [timespan]) { $span = $Value }
    else {
        # The text, not the type: PowerShell reads an unquoted 7d as a [decimal] and 30s as an [int16], but keeps what
        # was typed, which [string] gives back.
        $text = ([string]$Value).Trim()
        $span = $null
        if ($text -match '^[+-]?\d+(?:[.,]\d+)?$') {
            throw (New-WoosooErrorRecord -ErrorId $ErrorId -Category InvalidArgument -TargetObject $text `
                    -Message "-$Name '$text' has no unit: is it seconds, minutes or days? Woosoo does not guess." `
                    -RecommendedAction "Add a unit: ${text}s, ${text}m, ${text}h, ${text}d or ${text}w (or pass a [TimeSpan] such as (New-TimeSpan -Days $text)).")
        }
        if ($text -match '^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$') {
            $amount = [double]::Parse($Matches[1], $invariant)
            $unit = $Matches[2].ToLowerInvariant()
            $seconds = @{ ms = 0.001; s = 1; m = 60; h = 3600; d = 86400; w = 604800 }[$unit]
            $span = [timespan]::FromSeconds($amount * $seconds)
        }
        elseif ($text -match ':' -and (-not $DateAllowed -or $text -match '^\d+\.\d{1,2}:\d{2}')) {
            $parsed = [timespan]::Zero
            if ([timespan]::TryParse($text, $invariant, [ref]$parsed)) { $span = $parsed }
        }
        if ($null -eq $span) {
            if ($DateAllowed) { return $null }
            throw (New-WoosooErrorRecord -ErrorId $ErrorId -Category InvalidArgument -TargetObject $text `
                    -Message "-$Name '$text' is not a time span." `
                    -RecommendedAction 'Pass a [TimeSpan], or a number with a unit: 30s, 15m, 2h, 7d, 2w (or d.hh:mm:ss such as 1.12:00:00).')
        }
    }
    if ($span -lt [timespan]::Zero) {
        throw (New-WoosooErrorRecord -ErrorId $ErrorId -Category InvalidArgument -TargetObject ([string]$Value) `
                -Message "-$Name '$Value' is a negative time span." -RecommendedAction 'Pass a positive span such as 30s, 2h or 7d.')
    }
    return $span
}
