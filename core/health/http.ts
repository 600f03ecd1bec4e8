/**
 * HTTP checks: GET the backend's health endpoint through nginx and directly, and any extra HEALTH_URLS, with
 * the response time. The body is read (up to 64 KiB): a JSON body that reports a dependency as false
 * ({"db": false}) is Unhealthy even when the status is 200.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MASK } from '../util/redact';
import { healthCheck, type CheckContext, type HealthCategory, type HealthResult, type HealthStatus } from './check';

const MAX_BODY = 64 * 1024;

/**
 * A URL as it may be shown: a password in it (http://user:pass@host/) replaced by the mask. (Loading the
 * configuration registered that password as a secret already: ProjectConfig.secretValues.)
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: string;
  latencyMs: number;
}

/** One GET without keep-alive; rejects on connection errors and on the signal. HTTPS accepts any certificate. */
export function httpGet(url: string, signal: AbortSignal): Promise<HttpAnswer> {
  const started = performance.now();
  const u = new URL(url);
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const r = req(u, {
      method: 'GET', agent: false, signal, rejectUnauthorized: false,
      headers: { Accept: 'application/json', 'User-Agent': 'Woosoo-Health', Connection: 'close' },
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, statusText: res.statusMessage ?? '',
        body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'), latencyMs: performance.now() - started,
      }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end();
  });
}

/** What a health body says: the dependencies it reports as false, its error text, and a short summary. */
export function readHealthBody(body: string): { failed: string[]; error?: string; summary: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { failed: [], summary: body.trim() === '' ? 'empty body' : 'body is not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { failed: [], summary: 'JSON body' };
  const o = json as Record<string, unknown>;
  const failed = Object.entries(o).filter(([, v]) => v === false).map(([k]) => k);
  const error = typeof o.error === 'string' ? o.error : typeof o.message === 'string' && failed.length ? o.message : undefined;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) if (v === true) parts.push(`${k} ok`);
  const q = o.queue as Record<string, unknown> | null | undefined;
  if (q && typeof q === 'object' && typeof q.pending === 'number') parts.push(`queue ${q.pending} pending, ${String(q.failed ?? '?')} failed`);
  return { failed, error, summary: parts.join(', ') };
}

/** Judges one answer: non-2xx or a false dependency → Unhealthy; slower than half the timeout → Degraded. */
export function judgeHttp(a: HttpAnswer, timeoutMs: number, readBody: boolean): { status: HealthStatus; message: string } {
  const head = `${a.status} ${a.statusText}`.trim();
  const info = readBody ? readHealthBody(a.body) : { failed: [], summary: '' };
  const ms = `${Math.round(a.latencyMs)} ms`;
  if (a.status < 200 || a.status > 299) {
    return { status: 'Unhealthy', message: `${head} in ${ms}${info.error ? `: ${info.error}` : ''}${info.failed.length ? ` (${info.failed.map((f) => `${f}: false`).join(', ')})` : ''}.` };
  }
  if (info.failed.length > 0) {
    return { status: 'Unhealthy', message: `${head} but the body reports ${info.failed.map((f) => `${f}: false`).join(', ')}${info.error ? ` (${info.error})` : ''}.` };
  }
  const detail = info.summary ? `; ${info.summary}` : '';
  if (a.latencyMs > timeoutMs / 2) return { status: 'Degraded', message: `${head} but slow: ${ms}, over half of HEALTH_TIMEOUT_SECONDS${detail}.` };
  return { status: 'Healthy', message: `${head} in ${ms}${detail}.` };
}

const REFUSED = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EHOSTUNREACH']);

/**
 * GETs the first of `urls` that accepts a connection (the backend may listen on 127.0.0.1 or on APP_IP) and
 * turns the answer into a HealthCheck. A refused connection on every URL is Unhealthy.
 */
export async function httpCheck(
  c: CheckContext, category: HealthCategory, name: string, urls: string[], readBody: boolean,
): Promise<HealthResult[]> {
  let lastError: NodeJS.ErrnoException | undefined;
  for (const url of urls) {
    try {
      const a = await httpGet(url, c.signal);
      const j = judgeHttp(a, c.timeoutMs, readBody);
      return [healthCheck(category, name, displayUrl(url), { status: j.status, value: a.status, threshold: '2xx', latencyMs: a.latencyMs, message: j.message })];
    } catch (err) {
      lastError = err as NodeJS.ErrnoException;
      if (c.signal.aborted || !REFUSED.has(lastError.code ?? '')) break;
    }
  }
  if (c.signal.aborted) throw c.signal.reason;
  const code = lastError?.code ?? '';
  const why = REFUSED.has(code) ? 'nothing is listening there' : lastError?.message ?? 'unknown error';
  const shown = urls.map(displayUrl);
  return [healthCheck(category, name, shown.join(' | '), {
    status: 'Unhealthy', value: null, threshold: '2xx',
    message: `GET ${shown.join(' and ')} failed: ${why}${code && !why.includes(code) ? ` (${code})` : ''}.`,
  })];
}
