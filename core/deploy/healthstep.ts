/**
 * The Health step of both strategies: the stack's health checks until they pass or DEPLOY_HEALTH_DEADLINE_SECONDS
 * pass (in place: after StartServices; blue/green: through nginx after the cutover). A failure throws: the
 * deploy rolls back (in place) or switches back (blue/green).
 */
import type { ProjectConfig } from '../config';
import { waitHealthy } from '../health';
import type { DeployCtx, StepOutcome } from './context';
import type { Journal } from './journal';
import { healthNames, scopeServices } from './steps';

/** `via` names the way the checks go (" through nginx"), in the messages. */
export async function healthStep(cfg: ProjectConfig, ctx: DeployCtx, j: Journal, via = ''): Promise<StepOutcome> {
  if (scopeServices(cfg, ctx.env, j.options.scope).length === 0) return { status: 'Skipped', message: 'No service in this scope.' };
  const deadline = cfg.num('DEPLOY_HEALTH_DEADLINE_SECONDS');
  const h = await waitHealthy(cfg, ctx, { names: healthNames(cfg), deadlineMs: deadline * 1000, intervalMs: cfg.num('DEPLOY_HEALTH_INTERVAL_SECONDS') * 1000 });
  j.details.health = h.checks;
  if (!h.healthy) {
    throw new Error(`Not healthy${via} after ${h.attempts} attempt(s) within ${deadline} s (DEPLOY_HEALTH_DEADLINE_SECONDS): ${h.failing.map((c) => `${c.name} ${c.status}: ${c.message}`).join('; ')}`);
  }
  return { message: `${h.checks.length} checks passed${via} (attempt ${h.attempts}).` };
}
