/**
 * The dashboard's server must fail every attack of issue 18, over real HTTP requests (fastify's inject: the whole
 * request pipeline, no socket): no session, the wrong role, no CSRF token, guessed passwords, path traversal in the
 * log route, missing headers, weak cookies, stale sessions, and passwords leaking into files. The methods it runs are
 * the engine's real ones (core/methods.ts); the clock is a variable, so timeouts expire without sleeping.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiles } from '../../core/audit';
import { buildDashboard } from '../../core/dashboard/server';
import { createUser, usersPath } from '../../core/dashboard/users';
import type { CallRecord } from '../../core/kernel/call';
import type { MethodDef } from '../../core/kernel/method';
import { DOMAINS } from '../../core/methods';
import { makeProject, type Project } from '../sync/fixtures';

const PASSWORDS = { admin: 'Admin-pass-0001!', operator: 'Operator-pass-0002', viewer: 'Viewer-pass-0003' } as const;
const MINUTE = 60_000;
/** Cheaper hashes for the fixture's users (the server verifies with each hash's own stored cost). */
const CHEAP = { N: 2 ** 12, r: 8, p: 1 };

let project: Project;
let app: FastifyInstance;
let now = 1_000_000;
const called: string[] = [];
/** The call records the host's observer gets (main.ts passes the engine's log). */
const ended: CallRecord[] = [];

async function resolve(name: string): Promise<MethodDef> {
  called.push(name);
  const domain = DOMAINS.find((d) => d.names.includes(name));
  const def = (await domain!.load()).find((m) => m.name === name);
  if (!def) throw new Error(`no method ${name}`);
  return def;
}

let address = 0;
/** A fresh client address, so that one test's failed logins do not lock another's. */
const nextAddress = () => `10.0.0.${++address}`;

async function login(name: string, password: string, remoteAddress = nextAddress()) {
  const r = await app.inject({ method: 'POST', url: '/api/login', payload: { name, password }, remoteAddress });
  const cookie = r.cookies.find((c) => c.name === 'woosoo_session');
  return { r, cookie: cookie ? `${cookie.name}=${cookie.value}` : '', csrf: r.statusCode === 200 ? (r.json().csrfToken as string) : '' };
}

/** The routes that change something, by the role they need (the contract of docs/dashboard.md). */
const OPERATOR_ROUTES: [string, string][] = [
  ['POST', '/api/services/backend/start'], ['POST', '/api/services/backend/stop'], ['POST', '/api/services/backend/restart'],
  ['POST', '/api/deploys'], ['POST', '/api/deploys/20260101-000000-abcd/undo'], ['POST', '/api/backups/2026-01-01_00-00-00/test'],
];
const ADMIN_ROUTES: [string, string][] = [
  ['POST', '/api/backups/2026-01-01_00-00-00/restore'], ['PUT', '/api/config'], ['GET', '/api/users'], ['POST', '/api/users'],
  ['DELETE', '/api/users/viewer'], ['GET', '/api/audit'],
];
const VIEWER_GETS = ['/api/session', '/api/overview', '/api/services', '/api/health', '/api/logs/backend', '/api/deploys',
  '/api/deploys/20260101-000000-abcd/report', '/api/backups', '/api/config'];
const ROUTES: [string, string][] = [
  ['POST', '/api/logout'], ...VIEWER_GETS.map((u): [string, string] => ['GET', u]), ['GET', '/api/live'], ...OPERATOR_ROUTES, ...ADMIN_ROUTES,
];
/** The engine methods that change something: none may run for a refused request. */
const CHANGERS = ['services.start', 'services.stop', 'services.restart', 'deploy.run', 'deploy.undo', 'backup.test', 'backup.restore',
  'config.set', 'dashboard.userNew', 'dashboard.userRemove'];

function expectHeaders(r: LightMyRequestResponse) {
  expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['referrer-policy']).toBe('no-referrer');
}

beforeAll(async () => {
  project = makeProject();
  for (const role of ['admin', 'operator', 'viewer'] as const) await createUser(project.dir, { name: role, role, password: PASSWORDS[role] }, { cost: CHEAP });
  app = await buildDashboard({ projectDir: project.dir, resolve, clock: () => now, onCallEnd: (call) => void ended.push(call) });
});

afterAll(async () => {
  await app?.close();
  project?.cleanup();
});

describe('the dashboard refuses', () => {
  it('every API route without a session: 401, with the security headers', async () => {
    for (const [method, url] of ROUTES) {
      const r = await app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : {} });
      expect({ url, status: r.statusCode }).toEqual({ url, status: 401 });
      expectHeaders(r);
    }
    // A login only from a JSON body (a cross-site form posts text/plain or a form encoding): 400 or 415, no session.
    for (const [type, body] of [['text/plain', '{"name":"admin","password":"Admin-pass-0001!"}'], ['application/x-www-form-urlencoded', 'name=admin&password=Admin-pass-0001!']]) {
      const r = await app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': type }, payload: body, remoteAddress: nextAddress() });
      expect({ type, refused: [400, 415].includes(r.statusCode), cookies: r.cookies.length }).toEqual({ type, refused: true, cookies: 0 });
    }
    // A forged or stale cookie is no session either.
    const r = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: 'woosoo_session=forged' } });
    expect(r.statusCode).toBe(401);
  });

  it('a viewer on operator and admin routes, an operator on admin routes: 403', async () => {
    const viewer = await login('viewer', PASSWORDS.viewer);
    const operator = await login('operator', PASSWORDS.operator);
    const as = (s: typeof viewer) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });
    const newUser = { name: 'mallory', role: 'admin', password: 'Mallory-pass-0004' };
    called.length = 0;
    for (const [who, s, routes] of [['viewer', viewer, [...OPERATOR_ROUTES, ...ADMIN_ROUTES]], ['operator', operator, ADMIN_ROUTES]] as const) {
      for (const [method, url] of routes) {
        const r = await app.inject({ method: method as 'GET', url, headers: as(s), payload: url === '/api/users' ? newUser : method === 'GET' ? undefined : {} });
        expect({ who, method, url, status: r.statusCode }).toEqual({ who, method, url, status: 403 });
        expectHeaders(r);
      }
    }
    expect(called).toEqual([]);
    expect(JSON.stringify(JSON.parse(readFileSync(usersPath(project.dir), 'utf8')))).not.toContain('mallory');
  });

  it('a change without the CSRF token, or with another session\'s: 403', async () => {
    const operator = await login('operator', PASSWORDS.operator);
    const other = await login('viewer', PASSWORDS.viewer);
    const url = '/api/services/no-such-service/restart';
    expect((await app.inject({ method: 'POST', url, headers: { cookie: operator.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url, headers: { cookie: operator.cookie, 'x-csrf-token': other.csrf } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: operator.cookie } })).statusCode).toBe(403);
    // With the token, the request gets through to the check of the name (an unknown service: 404).
    expect((await app.inject({ method: 'POST', url, headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf } })).statusCode).toBe(404);
    // Every change, even an admin's: nothing runs without the token.
    const admin = await login('admin', PASSWORDS.admin);
    called.length = 0;
    for (const [method, route] of [...OPERATOR_ROUTES, ...ADMIN_ROUTES, ['POST', '/api/logout']].filter(([m]) => m !== 'GET')) {
      const r = await app.inject({ method: method as 'POST', url: route, headers: { cookie: admin.cookie }, payload: {} });
      expect({ method, route, status: r.statusCode }).toEqual({ method, route, status: 403 });
    }
    expect(called).toEqual([]);
  });

  it('the 6th login after 5 wrong passwords, even with the right password; per account and per address', async () => {
    for (let i = 1; i <= 5; i++) expect((await login('operator', `wrong-${i}`)).r.statusCode).toBe(401);
    const sixth = await login('operator', 'wrong-6');
    expect(sixth.r.statusCode).toBe(429);
    expectHeaders(sixth.r);
    const right = await login('operator', PASSWORDS.operator);
    expect(right.r.statusCode).toBe(429);
    expect(right.cookie).toBe('');
    // Another account is not locked out by it, but one address guessing at many accounts is.
    expect((await login('viewer', PASSWORDS.viewer)).r.statusCode).toBe(200);
    const from = nextAddress();
    // (no account gets 5 failures here: the lock is the address's)
    for (const [i, name] of ['admin', 'viewer', 'admin', 'viewer', 'admin'].entries()) {
      expect((await login(name, `Wrong-pass-000${i}`, from)).r.statusCode).toBe(401);
    }
    expect((await login('viewer', PASSWORDS.viewer, from)).r.statusCode).toBe(429);
    expect((await login('viewer', PASSWORDS.viewer)).r.statusCode).toBe(200);
    // The lock ends after its time.
    now += 16 * MINUTE;
    expect((await login('operator', PASSWORDS.operator)).r.statusCode).toBe(200);
    expect((await login('viewer', PASSWORDS.viewer, from)).r.statusCode).toBe(200);
  });

  it('a Host it does not serve (DNS rebinding): 421 before anything else, even the login', async () => {
    for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1.evil.example', 'localhost.evil.example:80']) {
      const r = await app.inject({ method: 'POST', url: '/api/login', headers: { host }, payload: { name: 'admin', password: PASSWORDS.admin }, remoteAddress: nextAddress() });
      expect({ host, status: r.statusCode, cookies: r.cookies.length }).toEqual({ host, status: 421, cookies: 0 });
      expectHeaders(r);
    }
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST']) {
      const r = await app.inject({ method: 'GET', url: '/api/session', headers: { host } });
      expect({ host, status: r.statusCode }).toEqual({ host, status: 401 });
    }
  });

  it('a burst of parallel guesses: no more than 5 are checked, the rest are locked', async () => {
    const from = nextAddress();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login('admin', `Parallel-guess-${i}`, from)));
    const statuses = replies.map((x) => x.r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    now += 16 * MINUTE; // the lock ends: the other tests sign in as admin
  });

  it('path traversal and wildcards in the log route: 400 or 404, and no log read at all', async () => {
    const viewer = await login('viewer', PASSWORDS.viewer);
    called.length = 0;
    for (const url of ['/api/logs/..%2F..%2Fetc%2Fpasswd', '/api/logs/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/api/logs/../../etc/passwd',
      '/api/logs/%2e%2e', '/api/logs/*', '/api/logs/..%5C..%5Cwindows%5Cwin.ini', '/api/logs/backend%00', '/api/logs/backend?tail=-1']) {
      const r = await app.inject({ method: 'GET', url, headers: { cookie: viewer.cookie } });
      expect({ url, bad: [400, 404].includes(r.statusCode) }).toEqual({ url, bad: true });
      expect(r.body).not.toContain('root:');
      expectHeaders(r);
    }
    expect(called).not.toContain('logs.get');
  });

  it('path traversal, absolute paths and wildcards in deployment and backup ids: 400 or 404, nothing run, no file read', async () => {
    const admin = await login('admin', PASSWORDS.admin);
    const ids = ['..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..', '%2e%2e', '%2Fetc%2Fpasswd', '*', '..%5C..%5Cwindows%5Cwin.ini',
      'C%3A%5CWindows%5Cwin.ini', '20260101-000000-abcd%00', '2026-01-01_00-00-00%2F..%2F..'];
    called.length = 0;
    for (const id of ids) {
      for (const [method, url] of [['GET', `/api/deploys/${id}/report`], ['POST', `/api/deploys/${id}/undo`], ['POST', `/api/backups/${id}/test`], ['POST', `/api/backups/${id}/restore`]]) {
        const r = await app.inject({ method: method as 'GET', url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: method === 'GET' ? undefined : {} });
        expect({ url, bad: [400, 404].includes(r.statusCode) }).toEqual({ url, bad: true });
        expect(r.body).not.toMatch(/root:|\[fonts\]/);
        expectHeaders(r);
      }
    }
    // Only the engine's lists were asked (to find the id); no action and no report read.
    expect([...new Set(called)].sort()).toEqual(['backup.list', 'deploy.get']);
  });
});

describe('sessions', () => {
  it('the cookie is HttpOnly, SameSite=Strict, Path=/; Secure with the __Host- prefix under HTTPS', async () => {
    const { r } = await login('viewer', PASSWORDS.viewer);
    const c = r.cookies.find((x) => x.name === 'woosoo_session')!;
    expect({ httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path, secure: c.secure ?? false }).toEqual({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    const secure = await buildDashboard({ projectDir: project.dir, resolve, secure: true });
    try {
      const s = await secure.inject({ method: 'POST', url: '/api/login', payload: { name: 'viewer', password: PASSWORDS.viewer } });
      const sc = s.cookies.find((x) => x.name === '__Host-woosoo_session')!;
      expect({ httpOnly: sc.httpOnly, sameSite: sc.sameSite, secure: sc.secure }).toEqual({ httpOnly: true, sameSite: 'Strict', secure: true });
    } finally {
      await secure.close();
    }
  });

  it('expire after 30 idle minutes and 12 hours in all; logout ends them', async () => {
    const s = await login('viewer', PASSWORDS.viewer);
    const session = () => app.inject({ method: 'GET', url: '/api/session', headers: { cookie: s.cookie } }).then((r) => r.statusCode);
    now += 29 * MINUTE;
    expect(await session()).toBe(200); // the request restarts the idle time
    now += 29 * MINUTE;
    expect(await session()).toBe(200);
    now += 31 * MINUTE;
    expect(await session()).toBe(401);

    const busy = await login('viewer', PASSWORDS.viewer);
    for (let i = 0; i < 25; i++) {
      now += 29 * MINUTE;
      const status = (await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: busy.cookie } })).statusCode;
      expect({ minutes: (i + 1) * 29, status }).toEqual({ minutes: (i + 1) * 29, status: (i + 1) * 29 <= 720 ? 200 : 401 });
    }

    const out = await login('viewer', PASSWORDS.viewer);
    expect((await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: out.cookie, 'x-csrf-token': out.csrf } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: out.cookie } })).statusCode).toBe(401);
  });
});

describe('what the dashboard serves and keeps', () => {
  it('an admin adds a user who can sign in; the configuration is masked; no password in users.json or the audit trail', async () => {
    const admin = await login('admin', PASSWORDS.admin);
    const created = await app.inject({
      method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'carol', role: 'operator', password: 'Carol-pass-0005-secret' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ $type: 'DashboardUser', Name: 'carol', Role: 'operator' });
    expect(created.body).not.toContain('Carol-pass');
    expect((await login('carol', 'Carol-pass-0005-secret')).r.statusCode).toBe(200);

    const viewer = await login('viewer', PASSWORDS.viewer);
    const config = await app.inject({ method: 'GET', url: '/api/config', headers: { cookie: viewer.cookie } });
    expect(config.statusCode).toBe(200);
    expect(config.json().config).toMatchObject({ DB_DATABASE: 'woosoo' });
    expect(config.body).not.toContain('Sync-Pa55');
    expect(config.body).not.toContain('sync-reverb-secret');

    const users = readFileSync(usersPath(project.dir), 'utf8');
    const audit = auditFiles(project.dir).map((f) => readFileSync(f, 'utf8')).join('');
    for (const secret of [...Object.values(PASSWORDS), 'Carol-pass-0005-secret', 'wrong-6']) {
      expect(users).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
    const lines = audit.trim().split('\n').map((l) => JSON.parse(l) as { command: string; method: string; outcome: string; parameters: Record<string, unknown> });
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: 'dashboard.userNew', outcome: 'Succeeded', parameters: expect.objectContaining({ DashboardUser: 'admin', Name: 'carol' }) }),
      expect.objectContaining({ method: 'dashboard.login', outcome: 'Refused' }),
      expect.objectContaining({ method: 'dashboard.login', outcome: 'Succeeded' }),
      expect.objectContaining({ method: 'dashboard.logout', outcome: 'Succeeded' }),
    ]));
  });

  it('no secret in any route\'s response; a secret set through PUT /api/config is written but never echoed or audited', async () => {
    const admin = await login('admin', PASSWORDS.admin);
    const secrets = ['Sync-Pa55', 'sync-reverb-secret', ...Object.values(PASSWORDS), 'scrypt', '"salt"'];
    const bodies: string[] = [];
    const service = (await app.inject({ method: 'GET', url: '/api/services', headers: { cookie: admin.cookie } })).json().items[0].Name as string;
    // A log line holding the database password: the log route masks it like Get-WoosooLog.
    mkdirSync(join(project.dir, 'logs', service), { recursive: true });
    writeFileSync(join(project.dir, 'logs', service, 'output.log'), 'connecting with password Sync-Pa55 #word\n');
    for (const url of [...VIEWER_GETS.filter((u) => !u.includes('/report')).map((u) => u.replace('/backend', `/${service}`)), '/api/users', '/api/audit']) {
      const r = await app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
      expect({ url, status: r.statusCode }).toEqual({ url, status: 200 });
      bodies.push(r.body);
    }
    expect(JSON.parse(bodies[VIEWER_GETS.length - 1]).users).toBeUndefined();
    for (const b of bodies) for (const x of secrets) expect(b).not.toContain(x);

    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const config = join(project.dir, 'deployment.config.env');
    const before = readFileSync(config, 'utf8');
    const bad = await app.inject({ method: 'PUT', url: '/api/config', headers, payload: { key: 'HTTP_PORT', value: 'not-a-port' } });
    expect(bad.statusCode).toBe(400);
    expect(readFileSync(config, 'utf8')).toBe(before); // validated like Set-WoosooConfig: nothing written
    const set = await app.inject({ method: 'PUT', url: '/api/config', headers, payload: { key: 'DB_PASSWORD', value: 'New-Secret-Pa55-0006' } });
    expect(set.statusCode).toBe(200);
    expect(set.json().items[0]).toMatchObject({ $type: 'ConfigChange' });
    expect(readFileSync(config, 'utf8')).toContain('New-Secret-Pa55-0006');
    const after = await app.inject({ method: 'GET', url: '/api/config', headers: { cookie: admin.cookie } });
    const audit = auditFiles(project.dir).map((f) => readFileSync(f, 'utf8')).join('');
    for (const text of [set.body, after.body, audit]) expect(text).not.toContain('New-Secret-Pa55-0006');
    expect(audit).toContain('Dashboard: set config');

    const users = await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } });
    expect((users.json().items as { Name: string }[]).map((u) => u.Name)).toEqual(expect.arrayContaining(['admin', 'operator', 'viewer']));
    expect((await app.inject({ method: 'DELETE', url: '/api/users/nobody', headers })).statusCode).toBe(404);
  }, 30_000);

  it('the overview comes from services.get, health.get and deploy.get', async () => {
    const viewer = await login('viewer', PASSWORDS.viewer);
    called.length = 0;
    ended.length = 0;
    const r = await app.inject({ method: 'GET', url: '/api/overview', headers: { cookie: viewer.cookie } });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json())).toEqual(['services', 'health', 'lastDeploy']);
    expect([...called].sort()).toEqual(['deploy.get', 'health.get', 'services.get']);
    // Each call, as on the RPC path, ends in a call record for the engine's log: who asked, how it ended, masked.
    const records = ended.filter((c) => (c.caller as { command?: string }).command === 'Dashboard: overview');
    expect(records.map((c) => c.method).sort()).toEqual(['deploy.get', 'health.get', 'services.get']);
    expect(records.every((c) => c.durationMs >= 0 && (c.result !== undefined || c.error !== undefined))).toBe(true);
    expect(JSON.stringify(records.map((c) => c.result))).not.toContain('Sync-Pa55');
    expect(r.body).not.toContain('Sync-Pa55');
  }, 30_000);
});
