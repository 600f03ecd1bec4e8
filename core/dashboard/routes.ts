/**
 * The dashboard's API routes past sign-in. Each calls the engine's own methods (core/dashboard/invoke.ts), never a
 * second implementation: the overview is services.get, health.get and deploy.get; a restart is services.restart; the
 * configuration is config.get (masked); logs are logs.get; a new user is dashboard.userNew. A service name in a URL
 * must be one the configuration knows, exactly (no wildcard, no path): anything else is a 404 before any file is read.
 */
import type { FastifyInstance } from 'fastify';
import { WoosooError } from '../kernel/errors';
import type { Invoke } from './invoke';
import { authed, type Guard } from './server';
import { ROLES } from './users';

export interface RouteDeps {
  guard: Guard;
  invoke: Invoke;
  /** The project's path and environment, sent with every method call. */
  project: { path: string; environment?: string };
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

export function registerRoutes(app: FastifyInstance, d: RouteDeps): void {
  const { guard, invoke, project } = d;

  /** The service named in the URL, checked against the configuration's names; a 404 otherwise. */
  async function knownService(name: string, caller: Parameters<Invoke>[2]): Promise<string> {
    const list = (await invoke('services.list', { ...project }, caller)).value as { Name: string }[];
    const found = Array.isArray(list) ? list.find((s) => s.Name === name) : undefined;
    if (!found) {
      throw new WoosooError('DashboardUnknownService', 'No service of this project has that name.', { category: 'ObjectNotFound' });
    }
    return found.Name;
  }

  app.get('/api/overview', { onRequest: guard('viewer') }, async (req) => {
    const a = authed(req);
    const c = a.caller('overview');
    const [services, health, lastDeploy] = await Promise.all([
      part(() => invoke('services.get', { ...project }, c)),
      part(() => invoke('health.get', { ...project }, c)),
      part(() => invoke('deploy.get', { ...project, last: 1 }, c)),
    ]);
    return { services, health, lastDeploy };
  });

  app.post<{ Params: { name: string } }>('/api/services/:name/restart', { onRequest: guard('operator') }, async (req) => {
    const a = authed(req);
    const c = a.caller('restart', { Name: req.params.name });
    const name = await knownService(req.params.name, c);
    const r = await invoke('services.restart', { ...project, names: [name] }, c);
    return { items: r.items ?? [], errors: r.errors ?? [] };
  });

  app.get('/api/config', { onRequest: guard('viewer') }, async (req) => {
    const a = authed(req);
    const r = await invoke('config.get', { ...project, reveal: false }, a.caller('config'));
    return { config: r.items?.[0] ?? {} };
  });

  const logsQuery = {
    type: 'object', additionalProperties: false,
    properties: {
      tail: { type: 'integer', minimum: 1, maximum: 2000, default: 200 },
      level: { type: 'string', enum: ['Error', 'Warning', 'Info', 'Debug'] },
      pattern: { type: 'string', maxLength: 500 },
    },
  } as const;
  app.get<{ Params: { service: string }; Querystring: { tail: number; level?: string; pattern?: string } }>(
    '/api/logs/:service', { onRequest: guard('viewer'), schema: { querystring: logsQuery } }, async (req) => {
      const a = authed(req);
      const c = a.caller('logs', { Service: req.params.service });
      const service = await knownService(req.params.service, c);
      const { tail, level, pattern } = req.query;
      const r = await invoke('logs.get', { ...project, services: [service], tail, ...(level ? { level } : {}), ...(pattern ? { pattern } : {}) }, c);
      return { items: r.items ?? [] };
    },
  );

  const userBody = {
    type: 'object', required: ['name', 'role', 'password'], additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, role: { type: 'string', enum: [...ROLES] }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
  } as const;
  app.post<{ Body: { name: string; role: string; password: string } }>('/api/users', { onRequest: guard('admin'), schema: { body: userBody } }, async (req, reply) => {
    const a = authed(req);
    const { name, role, password } = req.body;
    const r = await invoke('dashboard.userNew', { ...project, name, role, password }, a.caller('new user', { Name: name, Role: role }));
    return reply.code(201).send({ user: r.items?.[0] });
  });
}
