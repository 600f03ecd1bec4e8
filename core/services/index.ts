/**
 * What other domains (deploy) call from TypeScript: the stack's services for a loaded project, with the backend the
 * configuration chooses (SERVICE_MANAGER: auto = NSSM on Windows, PM2 elsewhere).
 */
import type { ProjectConfig } from '../config';
import { which } from '../process/which';
import { WoosooError } from '../kernel/errors';
import * as control from './control';
import { dashboardDefinition, selectDefinitions, serviceSettings, stackDefinitions } from './definitions';
import { blueGreen, liveConfig, otherColour, readLive, slotConfig } from '../releases';
import { run } from '../process/run';
import { locateNssm, NssmBackend } from './nssm';
import { locatePm2, Pm2Backend, pm2Home } from './pm2';
import type { ServiceBackend } from './types';
import { moduleRoot } from '../process/locate';
import { nssmLauncherName } from '../kernel/testseams';

export type { Outcome, ServiceContext, ServiceSet } from './control';
export type { ServiceReport } from './report';
export type { ServiceDefinition, ServiceStatus } from './types';
// for deploy's plan and health (the stack's definitions, the running processes) and preflight (is the service manager there)
export { selectDefinitions, serviceSettings, stackDefinitions } from './definitions';
export { locateNssm, nssmVersion } from './nssm';
export { locatePm2, pm2Home } from './pm2';
export { runningPids } from './report';

export function backendFor(cfg: ProjectConfig, ctx: control.ServiceContext): ServiceBackend {
  const manager = cfg.str('SERVICE_MANAGER');
  const useNssm = manager === 'nssm' || (manager !== 'pm2' && process.platform === 'win32');
  if (useNssm) {
    const exe = locateNssm(cfg, ctx.env, moduleRoot());
    const launcherName = nssmLauncherName(ctx.env);
    const launcher = launcherName ? which(launcherName, ctx.env) ?? undefined : undefined;
    if (launcherName && !launcher) {
      throw new WoosooError('NssmLauncherNotFound', `WOOSOO_NSSM_LAUNCHER=${launcherName} is not a program on PATH.`, {
        category: 'NotInstalled', target: launcherName, fix: 'Install it (e.g. apt-get install wine) or unset WOOSOO_NSSM_LAUNCHER (a test seam).',
      });
    }
    // Under the Wine launcher (a test seam) one nssm call can take far longer than on Windows (docs/testing.md).
    return new NssmBackend({ exe, launcher, env: ctx.env, signal: ctx.signal, callTimeoutMs: launcher ? 90_000 : undefined });
  }
  return new Pm2Backend({ pm2: locatePm2(cfg, ctx.env), home: pm2Home(cfg.projectDir), projectDir: cfg.projectDir, env: ctx.env, signal: ctx.signal });
}

/**
 * The services of the project (all, or those matching names/wildcards, in start order) and their backend; with
 * `withDashboard` (the cmdlets' methods) also the web dashboard's service when it is installed.
 */
export function openServiceSet(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[], withDashboard = false): control.ServiceSet {
  // The live colour's services (blue/green: core/releases), or those of the view the caller passes (a deploy's new release).
  const dashboard = withDashboard ? dashboardDefinition(cfg) : null;
  const defs = selectDefinitions([...stackDefinitions(liveConfig(cfg), ctx.env), ...(dashboard ? [dashboard] : [])], names);
  return { backend: backendFor(cfg, ctx), defs, settings: serviceSettings(cfg), projectDir: cfg.projectDir };
}

export function getServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.queryServices(openServiceSet(cfg, ctx, names));
}

/** Starts in dependency order and waits until each is really running (process up, port open). */
export function startServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.startAll(openServiceSet(cfg, ctx, names), ctx);
}

/** Stops in reverse dependency order and waits until the processes have exited. */
export function stopServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.stopAll(openServiceSet(cfg, ctx, names), ctx);
}

export function restartServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.restartAll(openServiceSet(cfg, ctx, names), ctx);
}

/** Installs, or updates existing services to, the definitions from the configuration. */
export function installServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.installAll(openServiceSet(cfg, ctx, names), ctx);
}

/**
 * Removes the services. Blue/green: the idle colour's too, when installed (a deploy left them stopped beside the
 * live ones), so nothing of the project stays registered with the service manager.
 */
export async function uninstallServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  const live = await control.uninstallAll(openServiceSet(cfg, ctx, names), ctx);
  if (cfg.slot || !blueGreen(cfg)) return live;
  let idle: control.ServiceSet;
  try {
    idle = openServiceSet(slotConfig(cfg, { colour: otherColour(readLive(cfg).colour), releaseId: null }), ctx, names);
  } catch {
    return live; // names given in full match only the live colour's services
  }
  const states = await idle.backend.query(idle.defs);
  idle.defs = idle.defs.filter((d, i) => d.key !== 'nginx' && states[i].status !== 'NotInstalled');
  if (idle.defs.length === 0) return live;
  const more = await control.uninstallAll(idle, ctx);
  return { items: [...live.items, ...more.items], errors: [...live.errors, ...more.errors] };
}

/**
 * nginx's graceful reload (`nginx -p PROJECT -c configs/nginx.conf -s reload`): the master re-reads the configuration
 * and starts new workers; the old ones finish the requests and websocket connections they hold. It is how a
 * blue/green deploy switches colours without a failed request. An nginx that is not running is started instead.
 */
export async function reloadNginx(cfg: ProjectConfig, ctx: control.ServiceContext): Promise<'reloaded' | 'started'> {
  const set = openServiceSet(cfg, ctx, ['nginx']);
  const def = set.defs[0];
  if (def.problem) throw def.problem;
  const state = (await control.queryServices(set)).items[0];
  if (state?.status !== 'Running') {
    if (state?.status === 'NotInstalled') {
      const i = await control.installAll(set, ctx);
      if (i.errors.length > 0) throw new Error(i.errors.map((e) => e.message).join(' '));
    }
    const r = await control.startAll(set, ctx);
    if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join(' '));
    return 'started';
  }
  const args = def.arguments.filter((a, i, all) => a !== '-g' && all[i - 1] !== '-g');
  const r = await run(def.application, [...args, '-s', 'reload'], { cwd: def.workingDirectory, env: ctx.env, signal: ctx.signal, timeoutMs: 30_000 });
  if (r.exitCode !== 0) {
    throw new WoosooError('NginxReloadFailed', `${r.display} failed (exit code ${r.exitCode}): ${`${r.stderr}${r.stdout}`.trim().split(/\r?\n/).pop() ?? ''}`, {
      category: 'InvalidResult', target: def.name, fix: 'Check logs/nginx-error.log; Get-WoosooService shows whether nginx runs.',
    });
  }
  return 'reloaded';
}
