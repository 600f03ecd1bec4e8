/**
 * What other domains use of preflight: `runPreflight(cfg, ctx, {categories})` runs the checks (the deploy runs it
 * before it changes anything) and `preflightPassed(checks)` says whether no critical check failed.
 */
import type { ProjectConfig } from '../config';
import { CHECKS } from './checks';
import { runChecks, type RunnerContext, type RunOptions } from './runner';
import type { CheckResult } from './types';

export { CATEGORIES, type Category, type CheckResult } from './types';
export type { RunnerContext, RunOptions } from './runner';

export function runPreflight(cfg: ProjectConfig, ctx: RunnerContext, opts: RunOptions = {}): Promise<CheckResult[]> {
  return runChecks(CHECKS, cfg, ctx, opts);
}

/** True when no critical check failed (what -Quiet returns). */
export function preflightPassed(checks: readonly CheckResult[]): boolean {
  return !checks.some((c) => c.critical && c.status === 'Fail');
}
