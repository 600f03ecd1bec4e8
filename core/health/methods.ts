/** RPC method of Get-WoosooHealth: health.get (one round, -Watch rounds streamed until cancelled, or -Quiet). */
import { z } from 'zod';
import { loadValidProject } from '../config';
import { defineMethod, projectParams, typed } from '../kernel/method';
import { alertingRound } from './alerts';
import { HEALTH_CATEGORIES, healthCheckSchema, runHealthChecks, sleepCancellable, type HealthCheck, type HealthResult } from './index';

const allHealthy = (checks: HealthResult[]) => checks.length > 0 && checks.every((c) => c.status === 'Healthy');

/** The wire's Woosoo.HealthCheck of a check's result. */
export function healthObject(r: HealthResult): HealthCheck {
  return typed('HealthCheck', {
    Category: r.category, Name: r.name, Status: r.status, Value: r.value, Threshold: r.threshold, LatencyMs: r.latencyMs,
    Message: r.message, Target: r.target, Time: r.time.toISOString(),
  });
}

export const healthGet = defineMethod({
  name: 'health.get',
  summary: 'Runs every health check in parallel and returns Woosoo.HealthCheck objects; watch streams a round every interval until cancelled; quiet returns true only when all are Healthy; watch and alert notify the webhook once per check that turned Unhealthy or recovered.',
  params: z.object({
    ...projectParams,
    categories: z.array(z.enum(HEALTH_CATEGORIES)).optional().describe('Only these categories'),
    names: z.array(z.string().min(1)).optional().describe('Only checks whose name matches; wildcards * and ?'),
    watch: z.boolean().default(false).describe('Repeat every interval, streaming each round, until cancelled'),
    intervalSeconds: z.number().min(1).max(86_400).default(5).describe('Seconds between rounds with watch'),
    quiet: z.boolean().default(false).describe('Return only true (every check Healthy) or false'),
    alert: z.boolean().default(false).describe('Notify the webhook of checks that turned Unhealthy or recovered since the last run (logs/health/state.json); always on with watch'),
  }),
  // With watch and quiet, each round streams one boolean instead of the checks.
  item: z.union([healthCheckSchema, z.boolean()]),
  async handler(p, ctx) {
    const cfg = loadValidProject(p, ctx);
    const opts = { categories: p.categories, names: p.names };
    const log = (level: 'warning', message: string) => ctx.log(level, message);
    const round = (c: typeof cfg) => (p.watch || p.alert ? alertingRound(c, log, () => runHealthChecks(c, ctx, opts)) : runHealthChecks(c, ctx, opts));
    if (!p.watch) {
      const checks = await round(cfg);
      if (p.quiet) return { value: allHealthy(checks) };
      return { items: checks.map(healthObject) };
    }
    let current = cfg;
    for (;;) {
      const checks = await round(current);
      // With quiet, each round is one boolean on the pipeline.
      ctx.emit(p.quiet ? [allHealthy(checks)] : checks.map(healthObject));
      await sleepCancellable(p.intervalSeconds * 1000, ctx.signal);
      // Thresholds edited during a long watch apply from the next round; a broken edit keeps the last good ones.
      try {
        current = loadValidProject(p, ctx);
      } catch (err) {
        ctx.log('warning', `${(err as Error).message}\nThe watch goes on with the configuration it had.`);
      }
    }
  },
});
