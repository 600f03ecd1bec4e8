/**
 * POSTs a JSON body to a webhook (10 s timeout): the deploy's outcome (DEPLOY_WEBHOOK_URL) and health alerts
 * (HEALTH_WEBHOOK_URL). The URL is a secret (it often carries a token): a failure names the key, never the URL, and
 * is a warning, never a failure of what sent it.
 */
export async function postWebhook(url: string, body: unknown, how: { key: string; unaffected: string; log: (level: 'warning', message: string) => void }): Promise<boolean> {
  try {
    const r = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Woosoo' },
      body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
    });
    if (!r.ok) how.log('warning', `The webhook (${how.key}) answered HTTP ${r.status}; ${how.unaffected}`);
    return r.ok;
  } catch (err) {
    how.log('warning', `The webhook (${how.key}) could not be notified (${(err as Error).name}); ${how.unaffected}`);
    return false;
  }
}
