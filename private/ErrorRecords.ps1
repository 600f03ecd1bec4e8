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

function Write-WoosooFailure {
    # How a cmdlet fails as a whole (docs/errors.md). $PSCmdlet.ThrowTerminatingError alone is statement-terminating:
    # `-ErrorAction Stop` would not stop the caller's script and `-ErrorAction SilentlyContinue` would not silence it.
    # So the effective action decides - the call's -ErrorAction, else the CALLER's $ErrorActionPreference (a module
    # function does not see a caller's local preference through its own scopes; $PSCmdlet.SessionState is the caller's):
    # Stop/Break -> throw, a script-terminating error; SilentlyContinue/Ignore -> WriteError, which PowerShell silences
    # (and keeps out of $Error for Ignore); Continue (the default) -> a terminating error as before, so try/catch
    # catches it and the next statement runs. The caller returns right after this call.
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [Parameter(Mandatory)][System.Management.Automation.ErrorRecord]$ErrorRecord
    )
    # The module's own `throw` on the way here already put the record in $Error: take it out, so that $Error holds
    # it once (and not at all under Ignore).
    $errors = $Cmdlet.SessionState.PSVariable.GetValue('Error')
    if ($null -ne $errors -and $errors.Count -gt 0 -and [object]::ReferenceEquals($errors[0].Exception, $ErrorRecord.Exception)) {
        $errors.RemoveAt(0)
    }
    $bound = $Cmdlet.MyInvocation.BoundParameters
    if ($bound.ContainsKey('ErrorAction')) { $action = [string]$bound['ErrorAction'] }
    else { $action = [string]$Cmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    if ($action -eq 'Stop' -or $action -eq 'Break') {
        # The id PowerShell gives a cmdlet's error ("Woosoo.X,Get-WoosooLog"), as on the other two paths.
        $id = $ErrorRecord.FullyQualifiedErrorId
        $command = $Cmdlet.MyInvocation.MyCommand.Name
        if (-not $id.EndsWith(',' + $command)) { $id = $id + ',' + $command }
        $record = New-Object System.Management.Automation.ErrorRecord($ErrorRecord.Exception, $id, $ErrorRecord.CategoryInfo.Category, $ErrorRecord.TargetObject)
        $record.ErrorDetails = $ErrorRecord.ErrorDetails
        throw $record
    }
    if ($action -eq 'SilentlyContinue' -or $action -eq 'Ignore') {
        $Cmdlet.WriteError($ErrorRecord)
        return
    }
    $Cmdlet.ThrowTerminatingError($ErrorRecord)
}
