/**
 * Rollback: stop the scope's services, put back the backup's files (configs, .env files, tracked build outputs)
 * and — when the build may have run migrations — the database (the restore drops tables created since), delete tracked
 * files that did not exist before, start the services that were running before, and check health again.
 * Each part that fails is noted with what is left to do by hand; the others still run.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { restoreBackup } from '../backup';
import { waitHealthy } from '../health';
import { startServices, stopServices } from '../services';
import { toItemError } from '../kernel/errors';
import { moveNewAppFiles, removeNewFiles } from './artifacts';
import { runStep, type DeployCtx } from './context';
import { deployRoot, type Journal } from './journal';
import { healthNames, scopeServices } from './steps';

export interface RollbackOutcome {
  ok: boolean;
  leftToDo: string[];
}

function reason(err: unknown): string {
  return toItemError(err).message;
}

export async function rollbackDeploy(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<RollbackOutcome> {
  const left: string[] = [];
  const done: string[] = [];
  const services = scopeServices(cfg, ctx.env, j.options.scope);
  await runStep(cfg, ctx, j, 'Rollback', async () => {
    if (services.length > 0) {
      try {
        const r = await stopServices(cfg, ctx, services);
        for (const e of r.errors) left.push(`Stop ${e.data.targetObject ?? 'a service'} by hand (${e.message}).`);
        done.push(`stopped ${services.join(', ')}`);
      } catch (err) {
        left.push(`Stop the services ${services.join(', ')} by hand: ${reason(err)}`);
      }
    }
    if (j.backupId) {
      try {
        const r = await restoreBackup(cfg, ctx, j.backupId, { skipDatabase: !j.databaseMayHaveChanged, keys: ctx.backupKeys });
        const changed = r.actions.filter((a) => a.action !== 'Unchanged');
        done.push(`restored ${changed.filter((a) => a.kind === 'File').length} file(s)${changed.some((a) => a.kind === 'Database') ? ' and the database' : ''} from backup ${j.backupId}`);
        // The import drops the tables a failed migration created (the restore brings the database back whole).
        const dropped = r.whatIf ? [] : r.tablesDropped;
        if (dropped.length > 0) done.push(`dropped table(s) created since: ${dropped.join(', ')}`);
      } catch (err) {
        left.push(`Restore backup ${j.backupId} by hand (Restore-WoosooBackup -Id ${j.backupId}): ${reason(err)}`);
      }
      const removed = removeNewFiles(cfg, j.manifest, j.snapshotDirs, j.absentBefore);
      if (removed.length > 0) done.push(`deleted ${removed.length} file(s) the deploy created (${removed.slice(0, 5).join(', ')}${removed.length > 5 ? ', …' : ''})`);
      if (j.appFilesBefore) {
        const keep = join(deployRoot(cfg), j.id, 'created-files');
        try {
          const moved = moveNewAppFiles(cfg, j.appFilesBefore, keep);
          if (moved.length > 0) done.push(`moved ${moved.length} file(s) the build made in the app folders to ${keep} (${moved.slice(0, 5).join(', ')}${moved.length > 5 ? ', …' : ''})`);
        } catch (err) {
          left.push(`Move the files the build made in the app folders away by hand: ${reason(err)}`);
        }
      }
    } else {
      left.push('There is no backup of this deployment (it failed before the backup, or ran with -SkipBackup): nothing was restored.');
    }
    const restart = services.filter((s) => j.servicesRunning.includes(s));
    if (restart.length > 0) {
      try {
        const r = await startServices(cfg, ctx, restart);
        for (const e of r.errors) left.push(`Start ${e.data.targetObject ?? 'a service'} by hand (${e.message}).`);
        done.push(`started ${restart.join(', ')} again`);
      } catch (err) {
        left.push(`Start ${restart.join(', ')} by hand: ${reason(err)}`);
      }
      if (left.length === 0) {
        const h = await waitHealthy(cfg, ctx, {
          names: healthNames(cfg), deadlineMs: cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS') * 1000, intervalMs: cfg.num('DEPLOY_HEALTH_INTERVAL_SECONDS') * 1000,
        });
        j.details.rollbackHealth = h.checks;
        if (h.healthy) done.push(`health checks pass again (${h.checks.length} checks)`);
        else left.push(`After the rollback these health checks still fail: ${h.failing.map((c) => `${c.name} (${c.status}: ${c.message})`).join('; ')}. Get-WoosooHealth shows them.`);
      }
    } else if (services.length > 0) {
      done.push('no service of this scope was running before the deploy, so none was started');
    }
    j.leftToDo = left;
    if (left.length > 0) throw new Error(`Rollback incomplete: ${done.join('; ') || 'nothing was undone'}. Left to do by hand: ${left.join(' ')}`);
    return { message: `Rolled back: ${done.join('; ') || 'nothing had changed'}.` };
  }).catch(() => {});
  return { ok: left.length === 0, leftToDo: left };
}
