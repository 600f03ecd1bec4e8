# Every error Woosoo reports is an ErrorRecord with ErrorId Woosoo.<id>, a category, the target object and a
# recommended action, built here.

function New-WoosooErrorRecord {
    param(
        [Parameter(Mandatory)][string]$ErrorId,
        [Parameter(Mandatory)][string]$Message,
        [string]$Category = 'NotSpecified',
        $TargetObject,
        [string]$RecommendedAction
    )
    $errorCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
    try { $errorCategory = [System.Management.Automation.ErrorCategory]$Category } catch { Write-Debug "unknown error category $Category" }
    $exception = New-Object System.Exception($Message)
    $record = New-Object System.Management.Automation.ErrorRecord($exception, "Woosoo.$ErrorId", $errorCategory, $TargetObject)
    $details = New-Object System.Management.Automation.ErrorDetails($Message)
    if ($RecommendedAction) { $details.RecommendedAction = $RecommendedAction }
    $record.ErrorDetails = $details
    return $record
}

function ConvertFrom-WoosooRpcError {
    # A JSON-RPC error object ({code, message, data:{errorId, category, targetObject, recommendedAction}}).
    param([Parameter(Mandatory)]$RpcError, [string]$Method)
    $data = $RpcError.data
    $errorId = 'EngineError'
    $category = 'NotSpecified'
    $target = $Method
    $action = $null
    if ($null -ne $data) {
        if ($data.errorId) { $errorId = [string]$data.errorId }
        if ($data.category) { $category = [string]$data.category }
        if ($null -ne $data.PSObject.Properties['targetObject']) { $target = $data.targetObject }
        if ($data.recommendedAction) { $action = [string]$data.recommendedAction }
    }
    elseif ($RpcError.code -eq -32601) {
        $errorId = 'MethodNotFound'
        $category = 'NotImplemented'
        $action = 'The module and the engine are from different releases: rebuild the engine (npm run build).'
    }
    return (New-WoosooErrorRecord -ErrorId $errorId -Category $category -TargetObject $target -Message ([string]$RpcError.message) -RecommendedAction $action)
}
