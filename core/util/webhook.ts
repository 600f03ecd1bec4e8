/**
 * POSTs a JSON body to a webhook (10 s timeout): the deploy's outcome (DEPLOY_WEBHOOK_URL) and health alerts
 * (HEALTH_WEBHOOK_URL). The URL is a secret (it often carries a token): a failure names the key, never the URL, and
 * is a warning, never a failure of what sent it. node:http(s) rather than fetch: under Wine, node.exe's fetch
 * (undici) fails where a plain request goes through.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, {
      method: 'POST', timeout: 10_000,
      headers: { 'content-type': 'application/json', 'user-agent': 'Woosoo', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

export async function postWebhook(url: string, body: unknown, how: { key: string; unaffected: string; log: (level: 'warning', message: string) => void }): Promise<boolean> {
  try {
    const status = await post(url, JSON.stringify(body));
    const ok = status >= 200 && status < 300;
    if (!ok) how.log('warning', `The webhook (${how.key}) answered HTTP ${status}; ${how.unaffected}`);
    return ok;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    how.log('warning', `The webhook (${how.key}) could not be notified (${e.code ?? e.name}); ${how.unaffected}`);
    return false;
  }
}
