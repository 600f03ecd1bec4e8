/**
 * What other domains use of health: runHealthChecks (Get-WoosooHealth, the deploy's health step) and
 * waitHealthy (the deploy: retry until healthy or a deadline). Every check runs in parallel with its own
 * timeout (HEALTH_TIMEOUT_SECONDS); a check that fails or times out is a result, never a failure of the run.
 */
import { setMaxListeners } from 'node:events';
import type { ProjectConfig } from '../config';
import { liveConfig } from '../releases';
import type { RequestContext } from '../kernel/context';
import { healthCheck, runCheck, type CheckSpec, type HealthCategory, type HealthResult, type HealthStatus } from './check';
import { databaseChecks } from './database';
import { displayUrl, httpCheck } from './http';
import { configuredPorts, cpuCheck, diskCheck, memoryCheck, portCheck } from './resources';
import { servicesSpec } from './services';
import { websocketHandshake } from './websocket';
import { wildcard } from '../util/wildcard';
import { sleep } from '../util/sleep';

export { HEALTH_CATEGORIES, HEALTH_STATUSES, healthCheckSchema, worst } from './check';
export { httpGet } from './http';
export type { HealthCategory, HealthCheck, HealthResult, HealthStatus } from './check';

type Ctx = Pick<RequestContext, 'env' | 'signal'> & Partial<Pick<RequestContext, 'progress' | 'log'>>;

export interface HealthOptions {
  categories?: HealthCategory[];
  /** Check names to run; wildcards * and ? (e.g. 'Port *'). */
  names?: string[];
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function reverbSpec(cfg: ProjectConfig): CheckSpec {
  const base = `ws://${hostPort(cfg.str('APP_IP'), cfg.num('REVERB_PORT'))}/app/`;
  const url = `${base}${encodeURIComponent(cfg.str('REVERB_APP_KEY'))}?protocol=7&client=js&version=8.4.0&flash=false`;
  const target = `${base}<REVERB_APP_KEY>`;
  return {
    category: 'Service', name: 'Reverb WebSocket', target,
    async run(c) {
      try {
        const r = await websocketHandshake(url, c.signal);
        return [healthCheck('Service', 'Reverb WebSocket', target, {
          status: r.ok ? 'Healthy' : 'Unhealthy', value: r.status, threshold: 101, latencyMs: r.latencyMs, message: r.message,
        })];
      } catch (err) {
        if (c.signal.aborted) throw c.signal.reason;
        const code = (err as NodeJS.ErrnoException).code;
        return [healthCheck('Service', 'Reverb WebSocket', target, {
          status: 'Unhealthy', threshold: 101,
          message: code === 'ECONNREFUSED' ? `Nothing listens on ${hostPort(cfg.str('APP_IP'), cfg.num('REVERB_PORT'))} (REVERB_PORT): is the Reverb service running?` : `WebSocket handshake failed: ${(err as Error).message}`,
        })];
      }
    },
  };
}

/** Every check the configuration calls for, in the order they are shown. */
export function healthSpecs(loaded: ProjectConfig, env: Record<string, string>): CheckSpec[] {
  // The live colour's ports and services (blue/green), or the view a deploy passes for its new release.
  const cfg = liveConfig(loaded);
  const ip = cfg.str('APP_IP');
  const endpoint = cfg.str('HEALTH_ENDPOINT');
  const nginxUrl = `http://${hostPort(ip, cfg.num('HTTP_PORT'))}${endpoint}`;
  const backendUrls = [...new Set(['127.0.0.1', ip])].map((h) => `http://${hostPort(h, cfg.num('BACKEND_PORT'))}${endpoint}`);
  const specs: CheckSpec[] = [
    servicesSpec(cfg, env),
    ...configuredPorts(cfg).map(portCheck),
    ...(cfg.flag('REVERB_ENABLED') ? [reverbSpec(cfg)] : []),
    {
      category: 'Service', name: 'Database', target: `${cfg.str('DB_HOST')}:${cfg.num('DB_PORT')}`,
      produces: ['Database', 'Queue pending', 'Queue failed'], spawns: true, run: (c) => databaseChecks(cfg, c),
    },
    { category: 'Application', name: 'HTTP via nginx', target: nginxUrl, run: (c) => httpCheck(c, 'Application', 'HTTP via nginx', [nginxUrl], true) },
    { category: 'Application', name: 'HTTP backend', target: backendUrls[0], run: (c) => httpCheck(c, 'Application', 'HTTP backend', backendUrls, true) },
  ];
  if (cfg.flag('HTTPS_ENABLED')) {
    const url = `https://${hostPort(ip, cfg.num('HTTPS_PORT'))}${endpoint}`;
    specs.push({ category: 'Application', name: 'HTTPS via nginx', target: url, run: (c) => httpCheck(c, 'Application', 'HTTPS via nginx', [url], true) });
  }
  for (const url of cfg.str('HEALTH_URLS').split(',').map((u) => u.trim()).filter(Boolean)) {
    const name = `URL ${displayUrl(url)}`;
    specs.push({ category: 'Application', name, target: displayUrl(url), run: (c) => httpCheck(c, 'Application', name, [url], false) });
  }
  specs.push(cpuCheck(cfg), memoryCheck(cfg), diskCheck(cfg));
  return specs;
}

/** Runs the selected checks in parallel; results come back in the order of healthSpecs. */
export async function runHealthChecks(cfg: ProjectConfig, ctx: Ctx, opts: HealthOptions = {}): Promise<HealthResult[]> {
  const patterns = opts.names?.map(wildcard);
  const nameOk = (n: string) => !patterns || patterns.some((re) => re.test(n));
  const catOk = (c: HealthCategory) => !opts.categories?.length || opts.categories.includes(c);
  // The database check also gives the (Application) queue counts.
  const catOkSpec = (s: CheckSpec) => catOk(s.category) || (s.name === 'Database' && catOk('Application'));
  const specs = healthSpecs(cfg, ctx.env).filter((s) => catOkSpec(s) && (s.produces ?? [s.name]).some(nameOk));
  const timeoutMs = cfg.num('HEALTH_TIMEOUT_SECONDS') * 1000;
  // One listener on the request's signal; the checks listen on this one (more than 10 listeners is expected).
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const forward = () => run.abort(ctx.signal.reason);
  if (ctx.signal.aborted) forward();
  ctx.signal.addEventListener('abort', forward, { once: true });
  let done = 0;
  let results: HealthResult[][];
  try {
    results = await Promise.all(specs.map(async (s) => {
      if (s.spawns) await new Promise<void>((resolve) => setImmediate(resolve));
      const r = await runCheck(s, run.signal, ctx.env, timeoutMs);
      done++;
      ctx.progress?.({ activity: 'Checking health', status: `${done} of ${specs.length}: ${s.name}`, percent: (done / specs.length) * 100 });
      return r;
    }));
  } finally {
    ctx.signal.removeEventListener('abort', forward);
  }
  ctx.progress?.({ activity: 'Checking health', completed: true });
  return results.flat().filter((c) => catOk(c.category) && nameOk(c.name));
}

export interface WaitHealthyOptions extends HealthOptions {
  /** Give up at this many milliseconds from now. */
  deadlineMs: number;
  /** Pause between rounds. */
  intervalMs: number;
  /** Statuses that count as good enough (default Healthy and Degraded). */
  accept?: HealthStatus[];
}

export interface WaitHealthyResult {
  healthy: boolean;
  attempts: number;
  /** The last round's results. */
  checks: HealthResult[];
  /** The checks of the last round whose status was not accepted. */
  failing: HealthResult[];
}

/** Runs the checks until every result is accepted or the deadline passes (the deploy's health step). */
export async function waitHealthy(cfg: ProjectConfig, ctx: Ctx, opts: WaitHealthyOptions): Promise<WaitHealthyResult> {
  const accept = opts.accept ?? ['Healthy', 'Degraded'];
  const end = Date.now() + opts.deadlineMs;
  for (let attempts = 1; ; attempts++) {
    const checks = await runHealthChecks(cfg, ctx, opts);
    const failing = checks.filter((c) => !accept.includes(c.status));
    if (failing.length === 0) return { healthy: true, attempts, checks, failing };
    const left = end - Date.now();
    if (left <= 0) return { healthy: false, attempts, checks, failing };
    ctx.log?.('verbose', `Not healthy yet (attempt ${attempts}): ${failing.map((c) => `${c.name} ${c.status}`).join(', ')}; again in ${Math.round(Math.min(opts.intervalMs, left) / 1000)} s.`);
    await sleep(Math.min(opts.intervalMs, left), ctx.signal);
  }
}

export { sleep as sleepCancellable };
