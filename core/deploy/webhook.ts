/**
 * The webhook: when DEPLOY_WEBHOOK_URL is set, the outcome is POSTed as JSON (10 s timeout). The URL is a secret
 * (it often carries a token): it never appears in a message. A failing webhook is a warning, never a failed deploy.
 */
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { redactDeep } from '../util/redact';
import { postWebhook } from '../util/webhook';
import type { Journal } from './journal';

export function webhookPayload(j: Journal) {
  const failed = j.steps.find((s) => s.status === 'Failed' || s.status === 'Cancelled');
  return redactDeep({
    event: 'woosoo.deployment', id: j.id, status: j.status, scope: j.options.scope, project: j.project, host: j.host,
    startedAt: j.startedAt, endedAt: j.endedAt, durationSeconds: j.endedAt ? (Date.parse(j.endedAt) - Date.parse(j.startedAt)) / 1000 : null,
    failedStep: failed?.name ?? null, error: j.error ?? null, backupId: j.backupId ?? null, reportPath: j.reportPath ?? null,
  });
}

export async function notifyWebhook(cfg: ProjectConfig, ctx: Pick<RequestContext, 'log'>, j: Journal): Promise<boolean> {
  const url = cfg.str('DEPLOY_WEBHOOK_URL');
  if (!url) return false;
  return postWebhook(url, webhookPayload(j), { key: 'DEPLOY_WEBHOOK_URL', unaffected: 'the deployment itself is not affected.', log: (l, m) => ctx.log(l, m) });
}
