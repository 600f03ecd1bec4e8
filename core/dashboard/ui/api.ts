/// <reference lib="dom" />
/**
 * The client's one way to the server: fetch with the session cookie (same origin only), JSON both ways, the session's
 * CSRF token in X-CSRF-Token on every change. A 401 ends the session in the page and shows the login page; any other
 * failure is an ApiError carrying the server's {error, message, fix}.
 */

export type Role = 'viewer' | 'operator' | 'admin';
export interface Session { user: string; role: Role; csrfToken: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fix = '') {
    super(message);
  }
}

let csrf = '';
let onSignedOut: () => void = () => {};

export function setCsrf(token: string): void {
  csrf = token;
}

/** What to do when the server says the session is gone (the app shows the login page). */
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export const roleAtLeast = (have: Role | undefined, need: Role): boolean => have !== undefined && ROLE_RANK[have] >= ROLE_RANK[need];

export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'Offline', 'The dashboard server does not answer.', 'Check that it is running (Get-WoosooDashboard).');
  }
  const text = await res.text();
  let data: Record<string, unknown> = {};
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    data = { message: text.slice(0, 200) };
  }
  if (res.status === 401 && path !== '/api/login') {
    csrf = '';
    onSignedOut();
  }
  if (!res.ok) {
    const code = typeof data.error === 'string' ? data.error : `HTTP${res.status}`;
    if (res.status === 404 && code === 'NotFound') {
      throw new ApiError(404, code, `This dashboard server has no ${method} ${path.split('?')[0]} yet.`, 'Update Woosoo and restart the dashboard.');
    }
    const message = typeof data.message === 'string' ? data.message : `The server answered ${res.status}.`;
    throw new ApiError(res.status, code, message, typeof data.fix === 'string' ? data.fix : '');
  }
  return data as T;
}

/** Path segment of a name (a service, a user, an id): encoded, so it is always one segment. */
export const seg = (s: string): string => encodeURIComponent(s);

/** A query string of the given values (empty ones left out). */
export function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
