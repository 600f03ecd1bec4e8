/**
 * The dashboard's deploy and backup routes, each on the engine's own methods: history (deploy.get), a deployment's
 * report, a deploy run in the background with its steps on the live socket (deploy.run), undo (deploy.undo), the
 * backups (backup.list), their verification (backup.test) and a restore (backup.restore). An id in a URL is never
 * a path: it must be, exactly, the id of a deployment or backup the engine lists, or the reply is 404 before any file
 * is opened; the report read is the one the deployment's journal names.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { WoosooError } from '../kernel/errors';
import { redact, redactDeep } from '../util/redact';
import type { DashboardCaller } from './invoke';
import type { Live } from './live';
import { itemsOf, type RouteDeps } from './routes';
import { authed } from './server';

type Item = Record<string, unknown>;

const lastQuery = {
  type: 'object', additionalProperties: false, properties: { last: { type: 'integer', minimum: 1, maximum: 500, default: 20 } },
} as const;

/** The listed item whose Id is exactly `id` (the list is the engine's), or a 404. */
async function known(d: RouteDeps, method: 'deploy.get' | 'backup.list', id: string, caller: DashboardCaller): Promise<Item> {
  const items = ((await d.invoke(method, { ...d.project }, caller)).items ?? []) as Item[];
  const found = items.find((i) => i.Id === id);
  if (!found) {
    throw new WoosooError('DashboardUnknownId', `No ${method === 'deploy.get' ? 'deployment' : 'backup'} of this project has that id.`, { category: 'ObjectNotFound' });
  }
  return found;
}

export function registerDeployRoutes(app: FastifyInstance, d: RouteDeps, live: Live): void {
  const { guard, invoke, project } = d;

  app.get<{ Querystring: { last: number } }>('/api/deploys', { onRequest: guard('viewer'), schema: { querystring: lastQuery } }, async (req) =>
    itemsOf(await invoke('deploy.get', { ...project, last: req.query.last }, authed(req).caller('deploys'))));

  app.get<{ Params: { id: string } }>('/api/deploys/:id/report', { onRequest: guard('viewer') }, async (req) => {
    const deployment = await known(d, 'deploy.get', req.params.id, authed(req).caller('deploy report', { Id: req.params.id }));
    const file = typeof deployment.JsonReportPath === 'string' ? deployment.JsonReportPath : '';
    let report: unknown = null;
    if (file) {
      try {
        report = redactDeep(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        report = null; // not written (the deploy died before its report) or unreadable: the deployment still shows
      }
    }
    return { deployment, report };
  });

  /** The deploy started from the web that is running, if any: one at a time. */
  let running: string | undefined;
  let runs = 0;
  app.post<{ Body: { skipBuild?: unknown } | undefined }>('/api/deploys', { onRequest: guard('operator') }, async (req, reply) => {
    if (running) {
      return reply.code(409).send({ error: 'DeployRunning', message: `A deploy started from the dashboard (${running}) is still running.`, fix: 'Wait for its end.' });
    }
    const skipBuild = req.body?.skipBuild === true;
    const id = `web-${Date.now().toString(36)}-${++runs}`;
    running = id;
    const c = authed(req).caller('deploy', { SkipBuild: skipBuild });
    const onItem = (items: unknown[]) => {
      for (const step of items as Item[]) if (step.$type === 'DeployStep') live.broadcast({ type: 'deploy.step', id, step });
    };
    void invoke('deploy.run', { ...project, skipBuild }, c, { onItem })
      .then((r) => live.broadcast({ type: 'deploy.end', id, deployment: (r.items as Item[] | undefined)?.find((i) => i.$type === 'Deployment') ?? null }))
      .catch((err: unknown) => live.broadcast({
        type: 'deploy.end', id, error: err instanceof WoosooError ? redact(err.message) : 'The deploy failed; see the dashboard\'s log.',
        ...(err instanceof WoosooError ? { errorId: err.errorId } : {}),
      }))
      .finally(() => {
        running = undefined;
      });
    return reply.code(202).send({ id });
  });

  app.post<{ Params: { id: string } }>('/api/deploys/:id/undo', { onRequest: guard('operator') }, async (req) => {
    const c = authed(req).caller('undo', { Id: req.params.id });
    const deployment = await known(d, 'deploy.get', req.params.id, c);
    return itemsOf(await invoke('deploy.undo', { ...project, id: deployment.Id }, c));
  });

  app.get('/api/backups', { onRequest: guard('viewer') }, async (req) => itemsOf(await invoke('backup.list', { ...project }, authed(req).caller('backups'))));

  app.post<{ Params: { id: string } }>('/api/backups/:id/test', { onRequest: guard('operator') }, async (req) => {
    const c = authed(req).caller('verify backup', { Id: req.params.id });
    const backup = await known(d, 'backup.list', req.params.id, c);
    return itemsOf(await invoke('backup.test', { ...project, ids: [backup.Id] }, c));
  });

  app.post<{ Params: { id: string }; Body: { skipDatabase?: unknown } | undefined }>('/api/backups/:id/restore', { onRequest: guard('admin') }, async (req) => {
    const skipDatabase = req.body?.skipDatabase === true;
    const c = authed(req).caller('restore', { Id: req.params.id, SkipDatabase: skipDatabase });
    const backup = await known(d, 'backup.list', req.params.id, c);
    return itemsOf(await invoke('backup.restore', { ...project, id: backup.Id, skipDatabase }, c));
  });
}
