/**
 * Environments from the real pwsh (both tiers): -Environment and $env:WOOSOO_ENVIRONMENT choose the overlay,
 * Get-WoosooConfig shows where each value comes from, Compare-WoosooConfig shows environments side by side at 80
 * columns with secrets masked, a wrong environment is a terminating Woosoo.Environment* error, and -Environment
 * completes the environments with whether the project has each overlay.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh, pwshJson, runPwsh, tierPath } from '../support/pwsh';
import { makeProject, type Project } from '../sync/fixtures';

describePwsh('environments end to end', () => {
  let project: Project;
  let p: string;
  beforeAll(() => {
    project = makeProject();
    p = project.dir;
    writeFileSync(join(p, 'deployment.config.staging.env'), "# staging\nAPP_NAME='Woosoo Staging'\nDB_PASSWORD='Staging-Only-Secret-42'\n");
  });
  afterAll(() => project?.cleanup());

  it('-Environment, then $env:WOOSOO_ENVIRONMENT, choose the overlay; each value says where it comes from', () => {
    const r = pwshJson(`$a = Get-WoosooConfig -Path '${p}' -Name APP_NAME, HTTP_PORT, ENVIRONMENT -Environment staging
      $env:WOOSOO_ENVIRONMENT = 'staging'; $b = Get-WoosooConfig -Path '${p}'
      $c = Get-WoosooConfig -Path '${p}' -Environment production
      [pscustomobject]@{
        Rows = @($a | ForEach-Object { $leaf = ''; if ($_.File) { $leaf = Split-Path -Leaf $_.File }; '{0}={1} {2} {3}:{4}' -f $_.Name, $_.Value, $_.Source, $leaf, $_.Line })
        ByVariable = '{0}/{1}/{2}' -f $b.ENVIRONMENT, $b.APP_NAME, (Split-Path -Leaf $b.OverlayPath)
        ByParameter = '{0}/{1}' -f $c.ENVIRONMENT, $c.APP_NAME
        View = ($a | Out-String -Width 80)
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Rows).toEqual([
      'ENVIRONMENT=staging Environment :', 'APP_NAME=Woosoo Staging Overlay deployment.config.staging.env:2', 'HTTP_PORT=8088 File deployment.config.env:5',
    ]);
    expect(r.ByVariable).toBe('staging/Woosoo Staging/deployment.config.staging.env');
    expect(r.ByParameter).toBe('production/Woosoo Test');
    expect(r.View).toContain('Overlay');
    expect(Math.max(...(r.View as string).split(/\r?\n/).map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('Compare-WoosooConfig: the keys that differ, a column per environment, secrets masked', () => {
    const r = pwshJson(`$d = @(Compare-WoosooConfig -Path '${p}' -Environment staging, production)
      [pscustomobject]@{
        Type = $d[0].PSObject.TypeNames[0]
        Rows = @($d | ForEach-Object { '{0}|{1}|{2}' -f $_.Name, $_.staging, $_.production })
        Table = ($d | Out-String -Width 80)
        Base = @(Compare-WoosooConfig -Path '${p}' -Environment staging | ForEach-Object { '{0}|{1}' -f $_.Name, $_.base })
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Type).toBe('Woosoo.ConfigDifference');
    expect(r.Rows).toEqual(['ENVIRONMENT|staging|production', "APP_NAME|Woosoo Staging|Woosoo Test", 'DB_PASSWORD|********|********']);
    expect(r.Table).toMatch(/Name\s+staging\s+production/);
    expect(r.Table).toMatch(/APP_NAME\s+Woosoo Staging\s+Woosoo Test/);
    expect(Math.max(...(r.Table as string).split(/\r?\n/).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(r.Base).toEqual(['ENVIRONMENT|production', 'APP_NAME|Woosoo Test', 'DB_PASSWORD|********']);
    expect(JSON.stringify(r)).not.toContain('Staging-Only-Secret');
  });

  it('an environment without its overlay stops a script with Woosoo.EnvironmentNotFound, non-zero exit', () => {
    const r = runPwsh(`$ErrorActionPreference = 'Stop'; Test-WoosooConfig -Path '${p}' -Environment development; 'not reached'`);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('not reached');
    expect(r.console + r.stderr).toContain('deployment.config.development.env');
    const id = pwshJson(`try { Get-WoosooService -Path '${p}' -Environment qa -ErrorAction Stop } catch { $_.FullyQualifiedErrorId | ConvertTo-Json }`);
    expect(id).toMatch(/^Woosoo\.EnvironmentInvalid/);
  });

  it('Set-WoosooConfig -Environment writes the overlay; a backup taken in staging goes back into production only with -Force', () => {
    const r = pwshJson(`$s = Set-WoosooConfig -Path '${p}' -Environment staging -Name HTTP_PORT -Value 8095 -Confirm:$false
      $b = New-WoosooBackup -Path '${p}' -Environment staging -Description 'staging state' -Confirm:$false
      try { Restore-WoosooBackup -Path '${p}' -Id $b.Id -Confirm:$false -ErrorAction Stop; $e = $null } catch { $e = $_ }
      $forced = @(Restore-WoosooBackup -Path '${p}' -Id $b.Id -Force -WhatIf)
      [pscustomobject]@{ Set = Split-Path -Leaf $s.Path; Env = $b.Environment; Id = $e.FullyQualifiedErrorId; Msg = [string]$e.ErrorDetails.RecommendedAction; Forced = $forced.Count } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Set).toBe('deployment.config.staging.env');
    expect(readFileSync(join(p, 'deployment.config.staging.env'), 'utf8')).toContain('HTTP_PORT=8095');
    expect(readFileSync(join(p, 'deployment.config.env'), 'utf8')).toContain('HTTP_PORT=8088');
    expect(r.Env).toBe('staging');
    expect(r.Id).toMatch(/^Woosoo\.BackupEnvironmentMismatch/);
    expect(r.Msg).toContain('-Force');
    expect(r.Forced).toBeGreaterThan(0);
  });

  it('-Environment completes the environments, saying which have an overlay here', () => {
    const r = pwshJson(`$line = "Get-WoosooConfig -Path '${p}' -Environment "
      @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { '{0}|{1}' -f $_.CompletionText, $_.ToolTip }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual([
      `development|No overlay: ${tierPath(join(p, 'deployment.config.development.env'))} does not exist`,
      `staging|Overlay ${tierPath(join(p, 'deployment.config.staging.env'))}`,
      `production|No overlay: ${tierPath(join(p, 'deployment.config.production.env'))} does not exist`,
    ]);
  });
});
