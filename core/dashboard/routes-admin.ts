/**
 * The dashboard's admin routes, each on the engine's own methods: a configuration change (config.set: the same
 * validation as Set-WoosooConfig, one refused value writes nothing), the users (dashboard.userList, userNew,
 * userRemove) and the audit trail (audit.get). Replacing or removing a user ends that user's sessions at once, and
 * with them their live sockets.
 */
import type { FastifyInstance } from 'fastify';
import { ROLES } from './users';
import { itemsOf, type RouteDeps } from './routes';
import { authed } from './server';

const configBody = {
  type: 'object', required: ['key', 'value'], additionalProperties: false,
  properties: { key: { type: 'string', minLength: 1, maxLength: 200 }, value: { type: 'string', maxLength: 10_000 } },
} as const;

const userBody = {
  type: 'object', required: ['name', 'role', 'password'], additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 }, role: { type: 'string', enum: [...ROLES] },
    password: { type: 'string', minLength: 1, maxLength: 1024 }, force: { type: 'boolean' },
  },
} as const;

const auditQuery = {
  type: 'object', additionalProperties: false, properties: { last: { type: 'integer', minimum: 1, maximum: 5000, default: 100 } },
} as const;

export function registerAdminRoutes(app: FastifyInstance, d: RouteDeps): void {
  const { guard, invoke, project } = d;

  app.put<{ Body: { key: string; value: string } }>('/api/config', { onRequest: guard('admin'), schema: { body: configBody } }, async (req) => {
    const { key, value } = req.body;
    // The value is not in the audit line's parameters: it may be a secret (the change's diff, masked, is the result).
    return itemsOf(await invoke('config.set', { ...project, name: key, value }, authed(req).caller('set config', { Name: key })));
  });

  app.get('/api/users', { onRequest: guard('admin') }, async (req) => itemsOf(await invoke('dashboard.userList', { ...project }, authed(req).caller('users'))));

  app.post<{ Body: { name: string; role: string; password: string; force?: boolean } }>('/api/users', { onRequest: guard('admin'), schema: { body: userBody } }, async (req, reply) => {
    const a = authed(req);
    const { name, role, password, force = false } = req.body;
    const r = await invoke('dashboard.userNew', { ...project, name, role, password, force }, a.caller('new user', { Name: name, Role: role, Force: force }));
    const user = r.items?.[0] as { Name: string; Replaced: boolean } | undefined;
    if (user?.Replaced) d.sessions.endUser(user.Name); // a new password or role: sign in again
    return reply.code(201).send({ user });
  });

  app.delete<{ Params: { name: string } }>('/api/users/:name', { onRequest: guard('admin') }, async (req) => {
    const r = await invoke('dashboard.userRemove', { ...project, name: req.params.name }, authed(req).caller('remove user', { Name: req.params.name }));
    const user = r.items?.[0] as { Name: string } | undefined;
    if (user) d.sessions.endUser(user.Name);
    return { user };
  });

  app.get<{ Querystring: { last: number } }>('/api/audit', { onRequest: guard('admin'), schema: { querystring: auditQuery } }, async (req) => {
    const r = await invoke('audit.get', { ...project }, authed(req).caller('audit'));
    return { items: (r.items ?? []).slice(-req.query.last).reverse() };
  });
}
