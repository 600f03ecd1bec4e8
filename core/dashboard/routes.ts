/**
 * The dashboard's API routes past sign-in (the table of docs/dashboard.md). Each calls the engine's own methods
 * (core/dashboard/invoke.ts), never a second implementation: here the overview (services.get, health.get, deploy.get),
 * the services and their start, stop and restart, the health checks, the configuration (config.get, masked) and the
 * logs (logs.get); the deploys and backups are in routes-deploys.ts, the configuration edit, users and audit trail in
 * routes-admin.ts, the live socket in live.ts. A service name in a URL must be one the configuration knows, exactly (no
 * wildcard, no path): anything else is a 404 before any file is read.
 */
import type { FastifyInstance } from 'fastify';
import { WoosooError } from '../kernel/errors';
import type { DashboardCaller, Invoke } from './invoke';
import { LOG_LEVELS, registerLive } from './live';
import { registerAdminRoutes } from './routes-admin';
import { registerDeployRoutes } from './routes-deploys';
import { authed, type Guard } from './server';
import type { SessionStore } from './sessions';

export interface RouteDeps {
  guard: Guard;
  invoke: Invoke;
  /** The project's path and environment, sent with every method call. */
  project: { path: string; environment?: string };
  sessions: SessionStore;
  cookieName: string;
  /** Served over HTTPS (the live socket's Origin must be https://). */
  secure: boolean;
}

type Part = { items: unknown[]; errors?: unknown[] } | { error: string };

async function part(run: () => Promise<{ items?: unknown[]; errors?: unknown[] }>): Promise<Part> {
  try {
    const r = await run();
    return { items: r.items ?? [], ...(r.errors?.length ? { errors: r.errors } : {}) };
  } catch (err) {
    return { error: err instanceof WoosooError ? err.message : 'failed' };
  }
}

/** A method's items (and its per-item errors), as the routes reply them. */
export function itemsOf(r: { items?: unknown[]; errors?: unknown[] }): { items: unknown[]; errors: unknown[] } {
  return { items: r.items ?? [], errors: r.errors ?? [] };
}

/** The service named in the URL, checked against the configuration's names (exactly: no wildcard); a 404 otherwise. */
export async function knownService(d: Pick<RouteDeps, 'invoke' | 'project'>, name: string, caller: DashboardCaller): Promise<string> {
  const list = (await d.invoke('services.list', { ...d.project }, caller)).value as { Name: string }[];
  const found = Array.isArray(list) ? list.find((s) => s.Name === name) : undefined;
  if (!found) {
    throw new WoosooError('DashboardUnknownService', 'No service of this project has that name.', { category: 'ObjectNotFound' });
  }
  return found.Name;
}

const SERVICE_ACTIONS = ['start', 'stop', 'restart'] as const;

export async function registerRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  const { guard, invoke, project } = d;
  const live = await registerLive(app, d);

  app.get('/api/overview', { onRequest: guard('viewer') }, async (req) => {
    const a = authed(req);
    const c = a.caller('overview');
    const [services, health, lastDeploy] = await Promise.all([
      part(() => invoke('services.get', { ...project, usage: true }, c)),
      part(() => invoke('health.get', { ...project }, c)),
      part(() => invoke('deploy.get', { ...project, last: 1 }, c)),
    ]);
    return { services, health, lastDeploy };
  });

  app.get('/api/services', { onRequest: guard('viewer') }, async (req) => itemsOf(await invoke('services.get', { ...project }, authed(req).caller('services'))));

  for (const action of SERVICE_ACTIONS) {
    app.post<{ Params: { name: string } }>(`/api/services/:name/${action}`, { onRequest: guard('operator') }, async (req) => {
      const c = authed(req).caller(action, { Name: req.params.name });
      const name = await knownService(d, req.params.name, c);
      return itemsOf(await invoke(`services.${action}`, { ...project, names: [name] }, c));
    });
  }

  app.get('/api/health', { onRequest: guard('viewer') }, async (req) => itemsOf(await invoke('health.get', { ...project }, authed(req).caller('health'))));

  app.get('/api/config', { onRequest: guard('viewer') }, async (req) => {
    const a = authed(req);
    const r = await invoke('config.get', { ...project, reveal: false }, a.caller('config'));
    return { config: r.items?.[0] ?? {} };
  });

  const logsQuery = {
    type: 'object', additionalProperties: false,
    properties: {
      tail: { type: 'integer', minimum: 1, maximum: 2000, default: 200 },
      level: { type: 'string', enum: [...LOG_LEVELS] },
      pattern: { type: 'string', maxLength: 500 },
    },
  } as const;
  app.get<{ Params: { service: string }; Querystring: { tail: number; level?: string; pattern?: string } }>(
    '/api/logs/:service', { onRequest: guard('viewer'), schema: { querystring: logsQuery } }, async (req) => {
      const a = authed(req);
      const c = a.caller('logs', { Service: req.params.service });
      const service = await knownService(d, req.params.service, c);
      const { tail, level, pattern } = req.query;
      const r = await invoke('logs.get', { ...project, services: [service], tail, ...(level ? { level } : {}), ...(pattern ? { pattern } : {}) }, c);
      return { items: r.items ?? [] };
    },
  );

  registerDeployRoutes(app, d, live);
  registerAdminRoutes(app, d);
}
