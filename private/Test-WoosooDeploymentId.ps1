# The module's one deployment-id pattern (the engine's is DEPLOY_ID_RE in core/deploy/journal.ts; tests/static keeps
# the two equal). Cmdlets take an id through [ValidateScript({ Test-WoosooDeploymentId $_ })]: ValidatePattern needs a
# constant, and its message shows the regex where this one shows what an id looks like.
$script:WoosooDeploymentIdPattern = '^\d{8}-\d{6}-[0-9a-f]{4}$'

function Test-WoosooDeploymentId {
    param([string]$Id)
    if ($Id -cmatch $script:WoosooDeploymentIdPattern) { return $true }
    throw "'$Id' is not a deployment id: ids look like 20261122-031500-a1b2 (yyyyMMdd-HHmmss and 4 hex digits, as Get-WoosooDeployment shows them)."
}
