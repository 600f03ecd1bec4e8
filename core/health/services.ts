/**
 * Service checks: the state of each service of the stack (the services domain's getServices: NSSM or PM2) and,
 * for running ones, their process's CPU, memory and uptime from systeminformation's process list (read once per
 * round, only when a service has a process id: core/util/sysinfo.ts's processFacts, which services.get's usage uses too).
 */
import { processFacts, type ProcessFacts } from '../util/sysinfo';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { getServices, runningPids, stackDefinitions, type Outcome, type ServiceReport } from '../services';
import { healthCheck, type CheckContext, type CheckSpec, type HealthResult, type HealthStatus } from './check';

const STATUS: Record<string, HealthStatus> = {
  Running: 'Healthy', StartPending: 'Degraded', StopPending: 'Degraded', Paused: 'Degraded', Throttled: 'Degraded',
  Stopped: 'Unhealthy', Failed: 'Unhealthy', NotInstalled: 'Unhealthy',
};

/** An uptime in words for a check's message, as a [timespan] prints: [d.]hh:mm:ss. */
function uptimeText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  return `${days > 0 ? `${days}.` : ''}${p(Math.floor(s / 3600) % 24)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

/** When the process started: the backend's word (PM2), else the process list's local time ("2026-11-22 03:17:51"). */
function startedAt(s: ServiceReport, f: ProcessFacts | undefined): number | null {
  if (s.startedAt) return s.startedAt.getTime();
  const t = f ? Date.parse(f.started.replace(' ', 'T')) : NaN;
  return Number.isNaN(t) ? null : t;
}

/** One HealthResult per service: Healthy when Running, with its process's CPU %, memory and uptime. */
export function serviceResults(outcome: Outcome, facts: Map<number, ProcessFacts>, now = Date.now()): HealthResult[] {
  const out = outcome.items.map((s: ServiceReport) => {
    const status = STATUS[s.status] ?? 'Unknown';
    const target = `${s.backend} ${s.name}`;
    const name = `Service ${s.name}`;
    if (s.status !== 'Running') {
      const fix = s.status === 'NotInstalled' ? 'Install it with Install-WoosooService.' : 'Start it with Start-WoosooService; Get-WoosooLog shows why it stopped.';
      return healthCheck('Service', name, target, { status, value: s.status, message: `${s.name} is ${s.status}. ${status === 'Degraded' ? '' : fix}`.trim() });
    }
    const f = s.processId === null ? undefined : facts.get(s.processId);
    const parts = [`pid ${s.processId ?? '?'}`];
    if (f && f.cpu !== null) parts.push(`CPU ${Math.round(f.cpu * 10) / 10}%`);
    if (f) parts.push(`${Math.round(f.memRss / 1024)} MB`);
    const t = startedAt(s, f);
    if (t !== null) parts.push(`up ${uptimeText((s.startedAt ? s.observedAt.getTime() : now) - t)}`);
    if (s.restarts) parts.push(`${s.restarts} restarts`);
    return healthCheck('Service', name, target, { status, value: s.status, message: `${s.name} is Running (${parts.join(', ')}).` });
  });
  for (const e of outcome.errors) out.push(healthCheck('Service', 'Services', e.data.targetObject ?? '', { status: 'Unknown', message: e.message }));
  return out;
}

/** The names the services check gives: one per service of the stack (from the configuration, nothing is queried). */
function serviceNames(cfg: ProjectConfig, env: Record<string, string>): string[] {
  try {
    return stackDefinitions(cfg, env).map((d) => `Service ${d.name}`);
  } catch {
    return [];
  }
}

/** The services check: one result per service of the stack, 'Services' when they cannot be queried. */
export function servicesSpec(cfg: ProjectConfig, env: Record<string, string>): CheckSpec {
  return {
    category: 'Service', name: 'Services', target: cfg.str('SERVICE_MANAGER'), spawns: true,
    produces: ['Services', ...serviceNames(cfg, env)],
    async run(c: CheckContext) {
      let outcome: Outcome;
      try {
        outcome = await getServices(cfg, { env: c.env, cwd: cfg.projectDir, signal: c.signal, log: () => {}, progress: () => {} });
      } catch (err) {
        if (c.signal.aborted || !(err instanceof WoosooError)) throw err;
        return [healthCheck('Service', 'Services', cfg.str('SERVICE_MANAGER'), { status: 'Unknown', message: `Cannot query the services: ${err.message}` })];
      }
      return serviceResults(outcome, await processFacts(runningPids(outcome.items), c));
    },
  };
}
