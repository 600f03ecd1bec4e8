/**
 * What other domains use of the dashboard: its host as a service (Install-WoosooService -Dashboard, in core/services).
 * The service runs the engine with `--dashboard .woosoo/dashboard.service.json`: that options file is written here,
 * after the same checks Start-WoosooDashboard makes (address, -AllowRemote, the project's certificate).
 */
import { existsSync } from 'node:fs';
import type { ProjectConfig } from '../config';
import { hostOptionsSchema, isLoopback, planHost, readHostOptions, serviceOptionsFile, writeJsonAtomic, type HostOptions, type HostPlan } from './hostplan';

export type { HostOptions, HostPlan } from './hostplan';
export { listenParams, serviceOptionsFile } from './hostplan';


/** The dashboard service's options, or null when the project has no dashboard service (Install-WoosooService -Dashboard). */
export function readServiceOptions(projectDir: string): HostOptions | null {
  const file = serviceOptionsFile(projectDir);
  return existsSync(file) ? readHostOptions(file) : null;
}

/** Checks the options as the host will (a clear error, nothing written), then writes the service's options file. */
export function writeServiceOptions(cfg: ProjectConfig, o: Omit<HostOptions, 'projectDir'>): HostPlan {
  const options = hostOptionsSchema.parse({ ...o, projectDir: cfg.projectDir });
  const plan = planHost(options, cfg);
  writeJsonAtomic(serviceOptionsFile(cfg.projectDir), options);
  return plan;
}

/** The port a readiness probe on 127.0.0.1 reaches: loopback and every-interface binds; not one LAN address. */
export function probePort(o: HostOptions): number | undefined {
  return isLoopback(o.bindAddress) || o.bindAddress === '0.0.0.0' ? o.port : undefined;
}
