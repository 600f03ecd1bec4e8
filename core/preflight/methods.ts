/** RPC method of preflight: preflight.run. Thin: load the project (problems are reported, not thrown), run, shape. */
import { z } from 'zod';
import { readProject } from '../config';
import { defineMethod, duration, projectParams, typed } from '../kernel/method';
import { preflightPassed, runPreflight } from './index';
import { CATEGORIES, preflightCheckSchema, type CheckResult, type PreflightCheck } from './types';

/** The wire's Woosoo.PreflightCheck of a check's result (Probe and RawOutput only when detailed). */
export function preflightObject(r: CheckResult): PreflightCheck {
  return typed('PreflightCheck', {
    Category: r.category, Name: r.name, Status: r.status, Critical: r.critical, Expected: r.expected, Actual: r.actual,
    Message: r.message, Fix: r.fix, Duration: duration(r.durationMs),
    ...(r.probe === undefined ? {} : { Probe: r.probe }), ...(r.rawOutput === undefined ? {} : { RawOutput: r.rawOutput }),
  });
}

export const preflightRun = defineMethod({
  name: 'preflight.run',
  summary: 'Every readiness check (System, Tools, PhpExtensions, Configuration, Network, Permissions) in parallel, as Woosoo.PreflightCheck objects; with quiet, only true when no critical check failed.',
  params: z.object({
    ...projectParams,
    categories: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.enum(CATEGORIES))).optional()
      .describe('Only these categories; all when omitted'),
    detailed: z.boolean().default(false).describe('Add the probe commands (Probe) and their raw output (RawOutput) to each result'),
    quiet: z.boolean().default(false).describe('Return only true (no critical check failed) or false'),
  }),
  item: preflightCheckSchema,
  async handler(p, ctx) {
    const cfg = readProject(p, ctx);
    const checks = await runPreflight(cfg, ctx, { categories: p.categories, detailed: p.detailed });
    if (p.quiet) return { value: preflightPassed(checks) };
    return { items: checks.map(preflightObject) };
  },
});
