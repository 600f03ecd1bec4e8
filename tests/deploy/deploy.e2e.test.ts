/**
 * Invoke-WoosooDeploy, Get-WoosooDeployment and Undo-WoosooDeploy end to end from the real pwsh, on a copy of the
 * demo stack with a real MariaDB and PM2: -WhatIf returns the plan and writes nothing; a deploy streams
 * Woosoo.DeployStep objects and ends with a Woosoo.Deployment (Duration a TimeSpan); a failing build is a
 * terminating Woosoo.DeployFailed error whose TargetObject is the deployment id, and `pwsh -File` of the scheduled
 * deploy job exits 1 (rolled back) or 2 (the rollback failed); with a backup key only the cmdlets can open (DPAPI),
 * the key they pass makes the deploy's and Sync's backups encrypted and the rollback able to restore them (over the
 * wire: on Linux the cmdlets never need to pass it); after an engine was killed mid-deploy, Invoke-WoosooDeploy -Force completes the interrupted
 * deploy's rollback before deploying. Skipped, with the reason, where pwsh is not installed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../core/backup/crypto';
import { listDeployments } from '../../core/deploy/history';
import { DEPLOY_ID_RE } from '../../core/deploy/journal';
import { EngineClient, ROOT } from '../support/engine';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import type { MariaDb } from '../harness/mariadb';
import { waitFor } from '../harness/tools';
import { SECRETS, treeDiff, type DemoProject, useDemoProject } from './fixture';

const json = (script: string, env: Record<string, string>) => {
  return pwshJson(script, { timeoutMs: 300_000, env });
};

/** The files under dir (recursively) that contain text. */
function filesHolding(dir: string, text: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).toString('latin1').includes(text));
}

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

  it('a failing build: terminating Woosoo.DeployFailed, TargetObject = the deployment id, RolledBack; as scheduled: exit 1 rolled back, exit 2 when the rollback failed', () => {
    p.set({ BUILD_PWA_COMMANDS: `'node -e "process.exit(5)"'` });
    const r = json(`try { Invoke-WoosooDeploy -Path '${p.dir}' -Confirm:$false | Out-Null; $e = $null } catch { $e = $_ }
      $d = Get-WoosooDeployment -Path '${p.dir}' -Id $e.TargetObject
      [pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Target = $e.TargetObject; Msg = [string]$e.Exception.Message; Status = $d.Status; Failed = $d.FailedStep } | ConvertTo-Json -Depth 20 -Compress`, p.env);
    expect(r.Id).toMatch(/^Woosoo\.DeployFailed/);
    expect(r.Target).toMatch(DEPLOY_ID_RE);
    expect(r.Msg).toContain('Failed-RolledBack');
    expect(r).toMatchObject({ Status: 'RolledBack', Failed: 'Build' });

    // As Task Scheduler runs it: a script of one's own with the preference, and the job script Woosoo ships
    // (jobs/Invoke-WoosooScheduledDeploy.ps1, exit codes in docs/operations.md) -- 1: failed and rolled back.
    const base = join(p.dir, '..', p.dir.split('/').pop()!);
    const scheduled = (args: string[]) => {
      const run = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-File', ...args], { env: { ...process.env, ...p.env }, encoding: 'utf8', timeout: 300_000 });
      expect(run.stdout + run.stderr).not.toContain(SECRETS.db);
      return run;
    };
    const jobLog = join(p.dir, 'logs', 'jobs', 'deploy.log');
    const last = () => listDeployments(p.cfg(), { last: 1 })[0];
    writeFileSync(`${base}-scheduled.ps1`, `$ErrorActionPreference = 'Stop'\nImport-Module '${join(ROOT, 'Woosoo.psd1')}'\nInvoke-WoosooDeploy -Path '${p.dir}' -SkipTests -Confirm:$false\n'not reached'\n`);
    const own = scheduled([`${base}-scheduled.ps1`]);
    rmSync(`${base}-scheduled.ps1`);
    expect(own.status).toBe(1);
    expect(own.stdout).not.toContain('not reached');
    const job = join(ROOT, 'jobs', 'Invoke-WoosooScheduledDeploy.ps1');
    expect(scheduled([job, '-Path', p.dir]).status).toBe(1);
    expect(last()).toMatchObject({ status: 'RolledBack', failedStep: 'Build' });
    expect(readFileSync(jobLog, 'utf8')).toMatch(/ exit 1 Woosoo\.DeployFailed: .*Outcome: Failed-RolledBack/);

    // 2: failed and not rolled back. A build that fails after the backups are gone (a lost backup disk): the
    // rollback cannot restore, the deployment is RollbackFailed.
    writeFileSync(`${base}-lose-backups.cjs`, `require('fs').rmSync(${JSON.stringify(join(p.dir, 'backups'))}, { recursive: true, force: true });\nprocess.exit(7);\n`);
    p.set({ BUILD_PWA_COMMANDS: `'node ${base}-lose-backups.cjs'` });
    expect(scheduled([job, '-Path', p.dir]).status).toBe(2);
    rmSync(`${base}-lose-backups.cjs`);
    expect(last()).toMatchObject({ status: 'RollbackFailed', failedStep: 'Build' });
    expect(readFileSync(jobLog, 'utf8').trim().split('\n').pop()).toMatch(/ exit 2 Woosoo\.DeployFailed: .*Outcome: RollbackFailed/);
    p.set({ BUILD_PWA_COMMANDS: "''" });
  }, 600_000);

  it('a key only the cmdlets can open (DPAPI), passed as key: config.sync and deploy.run back up encrypted with it, deploy.undo restores with it; never written anywhere', async () => {
    // What Invoke-WoosooDeploy, Undo-WoosooDeploy and Sync-WoosooConfig send on Windows (Get-WoosooProjectKeyParam):
    // the project's .woosoo/backup.key is DPAPI-protected, the engine alone cannot open it.
    const key = randomBytes(32);
    const b64 = key.toString('base64');
    const keyId = keyIdOf(key);
    const keyFile = join(p.dir, '.woosoo', 'backup.key');
    mkdirSync(join(p.dir, '.woosoo'), { recursive: true });
    writeFileSync(keyFile, `woosoo-backup-key 1 dpapi-machine ${keyId} ${randomBytes(180).toString('base64')}\n`);
    const sent = { key: b64, keyFromProject: true };
    const caller = (command: string) => ({ $caller: { command, parameters: { Path: p.dir }, whatIf: false } });
    const e = await EngineClient.start({ cwd: p.dir, env: p.env });
    try {
      const backup = async (id: string) => ((await e.call('backup.list', { path: p.dir, ids: [id] })).items as { KeyId: string; EncryptedParts: string[] }[])[0];
      // Sync-WoosooConfig: an app .env it overwrites is backed up first, encrypted with the key sent.
      const envFile = join(p.dir, 'apps', 'woosoo-nexus', '.env');
      writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/^DB_PORT=.*$/m, 'DB_PORT=1'));
      const synced = (await e.call('config.sync', { path: p.dir, apps: ['backend'], ...sent, ...caller('Sync-WoosooConfig') })).items as { BackupId?: string }[];
      const syncBackup = synced.find((c) => c.BackupId)?.BackupId;
      expect(syncBackup).toBeTruthy();
      const s = await backup(syncBackup!);
      expect(s.KeyId).toBe(keyId);
      expect(s.EncryptedParts.some((x) => x.endsWith('woosoo-nexus/.env'))).toBe(true);
      // Invoke-WoosooDeploy -NoRollback with a failing build: the pre-deploy backup is encrypted with the key ...
      p.set({ BUILD_PWA_COMMANDS: `'node -e "process.exit(6)"'` });
      const run = await e.request('deploy.run', { path: p.dir, skipTests: true, noRollback: true, ...sent, ...caller('Invoke-WoosooDeploy') });
      p.set({ BUILD_PWA_COMMANDS: "''" });
      expect(run.error?.data?.errorId).toBe('DeployFailed');
      const failed = ((await e.call('deploy.get', { path: p.dir, id: run.error!.data!.targetObject })).items as { Status: string; BackupId: string }[])[0];
      expect(failed.Status).toBe('Failed');
      const b = await backup(failed.BackupId);
      expect(b.KeyId).toBe(keyId);
      for (const part of [/deployment\.config\.env$/, /woosoo-nexus\/\.env$/, /^database\//]) expect(b.EncryptedParts.some((x) => part.test(x)), String(part)).toBe(true);
      // ... which the engine alone cannot open (the key file is DPAPI's) ...
      expect((await e.request('backup.restore', { path: p.dir, id: failed.BackupId, whatIf: true })).error?.data?.errorId).toBe('BackupKeyMissing');
      // ... and Undo-WoosooDeploy's rollback restores with the key sent.
      const undone = (await e.call('deploy.undo', { path: p.dir, id: run.error!.data!.targetObject, ...sent, ...caller('Undo-WoosooDeploy') })).items as { $type: string; Status: string }[];
      expect(undone.find((x) => x.$type === 'Deployment')?.Status).toBe('RolledBack');
      // The key: in no journal, report, backup metadata, log or audit line, nor anywhere on the wire.
      for (const folder of ['deployments', 'logs', 'backups']) expect(filesHolding(join(p.dir, folder), b64), folder).toEqual([]);
      expect(e.stdoutLines.join('\n')).not.toContain(b64);
    } finally {
      await e.close();
      rmSync(keyFile);
    }
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
