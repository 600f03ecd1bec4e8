/**
 * What a deploy of a given scope touches, and the whole plan as -WhatIf shows it: each step in order with the
 * commands it would run. Building the plan reads the configuration and looks tools up; it writes nothing.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { planBuilds, resolveTool, type AppKind } from '../build';
import { stackDefinitions, selectDefinitions } from '../services';
import { syncTargets } from '../sync';
import { snapshotDirs } from './artifacts';
import { STEP_NAMES, deployRoot, type DeployOptions, type Scope, type StepName } from './journal';
import { lockPath } from './lock';

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
  const buildLines = builds.flatMap((b) => (b.skipped || b.error
    ? [`[${b.app}] ${b.skipped ? 'skipped' : 'blocked'}: ${b.skipped ?? b.error}`]
    : b.commands.map((c) => `[${b.app}] (in ${b.dir}) ${c.display}`)));
  const queue = queueRestartCommand(cfg, env, opts.scope);
  const db = `${cfg.str('DB_DATABASE')} on ${cfg.str('DB_HOST')}:${cfg.num('DB_PORT')}`;
  const desc: Record<StepName, [string, string[]]> = {
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
  return STEP_NAMES.map((name, i) => ({ order: i + 1, name, description: desc[name][0], commands: desc[name][1] }));
}
