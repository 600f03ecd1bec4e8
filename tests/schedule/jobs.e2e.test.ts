/**
 * The job scripts Task Scheduler runs (jobs/Invoke-WoosooScheduled*.ps1), started with pwsh -NoProfile
 * -NonInteractive -File as the task does, and their exit codes: 0 success, 1 failed and rolled back, 2 failed and
 * not rolled back, 3 refused before starting. Real situations where they are cheap: a healthy and a broken port
 * (with the health alert to a real local receiver, once per change across runs), an invalid configuration, a
 * file backup. A deploy that fails after its backup needs PHP, Composer, MariaDB and nginx: the
 * mapping of its DeployFailed error (1 or 2) is checked with the error record the module raises and the
 * Woosoo.Deployment it points to, built here in each shape the engine gives.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, MODULE_MANIFEST, pwsh, pwshJson, runPwshFile, TIER, type FileRun } from '../support/pwsh';
import { freePort } from '../harness/ports';
import { makeProject, startHttp, type Project, type Running } from '../health/fixtures';
import { makeProject as makeBackupProject } from '../backup/fixture';

const sep = TIER === 'windows' ? '\\' : '/';
const jobFile = (job: string) => `${dirname(MODULE_MANIFEST)}${sep}jobs${sep}Invoke-WoosooScheduled${job}.ps1`;

/** pwsh -NoProfile -NonInteractive -File <job> -Path <project> [...]; in the Windows tier through a -File wrapper. */
function runJob(job: string, args: string[]): Promise<FileRun> {
  if (TIER === 'windows') {
    const quoted = args.map((a) => (a.startsWith('-') ? a : `'${a.replace(/'/g, "''")}'`)).join(' ');
    return runPwshFile(`& '${jobFile(job)}' ${quoted}\nexit $LASTEXITCODE`, { timeoutMs: 240_000 });
  }
  return new Promise((resolve) => {
    const child = spawn(pwsh.path, ['-NoProfile', '-NonInteractive', '-File', jobFile(job), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describePwsh('the scheduled job scripts: pwsh -File exit codes', () => {
  const projects: Project[] = [];
  let site: Running;
  let hook: Server;
  const alerts: { kind: string; check: string; project: string }[] = [];
  const runs: Record<string, FileRun> = {};
  let down: Project;
  let backup: { dir: string };

  beforeAll(async () => {
    site = await startHttp(200, 'ok');
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => { alerts.push(JSON.parse(body)); res.writeHead(204); res.end(); });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/alerts`;
    const make = (values: Record<string, string | number>) => {
      const p = makeProject('wsjob-');
      p.write(values);
      projects.push(p);
      return p;
    };
    const up = make({ HTTP_PORT: site.port, HEALTH_WEBHOOK_URL: url });
    down = make({ HTTP_PORT: await freePort(), HEALTH_WEBHOOK_URL: url });
    const invalid = make({ HEALTH_TIMEOUT_SECONDS: 0 });
    backup = makeBackupProject();
    const port = ['-Name', 'Port HTTP_PORT'];
    // Five pwsh runs in all (four side by side): each costs a PowerShell and an engine start.
    const [healthOk, healthDown, deployInvalid, backupOk] = await Promise.all([
      runJob('Health', ['-Path', up.dir, ...port]),
      runJob('Health', ['-Path', down.dir, ...port]),
      runJob('Deploy', ['-Path', invalid.dir]),
      runJob('Backup', ['-Path', backup.dir]),
    ]);
    // The same broken port on the next run: still exit 2, no second alert.
    const healthDownAgain = await runJob('Health', ['-Path', down.dir, ...port]);
    Object.assign(runs, { healthOk, healthDown, deployInvalid, backupOk, healthDownAgain });
  }, 300_000);
  afterAll(async () => {
    await site?.close();
    await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
    for (const p of projects) p.cleanup();
  });

  const code = (name: string) => ({ name, code: runs[name].code, err: runs[name].err.slice(-600) });

  it('0: the health job on a healthy check, and the backup job (a backup made, logged in logs/jobs/backup.log)', () => {
    expect(code('healthOk')).toMatchObject({ code: 0 });
    expect(code('backupOk')).toMatchObject({ code: 0 });
    expect(readdirSync(join(backup.dir, 'backups'))).toHaveLength(1);
    expect(readFileSync(join(backup.dir, 'logs', 'jobs', 'backup.log'), 'utf8')).toMatch(/^\S+ exit 0 backup \d/);
  });

  it('2: the health job with an Unhealthy check, on each run; the webhook gets one alert for the change, not one per run', () => {
    expect(code('healthDown')).toMatchObject({ code: 2 });
    expect(code('healthDownAgain')).toMatchObject({ code: 2 });
    expect(runs.healthDown.err).toContain('Unhealthy: Port HTTP_PORT');
    const mine = alerts.filter((a) => a.project.endsWith(down.dir.split('/').pop()!));
    expect(mine.map((a) => `${a.kind} ${a.check}`), `${runs.healthDown.out}\n${runs.healthDown.err}`).toEqual(['Alert Port HTTP_PORT']);
    expect(alerts).toHaveLength(1);
    expect(existsSync(join(down.dir, 'logs', 'health', 'state.json'))).toBe(true);
    expect(readFileSync(join(down.dir, 'logs', 'jobs', 'health.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(['exit 2', 'exit 2']);
  });

  it('3: refused before starting: the deploy job on an invalid configuration, nothing deployed', () => {
    expect(code('deployInvalid')).toMatchObject({ code: 3 });
    expect(runs.deployInvalid.err).toMatch(/Woosoo\.ConfigInvalid.*HEALTH_TIMEOUT_SECONDS/s);
    expect(existsSync(join(projects[2].dir, 'deployments'))).toBe(false);
  });

  it('1 and 2 for a failed deploy, 3 for one stopped at Preflight or Lock: the mapping of each DeployFailed shape and of other errors', () => {
    const r = pwshJson(`
      . '${jobFile('Deploy').replace('Invoke-WoosooScheduledDeploy.ps1', 'WoosooJob.ps1')}'
      $err = { param($id, $cat, $msg) & (Get-Module Woosoo) { param($i, $c, $m) New-WoosooErrorRecord -ErrorId $i -Category $c -TargetObject '20261203-020000-a1b2' -Message $m } $id $cat $msg }
      $failed = 'Deployment 20261203-020000-a1b2 failed at step Build: composer install exited 1. Outcome: {0}. Report: x.html.'
      $d = { param($status, $step) [pscustomobject]@{ PSTypeName = 'Woosoo.Deployment'; Status = $status; FailedStep = $step } }
      $code = { param($e, $dep) Get-WoosooJobExitCode -ErrorRecord $e -Deployment $dep -Job Deploy }
      [pscustomobject]@{
        RolledBack = & $code (& $err DeployFailed InvalidResult ($failed -f 'Failed-RolledBack: the previous version is back')) (& $d RolledBack Build)
        NoRollback = & $code (& $err DeployFailed InvalidResult ($failed -f 'Failed: nothing was rolled back')) (& $d Failed Health)
        RollbackFailed = & $code (& $err DeployFailed InvalidResult ($failed -f 'RollbackFailed: left to do by hand: x')) (& $d RollbackFailed Health)
        AtLock = & $code (& $err DeployFailed ResourceBusy 'Deployment x failed at step Lock: held. Outcome: Failed: nothing was rolled back.') (& $d Failed Lock)
        AtPreflight = & $code (& $err DeployFailed InvalidResult 'Deployment x failed at step Preflight: no php.') (& $d Failed Preflight)
        TextRolledBack = & $code (& $err DeployFailed InvalidResult ($failed -f 'Failed-RolledBack: the previous version is back')) $null
        TextRollbackFailed = & $code (& $err DeployFailed InvalidResult ($failed -f 'RollbackFailed: left to do by hand: x')) $null
        TextLock = & $code (& $err DeployFailed ResourceBusy 'Deployment x failed at step Lock: held. Outcome: Failed: nothing was rolled back.') $null
        Locked = & $code (& $err DeployLocked ResourceBusy 'Another deploy holds x.') $null
        Interrupted = & $code (& $err DeployInterruptedFound InvalidOperation 'An interrupted deployment.') $null
        Invalid = & $code (& $err ConfigInvalid InvalidData 'x has 1 problem(s).') $null
        NotFound = & $code (& $err ConfigNotFound ObjectNotFound 'No deployment.config.env in x.') $null
        EngineDied = & $code (& $err EngineDied OperationStopped 'The engine exited.') $null
        Success = & $code $null $null
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual({
      RolledBack: 1, NoRollback: 2, RollbackFailed: 2, AtLock: 3, AtPreflight: 3, TextRolledBack: 1, TextRollbackFailed: 2, TextLock: 3,
      Locked: 3, Interrupted: 3, Invalid: 3, NotFound: 3, EngineDied: 2, Success: 0,
    });
  });
});
