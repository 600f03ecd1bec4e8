/**
 * Invoke-WoosooDeploy, Get-WoosooDeployment and Undo-WoosooDeploy end to end from the real pwsh, on a copy of the
 * demo stack with a real MariaDB and PM2: -WhatIf returns the plan and writes nothing; a deploy streams
 * Woosoo.DeployStep objects and ends with a Woosoo.Deployment (Duration a TimeSpan); a failing build is a
 * terminating Woosoo.DeployFailed error whose TargetObject is the deployment id, and `pwsh -File` of a scheduled
 * script exits non-zero; after an engine was killed mid-deploy, Invoke-WoosooDeploy -Force completes the interrupted
 * deploy's rollback before deploying. Skipped, with the reason, where pwsh is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_ID_RE } from '../../core/deploy/journal';
import { EngineClient, ROOT } from '../support/engine';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import type { MariaDb } from '../harness/mariadb';
import { waitFor } from '../harness/tools';
import { SECRETS, treeDiff, type DemoProject, useDemoProject } from './fixture';

const json = (script: string, env: Record<string, string>) => {
  return pwshJson(script, { timeoutMs: 300_000, env });
};

describePwsh('deploy cmdlets end to end', () => {
  const stack = useDemoProject('woosoo_e2e');
  let db: MariaDb;
  let p: DemoProject;
  beforeAll(() => {
    ({ p, db } = stack);
  });

  it('-WhatIf returns ten Woosoo.DeployPlanStep objects with their commands and writes nothing', () => {
    const before = p.treeHash();
    const r = json(`$plan = @(Invoke-WoosooDeploy -Path '${p.dir}' -WhatIf)
      [pscustomobject]@{ Types = @($plan | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique); Names = @($plan.Name)
        Build = @(($plan | Where-Object Name -eq 'Build').Commands); Text = ($plan | Out-String) } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r.Types).toEqual(['Woosoo.DeployPlanStep']);
    expect(r.Names).toEqual(['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report']);
    expect(r.Build.join('\n')).toContain('artisan migrate --force');
    expect(r.Text).toContain('queue:restart');
    for (const d of ['deployments', 'backups']) expect(existsSync(join(p.dir, d))).toBe(false);
    expect(treeDiff(before, p.treeHash())).toEqual([]);
    // What a -WhatIf run writes: its audit line and the engine's own log (docs/operations.md), nothing else in logs/.
    expect(readdirSync(join(p.dir, 'logs')).sort()).toEqual(['audit', 'woosoo']);
  });

  it('deploys: DeployStep objects as the steps end, then a Succeeded Woosoo.Deployment; Get-WoosooDeployment lists it', () => {
    const r = json(`$out = @(Invoke-WoosooDeploy -Path '${p.dir}' -SkipTests -Confirm:$false)
      $steps = @($out | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.DeployStep' })
      $d = $out | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
      $listed = Get-WoosooDeployment -Path '${p.dir}' -Last 1
      $types = { param($o) @($o | ForEach-Object { $_.Duration.GetType().Name } | Select-Object -Unique) }
      [pscustomobject]@{ Steps = @($steps.Name); StepStatus = @($steps.Status | Select-Object -Unique); Status = $d.Status; Dur = $d.Duration.GetType().Name
        StepDur = @(& $types $steps); NestedDur = @(& $types $d.Steps); ListedDur = @(& $types $listed); ListedNestedDur = @(& $types $listed.Steps)
        Longer = $d.Duration -ge $steps[0].Duration; Listed = $listed.Id; Id = $d.Id; Report = $d.ReportPath; Ok = $? } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r.Steps).toHaveLength(10);
    expect(r.StepStatus).toEqual(['Succeeded']);
    expect(r).toMatchObject({ Status: 'Succeeded', Dur: 'TimeSpan', Listed: r.Id, Longer: true });
    // every Duration a [timespan]: the streamed steps, and the steps nested in the deployment, as run and as listed
    expect([r.StepDur, r.NestedDur, r.ListedDur, r.ListedNestedDur]).toEqual([['TimeSpan'], ['TimeSpan'], ['TimeSpan'], ['TimeSpan']]);
    expect(existsSync(r.Report)).toBe(true);
  }, 300_000);

  it('a failing build: terminating Woosoo.DeployFailed, TargetObject = the deployment id, RolledBack; a scheduled pwsh -File exits non-zero', () => {
    p.set({ BUILD_PWA_COMMANDS: `'node -e "process.exit(5)"'` });
    const r = json(`try { Invoke-WoosooDeploy -Path '${p.dir}' -Confirm:$false | Out-Null; $e = $null } catch { $e = $_ }
      $d = Get-WoosooDeployment -Path '${p.dir}' -Id $e.TargetObject
      [pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Target = $e.TargetObject; Msg = [string]$e.Exception.Message; Status = $d.Status; Failed = $d.FailedStep } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r.Id).toMatch(/^Woosoo\.DeployFailed/);
    expect(r.Target).toMatch(DEPLOY_ID_RE);
    expect(r.Msg).toContain('Failed-RolledBack');
    expect(r).toMatchObject({ Status: 'RolledBack', Failed: 'Build' });

    // As Task Scheduler runs it: with the preference, and with -ErrorAction Stop on the call alone.
    const script = join(p.dir, '..', `${p.dir.split('/').pop()}-scheduled.ps1`);
    for (const [preference, action] of [["$ErrorActionPreference = 'Stop'", ''], ['', ' -ErrorAction Stop']]) {
      writeFileSync(script, `${preference}\nImport-Module '${join(ROOT, 'Woosoo.psd1')}'\nInvoke-WoosooDeploy -Path '${p.dir}' -SkipTests -Confirm:$false${action}\n'not reached'\n`);
      const run = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-File', script], { env: { ...process.env, ...p.env }, encoding: 'utf8', timeout: 300_000 });
      rmSync(script);
      expect(run.status, action).toBe(1);
      expect(run.stdout, action).not.toContain('not reached');
      expect(run.stdout + run.stderr).not.toContain(SECRETS.db);
    }
    p.set({ BUILD_PWA_COMMANDS: "''" });
  }, 600_000);

  it('Undo-WoosooDeploy -WhatIf on a failed -NoRollback deploy names it and changes nothing; without -WhatIf it rolls back', () => {
    p.set({ BUILD_PWA_COMMANDS: `'node -e "process.exit(6)"'` });
    const r = json(`try { Invoke-WoosooDeploy -Path '${p.dir}' -NoRollback -Confirm:$false | Out-Null } catch { $id = $_.TargetObject }
      $what = @(Get-WoosooDeployment -Path '${p.dir}' -Id $id | Undo-WoosooDeploy -WhatIf)
      $before = (Get-WoosooDeployment -Path '${p.dir}' -Id $id).Status
      $undone = Get-WoosooDeployment -Path '${p.dir}' -Id $id | Undo-WoosooDeploy -Confirm:$false
      [pscustomobject]@{ What = $what.Count; Before = $before; After = $undone.Status; Type = $undone.PSObject.TypeNames[0] } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r).toMatchObject({ What: 0, Before: 'Failed', After: 'RolledBack', Type: 'Woosoo.Deployment' });
    p.set({ BUILD_PWA_COMMANDS: "''" });
  }, 600_000);

  it('after an engine was killed mid-deploy: Get-WoosooDeployment shows it Interrupted; Invoke-WoosooDeploy -Force completes its rollback first, then deploys', async () => {
    // The engine killed at the Sync step through the engine's test seam (docs/deploy.md, crash points).
    const e = await EngineClient.start({ cwd: p.dir, env: { ...p.env, WOOSOO_TEST_HOLD_AT_STEP: 'Sync' } });
    void e.request('deploy.run', { path: p.dir, skipBuild: true, skipTests: true });
    await waitFor(() => e.notifications.some((n) => n.method === '$/log' && String(n.params?.message).includes('holding at Sync ')), 240_000, 20);
    e.child.kill('SIGKILL');
    await e.exited;
    const r = json(`$before = Get-WoosooDeployment -Path '${p.dir}' -Last 1
      $out = @(Invoke-WoosooDeploy -Path '${p.dir}' -SkipBuild -SkipTests -Force -Confirm:$false -WarningVariable w 3>$null)
      $old = Get-WoosooDeployment -Path '${p.dir}' -Id $before.Id
      $d = $out | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.Deployment' }
      [pscustomobject]@{ Before = $before.Status; FailedStep = $before.FailedStep; Old = $old.Status; New = $d.Status
        Warnings = @($w | ForEach-Object { [string]$_ }) } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r).toMatchObject({ Before: 'Interrupted', FailedStep: 'Sync', Old: 'RolledBack', New: 'Succeeded' });
    expect(r.Warnings.join('\n')).toContain('rolled back: RolledBack');
  }, 600_000);
}, { needs: ['php', 'composer', 'mariadb', 'nginx', 'npm'] });
