/**
 * A health check's result (HealthResult; health/methods.ts makes the wire's Woosoo.HealthCheck of it, whose schema
 * is here too) and the plumbing every check shares: a per-check deadline and cancel signal,
 * and turning a check that threw or timed out into a result instead of a failure of the whole run.
 */
import { z } from 'zod';
import { typedSchema } from '../kernel/method';

export const HEALTH_CATEGORIES = ['Service', 'Resource', 'Application'] as const;
export const HEALTH_STATUSES = ['Healthy', 'Degraded', 'Unhealthy', 'Unknown'] as const;
export type HealthCategory = (typeof HEALTH_CATEGORIES)[number];
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const healthCheckSchema = typedSchema('HealthCheck', {
  Category: z.enum(HEALTH_CATEGORIES),
  Name: z.string(),
  Status: z.enum(HEALTH_STATUSES),
  Value: z.union([z.string(), z.number()]).nullable(),
  Threshold: z.union([z.string(), z.number()]).nullable(),
  LatencyMs: z.number().int().nonnegative().nullable(),
  Message: z.string(),
  Target: z.string(),
  Time: z.string(),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

/** One check's result, as the checks report it. */
export interface HealthResult {
  category: HealthCategory;
  name: string;
  status: HealthStatus;
  value: string | number | null;
  threshold: string | number | null;
  /** Whole milliseconds, or null when the check has no latency. */
  latencyMs: number | null;
  message: string;
  target: string;
  time: Date;
}

export interface CheckFields {
  status: HealthStatus;
  value?: string | number | null;
  threshold?: string | number | null;
  latencyMs?: number | null;
  message: string;
}

export function healthCheck(category: HealthCategory, name: string, target: string, f: CheckFields): HealthResult {
  return {
    category, name, status: f.status, value: f.value ?? null, threshold: f.threshold ?? null,
    latencyMs: f.latencyMs === undefined || f.latencyMs === null ? null : Math.max(0, Math.round(f.latencyMs)),
    message: f.message, target, time: new Date(),
  };
}

/** What one check gets: the session env, a signal that fires on cancel or on the check's own deadline. */
export interface CheckContext {
  env: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
}

/** A check not yet run: what it is, and how to run it. A run may produce several results (one per queue table). */
export interface CheckSpec {
  category: HealthCategory;
  name: string;
  target: string;
  /** The names of the results when they differ from `name` (one run, several results). */
  produces?: string[];
  /** Starts a child process: started after the network checks, so its synchronous spawn cost overlaps their waits. */
  spawns?: boolean;
  run: (c: CheckContext) => Promise<HealthResult[]>;
}

/** Worst first: Unhealthy > Unknown > Degraded > Healthy. */
export function worst(statuses: HealthStatus[]): HealthStatus {
  for (const s of ['Unhealthy', 'Unknown', 'Degraded'] as const) if (statuses.includes(s)) return s;
  return 'Healthy';
}

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code;
  const msg = e instanceof Error ? e.message : String(err);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/**
 * Runs one check with its own deadline. A check that throws becomes Unhealthy (its error as the message);
 * one that outlives the deadline becomes Unhealthy "timed out". Cancellation of the request is rethrown.
 */
export async function runCheck(spec: CheckSpec, parent: AbortSignal, env: Record<string, string>, timeoutMs: number): Promise<HealthResult[]> {
  const ctl = new AbortController();
  const onParent = () => ctl.abort(parent.reason);
  parent.addEventListener('abort', onParent, { once: true });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const r = await Promise.race([spec.run({ env, signal: ctl.signal, timeoutMs }), deadline]);
    if (r === 'timeout') {
      ctl.abort(new Error('timed out'));
      return [healthCheck(spec.category, spec.name, spec.target, {
        status: 'Unhealthy', latencyMs: performance.now() - started,
        message: `No answer within ${timeoutMs / 1000} s (HEALTH_TIMEOUT_SECONDS).`,
      })];
    }
    return r;
  } catch (err) {
    if (parent.aborted) throw parent.reason;
    return [healthCheck(spec.category, spec.name, spec.target, {
      status: 'Unhealthy', latencyMs: performance.now() - started, message: errorText(err),
    })];
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onParent);
    if (!ctl.signal.aborted) ctl.abort(new Error('check finished'));
  }
}
