/**
 * The dashboard's web server: a fastify app with the security every route shares (response headers, sessions in
 * an HttpOnly SameSite=Strict cookie, CSRF tokens on every change, roles), the login and logout routes, and the
 * API routes of core/dashboard/routes.ts. It listens on 127.0.0.1 unless the host says otherwise (docs/dashboard.md).
 */
import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { SessionContext } from '../kernel/context';
import type { CallObserver } from '../kernel/run';
import { WoosooError } from '../kernel/errors';
import { redact } from '../util/redact';
import { auditEvent, makeInvoke, type DashboardCaller, type ResolveMethod } from './invoke';
import { registerRoutes } from './routes';
import { registerStatic } from './static';
import { DEFAULT_LIMITS, LoginLimiter, SessionStore, type Clock, type Session, type SessionLimits } from './sessions';
import { authenticate, roleAtLeast, stillHasRole, type Role } from './users';

export interface DashboardOptions {
  projectDir: string;
  environment?: string;
  /** Served over HTTPS: the cookie gets Secure and the __Host- prefix. */
  secure?: boolean;
  /** The engine's method definitions by name (the host passes core/methods.ts's). */
  resolve: ResolveMethod;
  /** The environment and folder the methods run with; default this process's. */
  session?: SessionContext;
  clock?: Clock;
  limits?: Partial<SessionLimits>;
  /** Host names it answers to besides localhost, 127.0.0.1 and [::1] (a LAN name or address): others get 421. */
  hosts?: readonly string[];
  /** The built browser client's folder; default bin/dashboard of Woosoo's folder (core/dashboard/static.ts). */
  staticDir?: string;
  /** TLS key and certificate (PEM): the server is HTTPS (the host passes the project's certificate when not on loopback). */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Called as each method call ends, after its audit line (the host passes the engine's log, core/engine/log.ts). */
  onCallEnd?: CallObserver;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header, without its port, lower case ("[::1]:8080" -> "[::1]"). */
export function hostName(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0];
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
};

/** What a route handler gets: the signed-in session and the caller for the audit trail. */
export interface Authed {
  session: Session;
  caller: (action: string, parameters?: Record<string, unknown>) => DashboardCaller;
}

/** An onRequest hook (before the body is even parsed) that lets through only a signed-in session with this role. */
export type Guard = (role: Role) => (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

const authedOf = new WeakMap<FastifyRequest, Authed>();

/** The session a route's guard let through (a route without a guard has none: a bug, reported as one). */
export function authed(req: FastifyRequest): Authed {
  const a = authedOf.get(req);
  if (!a) throw new Error(`${req.routeOptions.url}: route without a guard`);
  return a;
}

const HTTP_STATUS: Record<string, number> = {
  InvalidArgument: 400, InvalidData: 400, ObjectNotFound: 404, ResourceExists: 409, ResourceBusy: 409, PermissionDenied: 403, SecurityError: 403,
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function buildDashboard(opts: DashboardOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? Date.now;
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const sessions = new SessionStore(limits, clock);
  sessions.valid = (s) => stillHasRole(opts.projectDir, s.user, s.role);
  const limiter = new LoginLimiter(limits, clock);
  const envSession = opts.session ?? { env: { ...process.env } as Record<string, string>, cwd: opts.projectDir };
  const invoke = makeInvoke(opts.resolve, envSession, opts.onCallEnd);
  const cookieName = opts.secure ? '__Host-woosoo_session' : 'woosoo_session';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: opts.secure === true };

  const tls = opts.https ? { https: opts.https } : {};
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: false, return503OnClosing: true, ...tls }) as unknown as FastifyInstance;
  await app.register(cookie);

  // Against DNS rebinding: a page of another site whose name now points here still sends its own name as Host.
  const hosts = new Set([...LOOPBACK_HOSTS, ...(opts.hosts ?? []).map((h) => hostName(h))]);
  app.addHook('onRequest', async (req, reply) => {
    if (!hosts.has(hostName(req.headers.host))) return reply.code(421).send({ error: 'UnknownHost', message: 'This dashboard does not answer to that host name.' });
    return undefined;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    return payload;
  });
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    if (err instanceof WoosooError) {
      return reply.code(HTTP_STATUS[err.category] ?? 500).send({ error: err.errorId, message: redact(err.message), fix: err.recommendedAction ?? '' });
    }
    const status = err.validation || (err.statusCode && err.statusCode < 500) ? err.statusCode ?? 400 : 500;
    return reply.code(status).send({ error: status === 500 ? 'InternalError' : 'BadRequest', message: status === 500 ? 'The dashboard failed; see its log.' : redact(err.message) });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'NotFound', message: 'No such page or API route.' }));

  const callerFor = (req: FastifyRequest, user: string) => (action: string, parameters?: Record<string, unknown>): DashboardCaller => ({
    user, action, address: req.ip, ...(parameters ? { parameters } : {}),
  });

  /** Replies 401 without a live session, 403 without the CSRF token on a change or without the role. */
  const guard: Guard = (role) => async (req, reply) => {
    const session = sessions.touch(req.cookies[cookieName]);
    if (!session) return reply.code(401).send({ error: 'NotSignedIn', message: 'Sign in first.' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrf)) {
        return reply.code(403).send({ error: 'CsrfTokenMissing', message: 'The request has no valid X-CSRF-Token header.' });
      }
    }
    if (!roleAtLeast(session.role, role)) {
      return reply.code(403).send({ error: 'Forbidden', message: `This needs the ${role} role; ${session.user} is ${session.role}.` });
    }
    authedOf.set(req, { session, caller: callerFor(req, session.user) });
    return undefined;
  };

  const loginBody = {
    type: 'object', required: ['name', 'password'], additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
  } as const;

  app.post<{ Body: { name: string; password: string } }>('/api/login', { schema: { body: loginBody } }, async (req, reply) => {
    const { name, password } = req.body;
    const keys = [`user:${name.toLowerCase()}`, `address:${req.ip}`];
    const who = callerFor(req, name)('login');
    if (!limiter.attempt(keys)) {
      const locked = limiter.lockedFor(keys);
      auditEvent(opts.projectDir, envSession, 'login', who, new WoosooError('DashboardLoginLocked', 'Too many failed logins: locked.', { category: 'SecurityError' }));
      return reply.code(429).header('retry-after', String(Math.ceil(locked / 1000))).send({ error: 'LoginLocked', message: 'Too many failed logins; try again later.' });
    }
    const user = await authenticate(opts.projectDir, name, password);
    if (!user) {
      auditEvent(opts.projectDir, envSession, 'login', who, new WoosooError('DashboardLoginFailed', 'Wrong user name or password.', { category: 'SecurityError' }));
      return reply.code(401).send({ error: 'LoginFailed', message: 'Wrong user name or password.' });
    }
    limiter.succeed(keys);
    const session = sessions.create(user.name, user.role);
    auditEvent(opts.projectDir, envSession, 'login', callerFor(req, user.name)('login'));
    return reply.setCookie(cookieName, session.id, cookieOptions).send({ user: user.name, role: user.role, csrfToken: session.csrf });
  });

  app.post('/api/logout', { onRequest: guard('viewer') }, async (req, reply) => {
    const a = authed(req);
    sessions.end(a.session.id);
    auditEvent(opts.projectDir, envSession, 'logout', a.caller('logout'));
    return reply.clearCookie(cookieName, cookieOptions).send({ ok: true });
  });

  app.get('/api/session', { onRequest: guard('viewer') }, async (req) => {
    const a = authed(req);
    return { user: a.session.user, role: a.session.role, csrfToken: a.session.csrf };
  });

  registerStatic(app, opts.staticDir);
  await registerRoutes(app, {
    guard, invoke, project: { path: opts.projectDir, ...(opts.environment ? { environment: opts.environment } : {}) },
    sessions, cookieName, secure: opts.secure === true || opts.https !== undefined,
  });
  return app;
}
