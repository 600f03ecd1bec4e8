/**
 * What other domains (deploy) call from TypeScript: the stack's services for a loaded project, with the backend the
 * configuration chooses (SERVICE_MANAGER: auto = NSSM on Windows, PM2 elsewhere).
 */
import type { ProjectConfig } from '../config';
import { which } from '../process/which';
import { WoosooError } from '../kernel/errors';
import * as control from './control';
import { selectDefinitions, serviceSettings, stackDefinitions } from './definitions';
import { locateNssm, NssmBackend } from './nssm';
import { locatePm2, Pm2Backend, pm2Home } from './pm2';
import type { ServiceBackend } from './types';
import { moduleRoot } from '../process/locate';
import { nssmLauncherName } from '../kernel/testseams';

export type { Outcome, ServiceContext, ServiceSet } from './control';
export type { ServiceReport } from './report';
export type { ServiceDefinition, ServiceStatus } from './types';
// for deploy's plan and health (the stack's definitions) and preflight (is the service manager there)
export { selectDefinitions, serviceSettings, stackDefinitions } from './definitions';
export { locateNssm, nssmVersion } from './nssm';
export { locatePm2, pm2Home } from './pm2';

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
    return new NssmBackend({ exe, launcher, env: ctx.env, signal: ctx.signal });
  }
  return new Pm2Backend({ pm2: locatePm2(cfg, ctx.env), home: pm2Home(cfg.projectDir), projectDir: cfg.projectDir, env: ctx.env, signal: ctx.signal });
}

/** The services of the project (all, or those matching names/wildcards, in start order) and their backend. */
export function openServiceSet(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): control.ServiceSet {
  const defs = selectDefinitions(stackDefinitions(cfg, ctx.env), names);
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

export function uninstallServices(cfg: ProjectConfig, ctx: control.ServiceContext, names?: readonly string[]): Promise<control.Outcome> {
  return control.uninstallAll(openServiceSet(cfg, ctx, names), ctx);
}
