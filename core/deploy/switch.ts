/**
 * Switching colours (blue/green deploys): nginx to a colour's release (render with its ports and PWA folder,
 * nginx -t, graceful reload, then wait until nginx answers with that release), and the rollback of a blue/green
 * deploy: switch back when the cutover happened, stop the new colour, restore the database only when its schema
 * changed, and throw the release away. Undo-WoosooDeploy of a successful deploy uses the same switch to go back
 * to the release before it.
 */
import type { ProjectConfig } from '../config';
import { restoreBackup } from '../backup';
import { httpGet, waitHealthy } from '../health';
import { removeRelease, slotConfig, writeLive } from '../releases';
import { reloadNginx, stackDefinitions, startServices, stopServices } from '../services';
import { releaseMarker, syncConfig, syncTargets } from '../sync';
import { toItemError } from '../kernel/errors';
import { runStep, type DeployCtx } from './context';
import { dropTables, schemaChanges, schemaSnapshot } from './database';
import type { Journal } from './journal';
import { healthNames } from './steps';

type Release = NonNullable<Journal['release']>;

/** The new release's view: its colour's ports and its folders. */
export function releaseConfig(cfg: ProjectConfig, j: Journal): ProjectConfig {
  const rel = j.release as Release;
  return slotConfig(cfg, { colour: rel.colour, releaseId: rel.id });
}

/** The services a colour has (queue worker, backend, Reverb: everything but nginx), in start order. */
export function colourServices(view: ProjectConfig, ctx: DeployCtx): string[] {
  return stackDefinitions(view, ctx.env).filter((d) => d.key !== 'nginx').sort((a, b) => a.order - b.order).map((d) => d.name);
}

/** nginx and the SYNC_TARGETS files: rendered at the cutover (the .env files are the release's own). */
export function nonDotenvTargets(view: ProjectConfig): string[] {
  return syncTargets(view).filter((t) => t.kind !== 'dotenv').map((t) => t.name);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until nginx answers /.woosoo/release with the view's release: the reload has taken effect. */
async function waitServing(view: ProjectConfig, ctx: DeployCtx, deadlineMs = 15_000): Promise<void> {
  const https = view.flag('HTTPS_ENABLED');
  const url = `${https ? 'https' : 'http'}://127.0.0.1:${view.num(https ? 'HTTPS_PORT' : 'HTTP_PORT')}/.woosoo/release`;
  const want = releaseMarker(view);
  const end = Date.now() + deadlineMs;
  let last = '';
  for (;;) {
    try {
      const a = await httpGet(url, ctx.signal);
      last = `${a.status} ${a.body.trim()}`;
      if (a.status === 200 && a.body.trim() === want) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > end) throw new Error(`nginx does not serve ${want} within ${deadlineMs / 1000} s of the reload (${url} answers: ${last}).`);
    await sleep(100);
  }
}

/**
 * Points nginx at the view's colour and release: render nginx.conf (and the SYNC_TARGETS files) for it, checked with
 * nginx -t before it is written, reload gracefully, wait until nginx answers with it, then record it as live.
 */
export async function switchNginx(cfg: ProjectConfig, ctx: DeployCtx, view: ProjectConfig, by: string, opts: { nginxWasRunning?: boolean } = {}): Promise<string> {
  await syncConfig(view, ctx, { apps: nonDotenvTargets(view), whatIf: false, backup: false });
  const slot = view.slot as NonNullable<ProjectConfig['slot']>;
  let how: string;
  if (opts.nginxWasRunning === false) {
    // Switching back to a state in which nginx did not run (the project's first deploy): it is stopped again.
    const r = await stopServices(view, ctx, ['nginx']);
    if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join(' '));
    how = 'configuration rendered, nginx -t passed, nginx stopped (it was not running before)';
  } else {
    how = `${(await reloadNginx(view, ctx)) === 'reloaded' ? 'configuration rendered, nginx -t passed, reloaded gracefully' : 'configuration rendered, nginx -t passed, nginx started'}`;
    await waitServing(view, ctx);
    how += `; it answers "${releaseMarker(view)}"`;
  }
  writeLive(cfg, { colour: slot.colour, releaseId: slot.releaseId, deployId: by });
  return how;
}

/**
 * Undoes a blue/green deploy that failed or was interrupted (or, for Undo-WoosooDeploy, succeeded): the previous
 * colour back on nginx (its services started first when they are not running), the new colour stopped, the
 * database restored when the schema changed, the release folder removed. Each part that fails is noted.
 */
export async function rollbackRelease(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<{ ok: boolean; leftToDo: string[] }> {
  const rel = j.release as Release;
  const left: string[] = [];
  const done: string[] = [];
  const previous = slotConfig(cfg, rel.previous);
  const view = releaseConfig(cfg, j);
  const reason = (err: unknown) => toItemError(err).message;
  await runStep(cfg, ctx, j, 'Rollback', async () => {
    if (rel.cutover) {
      try {
        // What ran before the deploy runs again (after a failed cutover it never stopped; after a successful deploy,
        // which Undo-WoosooDeploy switches back, StopPrevious stopped it).
        const names = colourServices(previous, ctx).filter((n) => j.servicesRunning.includes(n));
        const r = names.length > 0 ? await startServices(previous, ctx, names) : { errors: [] };
        if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join(' '));
        const nginx = stackDefinitions(previous, ctx.env).find((d) => d.key === 'nginx')?.name ?? '';
        await switchNginx(cfg, ctx, previous, j.id, { nginxWasRunning: j.servicesRunning.includes(nginx) });
        done.push(`nginx switched back to ${rel.previous.releaseId ? `release ${rel.previous.releaseId}` : 'the app folders'} (${rel.previous.colour})`);
      } catch (err) {
        left.push(`Switch nginx back to the ${rel.previous.colour} colour by hand (Start-WoosooService, Sync-WoosooConfig -App nginx, nginx -s reload): ${reason(err)}`);
      }
    }
    if (rel.started && left.length === 0) {
      const names = colourServices(view, ctx);
      try {
        const r = await stopServices(view, ctx, names);
        for (const e of r.errors) left.push(`Stop ${e.data.targetObject ?? 'a service'} by hand (${e.message}).`);
        if (r.errors.length === 0) done.push(`stopped ${names.join(', ')}`);
      } catch (err) {
        left.push(`Stop ${names.join(', ')} by hand: ${reason(err)}`);
      }
    }
    await restoreDatabase(cfg, ctx, j, done, left);
    if (left.length === 0 && rel.dir) {
      try {
        await removeRelease(rel.dir);
        done.push(`removed ${rel.dir}`);
      } catch (err) {
        ctx.log('warning', `The release folder ${rel.dir} could not be removed: ${reason(err)}`);
      }
    }
    if (left.length === 0 && rel.cutover && j.servicesRunning.length > 0) {
      const h = await waitHealthy(cfg, ctx, {
        names: healthNames(cfg), deadlineMs: cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS') * 1000, intervalMs: cfg.num('DEPLOY_HEALTH_INTERVAL_SECONDS') * 1000,
      });
      j.details.rollbackHealth = h.checks;
      if (h.healthy) done.push(`health checks pass again (${h.checks.length} checks)`);
      else left.push(`After the switch back these health checks still fail: ${h.failing.map((c) => `${c.name} (${c.status}: ${c.message})`).join('; ')}. Get-WoosooHealth shows them.`);
    }
    j.leftToDo = left;
    if (left.length > 0) throw new Error(`Rollback incomplete: ${done.join('; ') || 'nothing was undone'}. Left to do by hand: ${left.join(' ')}`);
    return { message: `Rolled back: ${done.join('; ') || 'nothing had changed (the live release never stopped serving)'}.` };
  }).catch(() => {});
  return { ok: left.length === 0, leftToDo: left };
}

/**
 * The database as before the deploy, touching as little of what the live release uses as possible: nothing when
 * the schema is unchanged; only the tables a failed migration made when no migration completed and no existing
 * table changed; otherwise (a completed migration may have changed data) the whole backup is restored.
 */
async function restoreDatabase(cfg: ProjectConfig, ctx: DeployCtx, j: Journal, done: string[], left: string[]): Promise<void> {
  if (!j.databaseMayHaveChanged) return;
  const before = (j.release as Release).schemaBefore;
  let change: ReturnType<typeof schemaChanges> | undefined;
  let views: string[] = [];
  try {
    if (before) {
      const now = await schemaSnapshot(cfg, ctx);
      change = schemaChanges(before, now);
      views = now.views;
    }
  } catch (err) {
    ctx.log('warning', `Could not read the database's schema to compare (restoring the backup to be safe): ${toItemError(err).message}`);
  }
  if (change && change.added.length === 0 && change.changed.length === 0 && !change.migrated) {
    done.push('the database schema is as before the deploy: not restored');
    return;
  }
  if (change && change.changed.length === 0 && !change.migrated) {
    try {
      await dropTables(cfg, ctx, change.added, views);
      done.push(`dropped the table(s) a failed migration made: ${change.added.join(', ')} (no other table was touched)`);
      return;
    } catch (err) {
      ctx.log('warning', `Dropping ${change.added.join(', ')} failed (restoring the backup instead): ${toItemError(err).message}`);
    }
  }
  if (!j.backupId) {
    left.push('The migrations changed the database and there is no backup (-SkipBackup): put the database back by hand.');
    return;
  }
  try {
    const r = await restoreBackup(cfg, ctx, j.backupId, { skipFiles: true, keys: ctx.backupKeys });
    const dropped = r.whatIf ? [] : r.tablesDropped;
    done.push(`restored the database from backup ${j.backupId}${dropped.length ? ` (dropped table(s) created since: ${dropped.join(', ')})` : ''}`);
  } catch (err) {
    left.push(`Restore the database of backup ${j.backupId} by hand (Restore-WoosooBackup -Id ${j.backupId}): ${toItemError(err).message}`);
  }
}
