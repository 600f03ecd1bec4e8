/**
 * Invoke-WoosooDeploy: Preflight → Lock → Backup → Sync → Build → StopServices → PlaceArtifacts → StartServices →
 * Health → Report. A failure after the backup rolls back (unless noRollback); the report and the journal always
 * say what happened, the lock is always released, and a failed deploy throws DeployFailed (the deployment id is
 * its target). Undo-WoosooDeploy completes the rollback of an interrupted or failed deploy from its journal.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { applyRetention, createBackup } from '../backup';
import { planBuilds, runBuilds } from '../build';
import { preflightPassed, runPreflight } from '../preflight';
import { run } from '../process/run';
import { getServices, installServices, serviceSettings, stackDefinitions, startServices, stopServices } from '../services';
import { syncConfig } from '../sync';
import { WoosooError } from '../kernel/errors';
import { appFilesNow, changesSince, manifestOf, trackedNow } from './artifacts';
import { holdAtCrashPoint } from '../kernel/testseams';
import { runStep, uncancellable, type DeployCtx, type StepOutcome } from './context';
import { listTables } from './database';
import { changedProject, interruptedDeployments, listDeployments, needsRollback, runningHere } from './history';
import { deployRoot, endStep, newDeployId, newJournal, writeJournal, type DeployOptions, type Journal } from './journal';
import { acquireLock, releaseLock } from './lock';
import { reportFiles, systemSnapshot, writeReport } from './report';
import { rollbackDeploy } from './rollback';
import { blueGreenSteps } from './bluegreen';
import { healthStep } from './healthstep';
import { rollbackRelease } from './switch';
import { blueGreen } from '../releases';
import { closeUnchanged } from './undo';
import { queueRestartCommand, reportDir, SCOPES, scopeServices } from './steps';
import { notifyWebhook } from './webhook';

function serviceErrors(r: { errors: { message: string }[] }, what: string): void {
  if (r.errors.length > 0) throw new Error(`${what}: ${r.errors.map((e) => e.message).join(' ')}`);
}

async function backupStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  if (j.options.skipBackup) {
    ctx.log('warning', 'No backup (-SkipBackup): if this deploy fails, nothing can be rolled back.');
    return { status: 'Skipped', message: '-SkipBackup: no backup, so no rollback is possible.' };
  }
  const tracked = trackedNow(cfg);
  const m = await manifestOf(cfg, tracked, ctx.signal);
  j.manifest = m.manifest;
  j.absentBefore = m.absent;
  j.snapshotDirs = tracked.dirs;
  j.appFilesBefore = appFilesNow(cfg);
  j.tablesBefore = await listTables(cfg, ctx);
  const b = await createBackup(cfg, ctx, {
    description: `Before deployment ${j.id} (${j.options.scope})`, includeDatabase: true, creator: 'Invoke-WoosooDeploy',
    extraFiles: Object.keys(m.manifest).map((f) => join(cfg.projectDir, f)), keys: ctx.backupKeys,
  });
  j.backupId = b.id;
  return { message: `Backup ${b.id}: ${b.fileCount} files and database ${cfg.str('DB_DATABASE')} (${j.tablesBefore.length} tables), ${b.sizeBytes} bytes.` };
}

/** The backups deployments still need: those of interrupted or failed ones whose rollback is not done. */
function interruptedOrFailedBackups(cfg: ProjectConfig): string[] {
  return listDeployments(cfg).filter(needsRollback).map((d) => d.backupId).filter((id): id is string => Boolean(id));
}

/**
 * The configured backup retention, after every deploy (under the lock): a failed deploy leaves its backup and the
 * rollback's safety backup, and they piled up. Never the backup of this deployment or of one that still needs its
 * rollback. A failure here is a warning: it never changes the deploy's outcome.
 */
async function retention(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<void> {
  try {
    const needed = [j.backupId, ...interruptedOrFailedBackups(cfg)].filter((id): id is string => Boolean(id));
    const removed = await applyRetention(cfg, ctx, needed);
    if (removed.length > 0) {
      ctx.log('info', `Backup retention removed ${removed.length} backup(s): ${removed.join(', ')} (BACKUP_RETENTION_DAYS, BACKUP_KEEP_MAXIMUM).`);
    }
    j.details.retention = { removed, protected: needed };
  } catch (err) {
    ctx.log('warning', `Backup retention after the deploy failed (the deploy's outcome stands): ${(err as Error).message}`);
  }
}

export async function buildStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal, setLog: (p: string) => void): Promise<StepOutcome> {
  if (j.options.skipBuild) return { status: 'Skipped', message: '-SkipBuild.' };
  const apps = SCOPES[j.options.scope].apps;
  const plan = planBuilds(cfg, { apps, skipTests: j.options.skipTests, env: ctx.env });
  // Before anything runs: a crash from here on may leave the database migrated, so a rollback restores it.
  j.databaseMayHaveChanged = plan.some((p) => !p.skipped && !p.error && p.commands.some((c) => c.kind === 'migrate'));
  writeJournal(cfg, j);
  const logDir = join(reportDir(cfg), j.id, 'build');
  setLog(logDir);
  mkdirSync(logDir, { recursive: true });
  const results = await runBuilds(cfg, ctx, { apps, skipTests: j.options.skipTests, parallel: j.options.parallel, logDir });
  j.details.builds = results.map((r) => ({ app: r.app, status: r.status, durationMs: r.durationMs, logPath: r.logPath, message: r.message, migrationsRan: r.migrationsRan }));
  const failed = results.filter((r) => r.status === 'Failed');
  if (failed.length > 0) throw new Error(failed.map((r) => `${r.app}: ${r.message}`).join('\n'));
  return { message: results.map((r) => `${r.app} ${r.status} (${(r.durationMs / 1000).toFixed(1)} s)`).join(', ') || 'Nothing to build.' };
}

async function stopStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const services = scopeServices(cfg, ctx.env, j.options.scope);
  if (services.length === 0) return { status: 'Skipped', message: 'No service in this scope.' };
  const queue = queueRestartCommand(cfg, ctx.env, j.options.scope);
  const notes: string[] = [];
  if (queue && j.servicesRunning.some((s) => /queue-worker$/.test(s))) {
    const r = await run(queue.program, ['artisan', 'queue:restart'], { cwd: cfg.path('BACKEND_PATH'), env: ctx.env, signal: ctx.signal, timeoutMs: 60_000 });
    if (r.exitCode === 0) notes.push('queue:restart sent (workers finish their current job)');
    else ctx.log('warning', `\`${queue.display}\` failed (exit code ${r.exitCode}): the queue worker is stopped by its signal instead.`);
  }
  const r = await stopServices(cfg, ctx, services);
  serviceErrors(r, 'Some services did not stop');
  notes.push(`stopped ${[...services].reverse().join(', ')}`);
  return { message: `${notes.join('; ')}.` };
}

function definitionsHash(cfg: ProjectConfig, env: Record<string, string>): string {
  const defs = stackDefinitions(cfg, env).map(({ problem: _p, ...d }) => d);
  return createHash('sha256').update(JSON.stringify({ defs, settings: serviceSettings(cfg), manager: cfg.str('SERVICE_MANAGER') })).digest('hex');
}

async function startStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const services = scopeServices(cfg, ctx.env, j.options.scope);
  if (services.length === 0) return { status: 'Skipped', message: 'No service in this scope.' };
  // (Re)installing costs several service-manager calls per service: only when a service is missing or the
  // definitions (from the configuration) differ from those of the last install by a deploy.
  const defs = definitionsHash(cfg, ctx.env);
  const marker = join(deployRoot(cfg), 'services.sha256');
  // Which were missing was read at the Lock step (the deploy installs nothing before this step); unknown = install.
  const missing = j.details.servicesNotInstalled as string[] | undefined;
  const stale = !existsSync(marker) || readFileSync(marker, 'utf8').trim() !== defs;
  const install = stale || missing === undefined || services.some((s) => missing.includes(s));
  if (install) {
    serviceErrors(await installServices(cfg, ctx, services), 'Some services could not be installed');
    writeFileSync(marker, `${defs}\n`);
  }
  serviceErrors(await startServices(cfg, ctx, services), 'Some services did not start');
  return { message: `${install ? 'Installed (updated) and started' : 'Started'} ${services.join(', ')}.` };
}

/**
 * The Report step: writes <id>.json and <id>.html (and -ReportPath), then notifies the webhook. The report shows
 * this step as it ends — Succeeded once the files exist — and is written again with its real end. Never throws.
 */
export async function reportStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<void> {
  await runStep(cfg, ctx, j, 'Report', async (s) => {
    j.endedAt = new Date().toISOString();
    j.details.system = systemSnapshot();
    endStep(s, 'Succeeded', `Report ${reportFiles(cfg, j.id).html}.`);
    const paths = writeReport(cfg, j, j.options.reportPath);
    const notified = await notifyWebhook(cfg, ctx, j);
    return { message: `Report ${paths.html}${notified ? '; webhook notified' : ''}.` };
  }).catch(() => {});
  try {
    writeReport(cfg, j, j.options.reportPath);
  } catch {
    /* the step's failure is in the journal; a report written above stands */
  }
}

function failedError(j: Journal): WoosooError {
  const outcome = j.status === 'RolledBack' ? 'Failed-RolledBack: the previous version is back'
    : j.status === 'RollbackFailed' ? `RollbackFailed: left to do by hand: ${(j.leftToDo ?? []).join(' ')}`
      : 'Failed: nothing was rolled back';
  return new WoosooError('DeployFailed', `Deployment ${j.id} failed at step ${j.failedStep}: ${j.error} Outcome: ${outcome}. Report: ${j.htmlReportPath ?? '(not written)'}.`, {
    category: j.failedStep === 'Lock' ? 'ResourceBusy' : 'InvalidResult', target: j.id,
    fix: `Get-WoosooDeployment -Id ${j.id} shows the steps; open the report for details.${j.status === 'RollbackFailed' || j.status === 'Failed' ? ` Undo-WoosooDeploy -Id ${j.id} completes the rollback.` : ''}`,
  });
}

/** The steps of an in-place deploy after Lock (DEPLOY_STRATEGY=InPlace, and the Relay scope). */
async function inPlaceSteps(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<void> {
  await runStep(cfg, ctx, j, 'Backup', () => backupStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Sync', async () => {
    // No backup of its own: the deploy's (the Backup step, or none with -SkipBackup) holds every sync target.
    const apps = SCOPES[j.options.scope].syncTargets?.filter((t) => t !== 'pwa' || cfg.flag('PWA_ENABLED'));
    const changes = await syncConfig(cfg, ctx, { apps, whatIf: false, backup: false });
    const count = (a: string) => changes.filter((c) => c.action === a).length;
    return { message: `${count('Update')} updated, ${count('Create')} created, ${count('Unchanged')} unchanged.` };
  });
  await runStep(cfg, ctx, j, 'Build', (s) => buildStep(cfg, ctx, j, (p) => { s.outputLog = p; }));
  await runStep(cfg, ctx, j, 'StopServices', () => stopStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'PlaceArtifacts', async () => {
    j.changed = await changesSince(cfg, j.manifest, j.snapshotDirs, j.absentBefore, ctx.signal);
    return { message: `Built in place; ${j.changed.length} tracked file(s) changed${j.changed.length ? `: ${j.changed.slice(0, 8).join(', ')}${j.changed.length > 8 ? ', …' : ''}` : ''}.` };
  });
  await runStep(cfg, ctx, j, 'StartServices', () => startStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Health', () => healthStep(cfg, ctx, j));
}

export async function runDeploy(cfg: ProjectConfig, ctx: DeployCtx, options: DeployOptions): Promise<Journal> {
  const j = newJournal(cfg, newDeployId(), options, ctx.env);
  // Blue/green unless the project says InPlace; the Relay scope (an app no service runs) builds in place.
  j.strategy = blueGreen(cfg) && options.scope !== 'Relay' ? 'BlueGreen' : 'InPlace';
  runningHere.add(j.id);
  let locked = false;
  try {
    const gone = interruptedDeployments(cfg).filter((x) => x.id !== j.id);
    const interrupted = gone.filter(changedProject);
    // One that died before it changed anything (Lock, Backup) needs no rollback: it is closed and the deploy goes on.
    for (const x of gone.filter((g) => !interrupted.includes(g))) {
      closeUnchanged(cfg, x, `deployment ${j.id}`);
      ctx.log('warning', `Deployment ${x.id} was interrupted during ${x.failedStep}, before it changed anything: closed, nothing to roll back.`);
    }
    if (interrupted.length > 0) {
      throw new WoosooError('DeployInterruptedFound', `Deployment ${interrupted[0].id} was interrupted (its engine is gone) and its rollback is not complete; nothing was changed.`, {
        category: 'InvalidOperation', target: interrupted[0].id, fix: `Run Undo-WoosooDeploy -Id ${interrupted[0].id} first (Invoke-WoosooDeploy asks to do it for you).`,
      });
    }
    try {
      // Preflight changes nothing and takes no lock: not journaled until it ends (an engine killed here leaves nothing).
      await runStep(cfg, ctx, j, 'Preflight', async () => {
        const checks = await runPreflight(cfg, ctx);
        j.details.preflight = checks.filter((c) => c.status !== 'Pass').map((c) => ({ name: c.name, status: c.status, critical: c.critical, message: c.message }));
        const bad = checks.filter((c) => c.critical && c.status === 'Fail');
        if (!preflightPassed(checks) && !options.force) throw new Error(`Critical preflight checks failed: ${bad.map((c) => `${c.name}: ${c.message}`).join('; ')} (-Force goes on anyway).`);
        for (const c of bad) ctx.log('warning', `Preflight ${c.name} failed, going on (-Force): ${c.message}`);
        return { message: `${checks.length} checks: ${checks.filter((c) => c.status === 'Fail').length} failed, ${checks.filter((c) => c.status === 'Warn').length} warnings.` };
      }, { journal: false });
      await runStep(cfg, ctx, j, 'Lock', async () => {
        const stale = acquireLock(cfg, ctx, j.id);
        locked = true;
        await holdAtCrashPoint(ctx, 'Lock');
        try {
          const items = (await getServices(cfg, ctx)).items;
          j.servicesRunning = items.filter((s) => s.status === 'Running').map((s) => s.name);
          j.details.servicesNotInstalled = items.filter((s) => s.status === 'NotInstalled').map((s) => s.name);
        } catch (err) {
          ctx.log('warning', `Could not list the services before the deploy: ${(err as Error).message}`);
        }
        return { message: `Lock taken${stale ? ` (over a stale lock of deployment ${stale.deployId || '(unknown)'}, PID ${stale.pid})` : ''}; running before: ${j.servicesRunning.join(', ') || 'no service'}.` };
      });
      if (j.strategy === 'BlueGreen') await blueGreenSteps(cfg, ctx, j, (s, view) => buildStep(view, ctx, j, (p) => { s.outputLog = p; }));
      else await inPlaceSteps(cfg, ctx, j);
      j.status = 'Succeeded';
    } catch (err) {
      const failed = j.steps.find((s) => s.status === 'Failed' || s.status === 'Cancelled');
      j.failedStep = failed?.name ?? 'Preflight';
      j.error = failed?.message ?? (err instanceof Error ? err.message : String(err));
      const rb = uncancellable(ctx);
      if ((j.backupId || j.release) && !options.noRollback) {
        // The journal keeps saying Running during the rollback: an engine that dies in it leaves an Interrupted
        // deploy (the next deploy refuses, Undo-WoosooDeploy completes the rollback), not a "Failed" one.
        const r = j.release ? await rollbackRelease(cfg, rb, j) : await rollbackDeploy(cfg, rb, j);
        j.status = r.ok ? 'RolledBack' : 'RollbackFailed';
      } else {
        j.status = 'Failed';
        if (j.backupId || j.release) rb.log('warning', `-NoRollback: the failed deployment was left as it is. Undo-WoosooDeploy -Id ${j.id} rolls it back.`);
      }
    }
    await retention(cfg, uncancellable(ctx), j);
    // The outcome is decided: the lock is released before the Report step (which only writes the reports), so an
    // engine that dies while reporting leaves the outcome in the journal and no lock.
    if (locked) releaseLock(cfg, j.id);
    locked = false;
    await reportStep(cfg, uncancellable(ctx), j);
    writeJournal(cfg, j);
  } finally {
    if (locked) releaseLock(cfg, j.id);
    runningHere.delete(j.id);
  }
  if (j.status !== 'Succeeded') throw failedError(j);
  return j;
}
