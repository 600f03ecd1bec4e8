/**
 * What a deploy of a given scope touches, and the whole plan as -WhatIf shows it: each step in order with the
 * commands it would run. Building the plan reads the configuration and looks tools up; it writes nothing.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { planBuilds, previewMigrations, resolveTool, type AppKind } from '../build';
import type { RequestContext } from '../kernel/context';
import { blueGreen, liveConfig, otherColour, readLive, releaseDirs, slotConfig } from '../releases';
import { existsSync } from 'node:fs';
import { stackDefinitions, selectDefinitions } from '../services';
import { syncTargets } from '../sync';
import { snapshotDirs } from './artifacts';
import { BLUEGREEN_STEPS, STEP_NAMES, deployRoot, type DeployOptions, type Scope, type StepName } from './journal';
import { lockPath } from './lock';
import { listTables } from './database';

export interface ScopeParts {
  apps?: AppKind[];
  syncTargets?: string[];
  /** Service keys (short names); undefined = every service; [] = none. */
  services?: string[];
}

export const SCOPES: Record<Scope, ScopeParts> = {
  Full: {},
  Backend: { apps: ['backend'], syncTargets: ['backend'], services: ['queue-worker', 'backend', 'reverb'] },
  Pwa: { apps: ['pwa'], syncTargets: ['pwa', 'nginx'], services: ['nginx'] },
  Relay: { apps: ['relay'], syncTargets: [], services: [] },
};

export function healthNames(cfg: ProjectConfig): string[] {
  return cfg.str('DEPLOY_HEALTH_CHECKS').split(',').map((s) => s.trim()).filter(Boolean);
}

export function reportDir(cfg: ProjectConfig): string {
  return cfg.path('DEPLOY_REPORT_PATH');
}

/** The service names of a scope, in start order (empty when the scope has no service). */
export function scopeServices(cfg: ProjectConfig, env: Record<string, string>, scope: Scope): string[] {
  const keys = SCOPES[scope].services;
  if (keys && keys.length === 0) return [];
  const defs = selectDefinitions(stackDefinitions(cfg, env), keys);
  return defs.map((d) => d.name);
}

/** `php artisan queue:restart` in the backend folder, when the scope stops the queue worker. */
export function queueRestartCommand(cfg: ProjectConfig, env: Record<string, string>, scope: Scope): { program: string; display: string } | null {
  const keys = SCOPES[scope].services;
  if (keys && !keys.includes('queue-worker')) return null;
  const php = resolveTool('php', cfg, env, cfg.path('BACKEND_PATH'));
  return { program: php.path ?? 'php', display: `${php.path ?? 'php'} artisan queue:restart` };
}

/** One step of a deploy's plan (-WhatIf): what it would do, and the commands and files it would touch. */
export interface PlanStep {
  order: number;
  name: StepName;
  description: string;
  commands: string[];
}

export function deployPlan(cfg: ProjectConfig, opts: DeployOptions, env: Record<string, string>): PlanStep[] {
  const parts = SCOPES[opts.scope];
  const services = scopeServices(cfg, env, opts.scope);
  const targets = syncTargets(cfg).filter((t) => !parts.syncTargets || parts.syncTargets.includes(t.name));
  const builds = opts.skipBuild ? [] : planBuilds(cfg, { apps: parts.apps, skipTests: opts.skipTests, env });
  // The builds are planned on the app folders (they exist); `dirOf` says where each runs (blue/green: the release).
  const linesIn = (dirOf: (app: string, dir: string) => string) => builds.flatMap((b) => (b.skipped || b.error
    ? [`[${b.app}] ${b.skipped ? 'skipped' : 'blocked'}: ${b.skipped ?? b.error}`]
    : b.commands.map((c) => `[${b.app}] (in ${dirOf(b.app, b.dir)}) ${c.display}`)));
  const buildLines = linesIn((_app, dir) => dir);
  const queue = queueRestartCommand(cfg, env, opts.scope);
  const db = `${cfg.str('DB_DATABASE')} on ${cfg.str('DB_HOST')}:${cfg.num('DB_PORT')}`;
  const desc: Record<(typeof STEP_NAMES)[number], [string, string[]]> = {
    Preflight: [opts.force ? 'Run the preflight checks; failures are warnings (-Force).' : 'Run the preflight checks; a failed critical check stops the deploy.', ['Test-WoosooPreflight']],
    Lock: ['Take the deploy lock (one deploy per project).', [`create ${lockPath(cfg)}`]],
    Backup: opts.skipBackup
      ? ['Skipped (-SkipBackup): no rollback is possible.', []]
      : ['Back up deployment.config.env, configs/, the apps\' .env files, the tracked build outputs and the database.', [
        `New-WoosooBackup (database ${db})`, ...snapshotDirs(cfg).map((d) => `save ${d}`)]],
    Sync: ['Render the configuration into each target (nginx -t checks nginx.conf).', targets.map((t) => `write ${t.path}`)],
    Build: opts.skipBuild ? ['Skipped (-SkipBuild).', []] : [`Build the apps${opts.parallel ? ' in parallel' : ' one after the other'}${opts.skipTests ? ', without tests' : ', then run their tests'}.`, buildLines],
    StopServices: services.length === 0 ? ['No service in this scope.', []] : ['Stop the services gracefully in reverse dependency order and wait for them to exit.', [
      ...(queue ? [`(in ${cfg.path('BACKEND_PATH')}) ${queue.display}`] : []), ...[...services].reverse().map((s) => `stop ${s}`)]],
    PlaceArtifacts: ['The builds ran in place: record which configuration files and build outputs changed.', []],
    StartServices: services.length === 0 ? ['No service in this scope.', []] : ['Install (update) and start the services in dependency order.', services.map((s) => `start ${s}`)],
    Health: services.length === 0 ? ['No service in this scope: no health checks.', []] : [
      `Run the health checks until they pass or ${cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS')} s pass (every ${cfg.num('DEPLOY_HEALTH_INTERVAL_SECONDS')} s).`,
      healthNames(cfg).map((n) => `check ${n}`)],
    Report: ['Write the JSON and HTML report (and notify the webhook when DEPLOY_WEBHOOK_URL is set).', [
      `write ${join(reportDir(cfg), '<id>.json')}`, `write ${join(reportDir(cfg), '<id>.html')}`, ...(opts.reportPath ? [`write ${opts.reportPath}`] : []),
      `journal ${join(deployRoot(cfg), '<id>', 'journal.json')}`]],
  };
  if (!blueGreen(cfg) || opts.scope === 'Relay') {
    return STEP_NAMES.map((name, i) => ({ order: i + 1, name, description: desc[name][0] as string, commands: desc[name][1] as string[] }));
  }
  const live = readLive(cfg);
  const colour = otherColour(live.colour);
  const view = slotConfig(cfg, { colour, releaseId: '<id>' });
  const fresh = stackDefinitions(view, env).filter((d) => d.key !== 'nginx').map((d) => d.name);
  const old = stackDefinitions(slotConfig(cfg, live), env).filter((d) => d.key !== 'nginx').map((d) => d.name);
  const release = releaseDirs(cfg, '<id>');
  const where = release.root ?? '';
  const bg: Record<(typeof BLUEGREEN_STEPS)[number], [string, string[]]> = {
    Preflight: desc.Preflight, Lock: desc.Lock,
    Backup: opts.skipBackup ? ['Skipped (-SkipBackup): a failure can still switch back, but the database cannot be restored.', []]
      : ['Back up the database and the configuration (the live release\'s files are never touched).', [`New-WoosooBackup (database ${db})`]],
    Release: [`Make release ${where} (${colour}) beside the live ${live.releaseId ? `release ${live.releaseId}` : 'app folders'} (${live.colour}): code from the app folders, vendor/ and node_modules/ hard-linked, storage/ shared.`, [`create ${where}`]],
    Sync: ['Render the apps\' .env files into the release.', [`write ${join(where, 'backend', '.env')}`, `write ${join(where, 'pwa', '.env')}`]],
    Build: opts.skipBuild ? desc.Build : [`Build the release${opts.parallel ? ' (apps in parallel)' : ''}${opts.skipTests ? ', without tests' : ', then run the tests'}; migrations run against the live database.`, linesIn((app, dir) => (app === 'backend' ? release.backend : app === 'pwa' ? release.pwa : dir))],
    StartRelease: [`Install and start the ${colour} services on their own ports (backend ${view.num('BACKEND_PORT')}, Reverb ${view.num('REVERB_PORT')}) beside the live ones.`, fresh.map((n) => `start ${n}`)],
    CheckRelease: ['Health-check the new release on its own ports before nginx sends it anything.', ['check HTTP backend', 'check Reverb WebSocket', 'check Database']],
    Cutover: ['Switch nginx to the release: render nginx.conf, nginx -t, graceful reload (no request is dropped), record it as live.', [`write ${join(cfg.projectDir, 'configs', 'nginx.conf')}`, 'nginx -s reload']],
    Health: [`Run the health checks through nginx until they pass or ${cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS')} s pass; a failure switches back.`, healthNames(cfg).map((n) => `check ${n}`)],
    StopPrevious: [`Stop the ${live.colour} services (the queue worker finishes its job first); keep the last ${cfg.num('DEPLOY_KEEP_RELEASES')} releases (DEPLOY_KEEP_RELEASES).`, old.map((n) => `stop ${n}`)],
    Report: desc.Report,
  };
  return BLUEGREEN_STEPS.map((name, i) => ({ order: i + 1, name, description: bg[name][0], commands: bg[name][1] }));
}

/** The plan with the SQL the migrations would run (migrate --pretend in the app folder) under the Build step. */
export async function deployPlanWithSql(cfg: ProjectConfig, opts: DeployOptions, ctx: Pick<RequestContext, 'env' | 'signal'>): Promise<PlanStep[]> {
  const plan = deployPlan(cfg, opts, ctx.env);
  const build = plan.find((s) => s.name === 'Build');
  if (!build || opts.skipBuild || !build.commands.some((c) => / artisan migrate\b/.test(c))) return plan;
  // migrate --pretend creates the migrations table when there is none: -WhatIf changes nothing, so it does not ask then.
  let tables: string[] = [];
  try {
    tables = await listTables(cfg, ctx);
  } catch (err) {
    build.commands.push(`SQL not shown: ${(err as Error).message}`);
    return plan;
  }
  if (!tables.includes('migrations')) build.commands.push('SQL not shown: the database has no migrations table yet, so every migration would run.');
  else {
    // Blue/green: the app folder is not built; the live release (built, with vendor/) runs its migrations' --pretend.
    const live = liveConfig(cfg).path('BACKEND_PATH');
    const runIn = existsSync(join(live, 'vendor', 'autoload.php')) ? live : undefined;
    build.commands.push(...await previewMigrations(cfg, ctx, SCOPES[opts.scope].apps, runIn));
  }
  return plan;
}
