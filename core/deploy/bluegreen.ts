/**
 * The steps of a blue/green deploy (DEPLOY_STRATEGY=BlueGreen), after Preflight and Lock:
 *   Backup → Release → Sync → Build → StartRelease → CheckRelease → Cutover → Health → StopPrevious.
 * The live release serves throughout. The new one is built in releases/<id>/ and started on the idle colour's
 * ports; only when it answers there does nginx switch to it (render, nginx -t, graceful reload), and only when the
 * health checks pass through nginx is the previous colour stopped. A failure before the cutover throws the release
 * away; one after it switches back to the previous release, still running (switch.ts).
 */
import { existsSync } from 'node:fs';
import type { ProjectConfig } from '../config';
import { createBackup } from '../backup';
import { waitHealthy } from '../health';
import { makeAppRelease, otherColour, pruneReleases, readLive, releaseDirs, slotConfig, type AppRelease } from '../releases';
import { getServices, installServices, startServices, stopServices } from '../services';
import { syncConfig } from '../sync';
import type { DeployCtx, StepOutcome } from './context';
import { runStep } from './context';
import { listTables, schemaSnapshot } from './database';
import { DEPLOY_ID_RE, writeJournal, type Journal } from './journal';
import { healthStep } from './healthstep';
import { SCOPES } from './steps';
import { colourServices, releaseConfig, switchNginx } from './switch';

const ALL_APPS = [
  { app: 'backend', key: 'BACKEND_PATH' },
  { app: 'pwa', key: 'PWA_PATH' },
] as const;

/** The apps a release holds: the backend, and the PWA unless PWA_ENABLED=false. */
const appsOf = (cfg: ProjectConfig) => ALL_APPS.filter((a) => a.app !== 'pwa' || cfg.flag('PWA_ENABLED'));

async function backupStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  j.tablesBefore = await listTables(cfg, ctx);
  if (j.release) j.release.schemaBefore = await schemaSnapshot(cfg, ctx);
  if (j.options.skipBackup) {
    ctx.log('warning', 'No backup (-SkipBackup): if this deploy fails after migrating, the database cannot be put back.');
    return { status: 'Skipped', message: '-SkipBackup: the previous release can be switched back to, but the database cannot be restored.' };
  }
  const b = await createBackup(cfg, ctx, {
    description: `Before deployment ${j.id} (${j.options.scope}, blue/green)`, includeDatabase: true, creator: 'Invoke-WoosooDeploy', keys: ctx.backupKeys,
  });
  j.backupId = b.id;
  return { message: `Backup ${b.id}: database ${cfg.str('DB_DATABASE')} (${j.tablesBefore.length} tables) and the configuration, ${b.sizeBytes} bytes.` };
}

function describe(r: AppRelease): string {
  return `${r.app} (${r.copied} files copied, ${r.linked} linked${r.shared.length ? `, ${r.shared.join(', ')} shared` : ''})`;
}

async function releaseStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const rel = j.release as NonNullable<Journal['release']>;
  const live = releaseDirs(cfg, rel.previous.releaseId);
  const dest = releaseDirs(cfg, rel.id);
  const built = SCOPES[j.options.scope].apps ?? ['backend', 'pwa'];
  const made: AppRelease[] = [];
  for (const a of appsOf(cfg)) {
    const source = cfg.path(a.key);
    if (!existsSync(source)) continue;
    made.push(await makeAppRelease({ app: a.app, source, live: live[a.app], dest: dest[a.app], build: built.includes(a.app), signal: ctx.signal }));
  }
  j.details.release = made;
  return { message: `Release ${rel.id} (${rel.colour}) in ${rel.dir}: ${made.map(describe).join('; ') || 'no app folder found'}.` };
}

async function syncStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const view = releaseConfig(cfg, j);
  const apps = appsOf(cfg).filter((a) => existsSync(view.path(a.key))).map((a) => a.app);
  if (apps.length === 0) return { status: 'Skipped', message: 'No app in the release.' };
  const changes = await syncConfig(view, ctx, { apps, whatIf: false, backup: false });
  return { message: `Rendered ${changes.map((c) => c.path).join(', ')} (${changes.filter((c) => c.action !== 'Unchanged').length} changed).` };
}

async function startReleaseStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const rel = j.release as NonNullable<Journal['release']>;
  const view = releaseConfig(cfg, j);
  const names = colourServices(view, ctx);
  rel.started = true;
  writeJournal(cfg, j);
  // Left running by an earlier deploy of this colour that was interrupted: stopped before they are pointed here.
  const stop = await stopServices(view, ctx, names);
  if (stop.errors.length > 0) throw new Error(`The ${rel.colour} services could not be stopped first: ${stop.errors.map((e) => e.message).join(' ')}`);
  const inst = await installServices(view, ctx, names);
  if (inst.errors.length > 0) throw new Error(`Some services could not be installed: ${inst.errors.map((e) => e.message).join(' ')}`);
  const r = await startServices(view, ctx, names);
  if (r.errors.length > 0) throw new Error(`Some services of the new release did not start: ${r.errors.map((e) => e.message).join(' ')}`);
  return { message: `Started ${names.join(', ')} from ${rel.dir} (backend on port ${view.num('BACKEND_PORT')}, Reverb on ${view.num('REVERB_PORT')}) beside the live ${rel.previous.colour} services.` };
}

/** The new release on its own ports, before nginx sends it anything: its services, backend, Reverb and the database. */
async function checkReleaseStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const view = releaseConfig(cfg, j);
  const names = [...colourServices(view, ctx).map((s) => `Service ${s}`), 'HTTP backend', 'Reverb WebSocket', 'Database'];
  const h = await waitHealthy(view, ctx, {
    names, deadlineMs: cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS') * 1000, intervalMs: cfg.num('DEPLOY_HEALTH_INTERVAL_SECONDS') * 1000,
  });
  j.details.releaseHealth = h.checks;
  if (!h.healthy) {
    throw new Error(`The new release is not healthy on its own ports after ${h.attempts} attempt(s) (DEPLOY_HEALTH_DEADLINE_SECONDS): ${h.failing.map((c) => `${c.name} ${c.status}: ${c.message}`).join('; ')}`);
  }
  return { message: `${h.checks.length} checks passed on the new release's ports (attempt ${h.attempts}); nginx still serves the ${j.release?.previous.colour} colour.` };
}

async function cutoverStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const rel = j.release as NonNullable<Journal['release']>;
  rel.cutover = true;
  writeJournal(cfg, j);
  const how = await switchNginx(cfg, ctx, releaseConfig(cfg, j), j.id);
  return { message: `nginx now serves release ${rel.id} (${rel.colour}): ${how}.` };
}

async function stopPreviousStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal): Promise<StepOutcome> {
  const rel = j.release as NonNullable<Journal['release']>;
  const previous = slotConfig(cfg, rel.previous);
  const notes: string[] = [];
  // Those that run (the previous colour may never have been installed: the first deploy of a project).
  const names = (await getServices(previous, ctx, colourServices(previous, ctx))).items.filter((s) => s.status !== 'NotInstalled' && s.status !== 'Stopped').map((s) => s.name);
  if (names.length === 0) notes.push(`no ${rel.previous.colour} service was running`);
  // The old queue worker gets its stop signal: it finishes the job it holds, then exits (the new one already runs).
  const r = names.length > 0 ? await stopServices(previous, ctx, names) : { errors: [] };
  if (r.errors.length > 0) ctx.log('warning', `Some services of the previous release did not stop: ${r.errors.map((e) => e.message).join(' ')}`);
  if (names.length > 0) notes.push(r.errors.length > 0 ? `some of ${names.join(', ')} did not stop (see the warning)` : `stopped ${names.join(', ')}`);
  const pruned = await pruneReleases(cfg, [rel.id, ...(rel.previous.releaseId ? [rel.previous.releaseId] : [])], DEPLOY_ID_RE);
  if (pruned.length > 0) notes.push(`removed ${pruned.length} old release(s) (DEPLOY_KEEP_RELEASES): ${pruned.join(', ')}`);
  j.details.releasesRemoved = pruned;
  return { message: `${notes.join('; ')}. Release ${rel.previous.releaseId ?? '(the app folders)'} stays on disk for Undo-WoosooDeploy.` };
}

/** Runs the blue/green steps after Lock; a failing step throws (the orchestrator rolls back with switch.ts). */
export async function blueGreenSteps(cfg: ProjectConfig, ctx: DeployCtx, j: Journal, buildStep: (s: { outputLog: string }, view: ProjectConfig) => Promise<StepOutcome>): Promise<void> {
  const live = readLive(cfg);
  j.release = {
    id: j.id, colour: otherColour(live.colour), dir: releaseDirs(cfg, j.id).root ?? '', previous: { colour: live.colour, releaseId: live.releaseId },
    started: false, cutover: false,
  };
  await runStep(cfg, ctx, j, 'Backup', () => backupStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Release', () => releaseStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Sync', () => syncStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Build', (s) => buildStep(s, releaseConfig(cfg, j)));
  await runStep(cfg, ctx, j, 'StartRelease', () => startReleaseStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'CheckRelease', () => checkReleaseStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Cutover', () => cutoverStep(cfg, ctx, j));
  await runStep(cfg, ctx, j, 'Health', () => healthStep(cfg, ctx, j, ' through nginx'));
  await runStep(cfg, ctx, j, 'StopPrevious', () => stopPreviousStep(cfg, ctx, j));
}

