/**
 * The dashboard's live data: a WebSocket at /api/live (@fastify/websocket). The upgrade request passes the same
 * checks as every API route (Host allow-list, session cookie: 401 refuses it) and one more: its Origin must be this
 * server's own, or it is refused with 403 (a page of another site cannot open a socket with the user's cookie:
 * Cross-Site WebSocket Hijacking). What it sends (docs/dashboard.md, Live updates):
 * - the services (services.get, polled at most POLL_MS apart, and only while a client is connected), when a status,
 *   process id, restart count or exit code changed, or (every USAGE_EVERY polls, asked with usage) a CPU or memory
 *   figure; between those the last figures of the same process are kept;
 * - the entries of a log the client follows (logs.get with wait, the engine's own follow), until it unfollows or
 *   closes (the follow is cancelled);
 * - the steps and the end of a deploy started from the web (broadcast by routes-deploys.ts).
 * Everything sent comes from the engine's methods, masked as the RPC results are. A session's end (logout, expiry,
 * its user replaced or removed) closes its sockets.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { RpcCode, WoosooError } from '../kernel/errors';
import { redact } from '../util/redact';
import type { DashboardCaller } from './invoke';
import { knownService, type RouteDeps } from './routes';
import { authed } from './server';
import type { Session } from './sessions';

/** How often the services are asked while a client is connected (a change reaches the page well under 500 ms). */
export const POLL_MS = 200;
/** Every how many polls the services are asked with their CPU and memory (the process list: ~2 s apart). */
const USAGE_EVERY = 10;
/** A client that reads nothing while this much waits to be sent is dropped rather than buffered without end. */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** Close codes: the session ended (the page signs in again); the client sent too much. */
export const CLOSE_SESSION_ENDED = 4401;

/** logs.get's levels (the log route and the socket check them before the engine does). */
export const LOG_LEVELS = ['Error', 'Warning', 'Info', 'Debug'] as const;

export type LiveMessage = Record<string, unknown> & { type: string };

export interface Live {
  /** Sends a message to every connected client. */
  broadcast(msg: LiveMessage): void;
}

interface Client {
  socket: WebSocket;
  session: Session;
  caller: (action: string, parameters?: Record<string, unknown>) => DashboardCaller;
  follow?: AbortController;
}

const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('follow'),
    service: z.string().min(1).max(200),
    level: z.enum(LOG_LEVELS).optional(),
    pattern: z.string().max(500).optional(),
    tail: z.number().int().min(0).max(2000).optional(),
  }).strict(),
  z.object({ type: z.literal('unfollow') }).strict(),
]);

/** What a services poll compares: a change of any of these is pushed (not the uptime, which changes every second). */
function signature(items: unknown[]): string {
  return JSON.stringify(items.map((i) => {
    const s = i as Record<string, unknown>;
    return [s.Name, s.Status, s.ProcessId, s.Restarts, s.LastExitCode, s.CpuPercent, s.MemoryBytes];
  }));
}

/** The items of a poll without usage, given the usage last read for the same service and process. */
function keepUsage(items: unknown[], before: unknown[] | undefined): unknown[] {
  const known = new Map((before ?? []).map((i) => {
    const s = i as Record<string, unknown>;
    return [`${s.Name}/${s.ProcessId}`, s];
  }));
  return items.map((i) => {
    const s = i as Record<string, unknown>;
    const k = known.get(`${s.Name}/${s.ProcessId}`);
    return k && s.Status === 'Running' ? { ...s, CpuPercent: k.CpuPercent ?? null, MemoryBytes: k.MemoryBytes ?? null } : s;
  });
}

function send(c: Client, msg: LiveMessage): void {
  if (c.socket.readyState !== c.socket.OPEN) return;
  if (c.socket.bufferedAmount > MAX_BUFFERED) {
    c.socket.close(1008, 'Too slow: reload the page.');
    return;
  }
  c.socket.send(JSON.stringify(msg));
}

const cancelled = () => new WoosooError('Cancelled', 'The follow ended (unfollowed, or the socket closed).', { category: 'OperationStopped', code: RpcCode.RequestCancelled });
const errorText = (err: unknown) => (err instanceof WoosooError ? redact(err.message) : 'The dashboard failed; see its log.');

export async function registerLive(app: FastifyInstance, d: RouteDeps): Promise<Live> {
  await app.register(websocket, { options: { maxPayload: 4096 } });
  const clients = new Set<Client>();
  const poller: DashboardCaller = { user: '(dashboard)', action: 'live services', address: '' };
  let last: { sig: string; items: unknown[] } | undefined;
  let polling = false;

  const broadcast = (msg: LiveMessage) => {
    for (const c of clients) send(c, msg);
  };

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      for (let round = 0; clients.size > 0; round++) {
        const started = Date.now();
        for (const c of clients) if (!d.sessions.alive(c.session.id)) c.socket.close(CLOSE_SESSION_ENDED, 'Session ended.');
        try {
          const usage = round % USAGE_EVERY === 0;
          const r = await d.invoke('services.get', { ...d.project, ...(usage ? { usage } : {}) }, poller, { quiet: true });
          const items = usage ? r.items ?? [] : keepUsage(r.items ?? [], last?.items);
          const sig = signature(items);
          if (sig !== last?.sig) {
            last = { sig, items };
            broadcast({ type: 'services', items, ...(r.errors?.length ? { errors: r.errors } : {}) });
          }
        } catch (err) {
          const sig = `error:${errorText(err)}`;
          if (sig !== last?.sig) {
            last = { sig, items: [] };
            broadcast({ type: 'services', items: [], error: errorText(err) });
          }
        }
        const wait = POLL_MS - (Date.now() - started);
        if (wait > 0 && clients.size > 0) await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      polling = false;
      last = undefined; // a client connecting later gets fresh data
    }
  }

  async function follow(c: Client, m: { service: string; level?: string; pattern?: string; tail?: number }): Promise<void> {
    c.follow?.abort(cancelled());
    const ctl = new AbortController();
    c.follow = ctl;
    const caller = c.caller('follow logs', { Service: m.service });
    try {
      const service = await knownService(d, m.service, caller);
      if (ctl.signal.aborted) return;
      const params = {
        ...d.project, services: [service], tail: m.tail ?? 0, wait: true,
        ...(m.level ? { level: m.level } : {}), ...(m.pattern ? { pattern: m.pattern } : {}),
      };
      const running = d.invoke('logs.get', params, caller, {
        signal: ctl.signal,
        onItem: (items) => {
          for (const entry of items) send(c, { type: 'log', service, entry });
        },
      });
      // logs.get has taken its snapshot of the files by now (synchronously, once its definition resolved): whatever is
      // written from here on is sent. The page may show "following" from this message.
      setImmediate(() => {
        if (!ctl.signal.aborted) send(c, { type: 'following', service });
      });
      await running;
    } catch (err) {
      if (!ctl.signal.aborted) send(c, { type: 'error', error: err instanceof WoosooError ? err.errorId : 'InternalError', message: errorText(err) });
    }
  }

  function onMessage(c: Client, data: Buffer): void {
    // A message is activity: it keeps the session from going idle; an ended session closes the socket.
    if (!d.sessions.touch(c.session.id)) {
      c.socket.close(CLOSE_SESSION_ENDED, 'Session ended.');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const m = clientMessage.safeParse(parsed);
    if (!m.success) {
      send(c, { type: 'error', error: 'BadMessage', message: 'Send {"type":"follow","service":...,"level"?,"pattern"?,"tail"?} or {"type":"unfollow"}.' });
      return;
    }
    if (m.data.type === 'unfollow') {
      c.follow?.abort(cancelled());
      c.follow = undefined;
      return;
    }
    void follow(c, m.data);
  }

  /** The socket must come from a page of this server: its Origin is this scheme and Host, exactly. */
  const sameOrigin = async (req: FastifyRequest, reply: FastifyReply) => {
    const own = `${d.secure ? 'https' : 'http'}://${req.headers.host ?? ''}`.toLowerCase();
    if ((req.headers.origin ?? '').toLowerCase() !== own) {
      return reply.code(403).send({ error: 'ForeignOrigin', message: 'The live connection must come from a page of this dashboard.' });
    }
    return undefined;
  };

  // A refused upgrade (401, 403, 421) ends its connection: the raw socket is not left open waiting for another request.
  app.addHook('onResponse', async (req) => {
    if (req.headers.upgrade) req.raw.socket?.destroy();
  });

  app.get('/api/live', { onRequest: [d.guard('viewer'), sameOrigin], websocket: true }, (socket, req) => {
    const a = authed(req);
    const c: Client = { socket, session: a.session, caller: a.caller };
    clients.add(c);
    socket.on('message', (data: Buffer) => onMessage(c, data));
    socket.on('close', () => {
      c.follow?.abort(cancelled());
      clients.delete(c);
    });
    send(c, { type: 'hello', user: a.session.user, role: a.session.role });
    if (last) send(c, { type: 'services', items: last.items });
    void poll();
  });

  d.sessions.onEnd((s) => {
    for (const c of clients) if (c.session.id === s.id) c.socket.close(CLOSE_SESSION_ENDED, 'Session ended.');
  });
  app.addHook('onClose', async () => {
    for (const c of clients) c.follow?.abort(cancelled());
    clients.clear();
  });
  return { broadcast };
}
