// Get-WoosooHealth in the real PowerShell 7 with the module imported (skipped, with the reason, where there is none).
// The stack's servers run in this process: pwsh runs with runPwshAsync, so they can answer while it waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePwsh, runPwshAsync } from '../support/pwsh';
import { makeProject, startPartialStack, type Project, type Stack } from './fixtures';

describePwsh('Get-WoosooHealth end to end', () => {
  let stack: Stack;
  let project: Project;

  beforeAll(async () => {
    // Not a test of latency thresholds: a loaded CI machine (two tiers side by side, Wine) must not turn an instant
    // answer "slow" (Degraded past half of HEALTH_TIMEOUT_SECONDS).
    stack = await startPartialStack({ HEALTH_TIMEOUT_SECONDS: 20 });
    project = stack.project;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('returns Woosoo.HealthCheck objects with their view', async () => {
    const r = await runPwshAsync(`
      $checks = @(Get-WoosooHealth -Path '${project.dir}')
      $http = $checks | Where-Object Name -eq 'HTTP via nginx'
      $table = ($checks | Format-Table | Out-String -Width 200)
      [PSCustomObject]@{
        Types = @($checks | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique)
        Names = @($checks.Name)
        HttpStatus = $http.Status
        HttpValue = $http.Value
        BackendStatus = ($checks | Where-Object Name -eq 'HTTP backend').Status
        TimeIsDate = ($http.Time -is [datetime])
        HasView = ($table -match 'Name\\s+Status\\s+Value\\s+Message')
      } | ConvertTo-Json -Depth 20`);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.Types).toEqual(['Woosoo.HealthCheck']);
    expect(out.Names).toEqual(expect.arrayContaining(['Port HTTP_PORT', 'Reverb WebSocket', 'Database', 'CPU', 'Memory', 'Disk']));
    expect(out.HttpStatus).toBe('Healthy');
    expect(out.HttpValue).toBe(200);
    expect(out.BackendStatus).toBe('Unhealthy');
    expect(out.TimeIsDate).toBe(true);
    expect(out.HasView).toBe(true);
  });

  it('the table view colours Unhealthy red where the host renders colour, and stays plain text when it does not', async () => {
    const r = await runPwshAsync(`
      $checks = @(Get-WoosooHealth -Path '${project.dir}' -Name 'HTTP backend', 'HTTP via nginx')
      $PSStyle.OutputRendering = 'Ansi'
      $ansi = ($checks | Format-Table | Out-String -Width 200)
      $PSStyle.OutputRendering = 'PlainText'
      $plain = ($checks | Format-Table | Out-String -Width 200)
      [PSCustomObject]@{ Red = $ansi.Contains([string][char]27 + '[31mUnhealthy'); PlainHasEscape = $plain.Contains([string][char]27) } | ConvertTo-Json -Depth 20`);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ Red: true, PlainHasEscape: false });
  });

  it('-Quiet returns a boolean; -Category and -Name filter', async () => {
    const r = await runPwshAsync(`
      [PSCustomObject]@{
        All = (Get-WoosooHealth -Path '${project.dir}' -Quiet)
        Good = (Get-WoosooHealth -Path '${project.dir}' -Name 'Port HTTP_PORT', 'Reverb *' -Quiet)
        Resources = @(Get-WoosooHealth -Path '${project.dir}' -Category Resource | ForEach-Object Name)
      } | ConvertTo-Json -Depth 20`);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ All: false, Good: true, Resources: ['CPU', 'Memory', 'Disk'] });
  });

  it('-Watch streams rounds until the pipeline stops', async () => {
    const r = await runPwshAsync(`
      $rounds = @(Get-WoosooHealth -Path '${project.dir}' -Name 'Port HTTP_PORT' -Watch -Interval 1s | Select-Object -First 3)
      [PSCustomObject]@{ Count = $rounds.Count; Status = @($rounds.Status | Sort-Object -Unique) } | ConvertTo-Json -Depth 20`, { timeoutMs: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ Count: 3, Status: ['Healthy'] });
  });

  it('an invalid configuration is a terminating Woosoo.ConfigInvalid error', async () => {
    const bad = makeProject();
    try {
      bad.write({ HEALTH_CPU_WARN_PERCENT: 150 });
      const r = await runPwshAsync(`
        try { Get-WoosooHealth -Path '${bad.dir}'; 'no error' } catch { [PSCustomObject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } | ConvertTo-Json -Depth 20 }`);
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.Id).toMatch(/^Woosoo\.ConfigInvalid/);
      expect(out.Message).toMatch(/HEALTH_CPU_WARN_PERCENT/);
    } finally {
      bad.cleanup();
    }
  });
});
