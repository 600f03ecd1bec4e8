/**
 * Test-WoosooPreflight end to end from the real pwsh: typed Woosoo.PreflightCheck objects, -Quiet booleans,
 * -Category, -Detailed, pipeline input by property name, the grouped table view and error records.
 * Skipped, with the reason, where PowerShell 7 is not installed (this Debian machine: see scripts/setup.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { projectWithDatabase, type TestProject } from './project';

const PASSWORD = 'E2e-preflight#42';
const json = (script: string) => {
  return pwshJson(script);
};

describePwsh('Test-WoosooPreflight end to end', () => {
  let project: TestProject;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ project, stop } = await projectWithDatabase('pfe2e', PASSWORD));
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  }, 60_000);

  it('returns Woosoo.PreflightCheck objects with every property, no critical Fail, and -Quiet $true', () => {
    const r = json(`$c = @(Test-WoosooPreflight -Path '${project.dir}')
      [pscustomobject]@{
        Types = @($c | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique)
        Props = @($c[0].PSObject.Properties.Name)
        Categories = @($c | ForEach-Object Category | Select-Object -Unique)
        CriticalFails = @($c | Where-Object { $_.Critical -and $_.Status -eq 'Fail' -and $_.Name -ne 'Elevated' } | ForEach-Object Name)
        Elevated = ($c | Where-Object Name -eq 'Elevated').Status
        CriticalType = $c[0].Critical.GetType().Name
        DurationType = $c[0].Duration.GetType().Name
        Quiet = (Test-WoosooPreflight -Path '${project.dir}' -Quiet)
        QuietType = (Test-WoosooPreflight -Path '${project.dir}' -Quiet).GetType().Name
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Types).toEqual(['Woosoo.PreflightCheck']);
    expect(r.Props).toEqual(['Category', 'Name', 'Status', 'Critical', 'Expected', 'Actual', 'Message', 'Fix', 'Duration']);
    expect(r.Categories).toEqual(['System', 'Tools', 'PhpExtensions', 'Configuration', 'Network', 'Permissions']);
    expect(r.CriticalFails).toEqual([]);
    expect(r.CriticalType).toBe('Boolean');
    expect(r.DurationType).toBe('TimeSpan');
    // Quiet is $true only when elevated too (root/Administrator runs the e2e suite in CI).
    expect(r.Quiet).toBe(r.Elevated === 'Pass');
    expect(r.QuietType).toBe('Boolean');
  }, 60_000);

  it('-Quiet is $false when a critical check fails (wrong DB password), and the password never shows', () => {
    project.write({ DB_PASSWORD: 'Not-the-password-1' });
    try {
      const r = json(`[pscustomobject]@{
          Quiet = (Test-WoosooPreflight -Path '${project.dir}' -Category Tools -Quiet)
          Login = (Test-WoosooPreflight -Path '${project.dir}' -Category Tools -Detailed | Where-Object Name -eq 'Database login' | Format-List * | Out-String)
        } | ConvertTo-Json -Depth 20 -Compress`);
      expect(r.Quiet).toBe(false);
      expect(r.Login).toMatch(/Fail/);
      expect(r.Login).toMatch(/wrong user name or password/);
      expect(r.Login).not.toContain('Not-the-password-1');
    } finally {
      project.write();
    }
  }, 60_000);

  it('-Category selects groups, -Detailed adds Probe and RawOutput, pipeline input by ProjectPath works', () => {
    const r = json(`$d = @([pscustomobject]@{ ProjectPath = '${project.dir}' } | Test-WoosooPreflight -Category PhpExtensions, Network -Detailed)
      [pscustomobject]@{ Categories = @($d | ForEach-Object Category | Select-Object -Unique); Probe = $d[0].Probe; Raw = $d[0].RawOutput } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Categories).toEqual(['PhpExtensions', 'Network']);
    expect(r.Probe).toMatch(/php -r /);
    expect(r.Raw).toMatch(/ini=/);
  }, 60_000);

  it('shows a table grouped by Category', () => {
    const r = json(`(Test-WoosooPreflight -Path '${project.dir}' -Category System, Permissions | Out-String -Width 200) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatch(/Category: System/);
    expect(r).toMatch(/Category: Permissions/);
    expect(r).toMatch(/Name\s+Status\s+Message \/ Fix/);
  }, 60_000);

  it('rejects an unknown -Category, and a folder that is not a project is Woosoo.ConfigNotFound', () => {
    const r = json(`$a = try { Test-WoosooPreflight -Path '${project.dir}' -Category Nope; 'no error' } catch { $_.FullyQualifiedErrorId }
      $b = try { Test-WoosooPreflight -Path '/'; 'no error' } catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Fix = $_.ErrorDetails.RecommendedAction } }
      [pscustomobject]@{ A = $a; B = $b } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.A).toMatch(/^ParameterArgumentValidationError,Test-WoosooPreflight/);
    expect(r.B.Id).toMatch(/^Woosoo\.ConfigNotFound/);
    expect(r.B.Fix).toContain('-Path');
  }, 60_000);
}, { needs: ['mariadb', 'php'] });
