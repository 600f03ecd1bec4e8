/**
 * bench/lib/poller.mjs: the availability poller the deploy benchmarks run during a deploy, against a real node:http
 * server and a real ws WebSocketServer speaking enough of the Pusher protocol (connection_established, ping/pong).
 * Timing bounds are loose on purpose: the suite runs on a busy 2-core machine.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { formatSummary, startPoller, type Poller } from '../../bench/lib/poller.mjs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An HTTP server answering `handle` (200 by default); close() refuses connections, listen() takes the same port again. */
async function httpServer(handle?: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const state = { status: 200, requests: 0 };
  const server = createServer((req, res) => {
    const n = state.requests++;
    if (handle) return handle(req, res, n);
    res.writeHead(state.status, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((r) => {
    if (!server.listening) return r();
    server.close(() => r());
    server.closeAllConnections();
  });
  cleanups.push(close);
  return {
    state, close, url: `http://127.0.0.1:${port}/`,
    listen: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    connections: () => new Promise<number>((r) => server.getConnections((_e, n) => r(n))),
  };
}

/** A Pusher-like WebSocket server; down() drops every client and stops listening, up() listens on the same port again. */
async function pusherServer() {
  const pongs: unknown[] = [];
  let wss: WebSocketServer | null = null;
  let port = 0;
  const up = async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    server.on('connection', (sock) => {
      sock.on('message', (data) => {
        const msg = JSON.parse(String(data));
        if (msg.event === 'pusher:pong') pongs.push(msg);
      });
      const data = JSON.stringify({ socket_id: '123.456', activity_timeout: 30 });
      sock.send(JSON.stringify({ event: 'pusher:connection_established', data }));
    });
    wss = server;
  };
  const down = async () => {
    const server = wss;
    if (!server) return;
    wss = null;
    for (const c of server.clients) c.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  };
  await up();
  cleanups.push(down);
  return {
    url: `ws://127.0.0.1:${port}/app/test-key?protocol=7&client=js&version=8.4.0&flash=false`,
    pongs, up, down,
    clients: () => wss?.clients.size ?? 0,
    ping: () => wss?.clients.forEach((c) => c.send(JSON.stringify({ event: 'pusher:ping', data: {} }))),
  };
}

function poll(options: Parameters<typeof startPoller>[0]): { poller: Poller; now: () => number } {
  const t0 = performance.now();
  const poller = startPoller(options);
  cleanups.push(() => poller.stop());
  // In the poller's time or a little after it (the poller's clock starts a moment later).
  return { poller, now: () => performance.now() - t0 };
}

describe('startPoller', () => {
  it('with everything up: no failures, about one request per interval, one WebSocket connect, pings answered', async () => {
    const web = await httpServer();
    const ws = await pusherServer();
    const { poller } = poll({ url: web.url, intervalMs: 50, ws: { url: ws.url } });
    await waitFor('the WebSocket connect', () => poller.snapshot().ws!.connects === 1);
    ws.ping();
    await waitFor('the pong', () => ws.pongs.length === 1);
    expect(ws.pongs[0]).toEqual({ event: 'pusher:pong', data: {} });
    await sleep(1_000);
    const s = await poller.stop();
    expect(s.failed).toBe(0);
    expect(s.failures).toEqual([]);
    expect(s.ok).toBe(s.requests);
    expect(s.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(s.requests).toBeGreaterThanOrEqual(Math.floor(s.durationMs / 50 / 3));
    expect(s.requests).toBeLessThanOrEqual(Math.floor(s.durationMs / 50) + 2);
    expect(web.state.requests).toBe(s.requests);
    expect([s.errorWindowMs, s.longestErrorRunMs]).toEqual([0, 0]);
    expect(s.ws).toEqual({ connects: 1, outages: [], maxReconnectMs: 0 });
    expect(formatSummary(s)).toBe(`HTTP ${s.requests} requests, 0 failed; WebSocket 0 outages`);
    // Nothing left open: every request had its own connection, and the WebSocket is closed.
    await waitFor('the HTTP connections to close', async () => (await web.connections()) === 0, 2_000);
    await waitFor('the WebSocket to close', () => ws.clients() === 0, 2_000);
    expect(poller.snapshot()).toEqual(s);
  });

  it('counts the 502 answers of a window, with their reason and the window\'s span', async () => {
    const web = await httpServer();
    const { poller, now } = poll({ url: web.url, intervalMs: 50 });
    await sleep(300);
    expect(poller.snapshot().failed).toBe(0);
    web.state.status = 502;
    const from = now();
    await sleep(600);
    web.state.status = 200;
    const to = now();
    await sleep(500);
    const s = await poller.stop();
    expect(s.failed).toBeGreaterThanOrEqual(3);
    expect(s.ok).toBeGreaterThanOrEqual(5);
    expect(s.failures.length).toBe(Math.min(s.failed, 50));
    expect(new Set(s.failures.map((f) => f.reason))).toEqual(new Set(['status 502']));
    expect(s.reasons).toEqual({ 'status 502': s.failed });
    for (const f of s.failures) {
      expect(f.at).toBeGreaterThanOrEqual(from - 200); // sent at most a little before the switch
      expect(f.at).toBeLessThanOrEqual(to);
    }
    expect(s.errorWindowMs).toBeGreaterThanOrEqual(200);
    expect(s.errorWindowMs).toBeLessThanOrEqual(to - from + 200);
    expect(s.longestErrorRunMs).toBeGreaterThan(0);
    expect(s.longestErrorRunMs).toBeLessThanOrEqual(Math.max(s.errorWindowMs, 50));
    expect(formatSummary(s)).toMatch(new RegExp(`^HTTP ${s.requests} requests, ${s.failed} failed \\(error window ${s.errorWindowMs} ms, longest run ${s.longestErrorRunMs} ms\\)\\n  failures: status 502 x${s.failed}$`));
  });

  it('ends a failure run at a success: the longest run is shorter than the error window', async () => {
    // Requests 5 and 10..14 fail: an isolated failure, then a run of five.
    const failing = new Set([5, 10, 11, 12, 13, 14]);
    const web = await httpServer((_req, res, n) => res.writeHead(failing.has(n) ? 503 : 204).end());
    const { poller } = poll({ url: web.url, intervalMs: 50 });
    await waitFor('20 requests', () => poller.snapshot().requests >= 20);
    const s = await poller.stop();
    expect(s.failed).toBe(6);
    expect(s.reasons).toEqual({ 'status 503': 6 });
    const [single, ...run] = s.failures.map((f) => f.at);
    expect(s.errorWindowMs).toBe(run[4] - single);
    expect(s.longestErrorRunMs).toBe(run[4] - run[0]);
    expect(s.longestErrorRunMs).toBeGreaterThanOrEqual(100); // four intervals, nominally 200 ms
    expect(s.longestErrorRunMs).toBeLessThan(s.errorWindowMs);
  });

  it('records ECONNREFUSED while the server is down, and successes once it listens again on the port', async () => {
    const web = await httpServer();
    const { poller, now } = poll({ url: web.url, intervalMs: 50 });
    await sleep(300);
    await web.close();
    const from = now();
    await sleep(500);
    await web.listen();
    const back = poller.snapshot();
    await sleep(500);
    const s = await poller.stop();
    expect(s.reasons.ECONNREFUSED).toBeGreaterThanOrEqual(3);
    expect(s.failures.some((f) => f.reason === 'ECONNREFUSED' && f.at >= from - 50)).toBe(true);
    // A request in flight at the close may have its connection reset; nothing else.
    for (const reason of Object.keys(s.reasons)) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(reason);
    expect(s.ok).toBeGreaterThan(back.ok);
    expect(s.errorWindowMs).toBeGreaterThanOrEqual(200);
    expect(s.ws).toBeNull();
  });

  it('records one WebSocket outage, from the drop to the next connection_established', async () => {
    const web = await httpServer();
    const ws = await pusherServer();
    const { poller } = poll({ url: web.url, intervalMs: 50, ws: { url: ws.url } });
    await waitFor('the WebSocket connect', () => poller.snapshot().ws!.connects === 1);
    await ws.down();
    await sleep(150);
    const during = poller.snapshot().ws!;
    expect(during.connects).toBe(1);
    expect(during.outages).toHaveLength(1);
    expect(during.outages[0].backAt).toBeNull();
    await sleep(200); // refused for 350 ms in all
    await ws.up();
    await waitFor('the reconnect', () => poller.snapshot().ws!.connects === 2);
    const s = await poller.stop();
    expect(s.ws!.connects).toBe(2);
    expect(s.ws!.outages).toHaveLength(1);
    const [o] = s.ws!.outages;
    expect(o.backAt).not.toBeNull();
    expect(o.ms).toBe(o.backAt! - o.lostAt);
    expect(o.ms).toBeGreaterThanOrEqual(250);
    expect(o.ms).toBeLessThanOrEqual(2_000);
    expect(s.ws!.maxReconnectMs).toBe(o.ms);
    expect(s.failed).toBe(0);
    expect(formatSummary(s)).toBe(`HTTP ${s.requests} requests, 0 failed; WebSocket 1 outage, reconnect ${o.ms} ms`);
    await waitFor('the WebSocket to close', () => ws.clients() === 0, 2_000);
  });

  it('counts an outage still open at stop() up to the stop', async () => {
    const web = await httpServer();
    const ws = await pusherServer();
    const { poller } = poll({ url: web.url, intervalMs: 50, ws: { url: ws.url } });
    await waitFor('the WebSocket connect', () => poller.snapshot().ws!.connects === 1);
    await ws.down();
    await sleep(400);
    const s = await poller.stop();
    expect(s.ws!.connects).toBe(1);
    expect(s.ws!.outages).toHaveLength(1);
    const [o] = s.ws!.outages;
    expect(o.backAt).toBeNull();
    expect(o.ms).toBe(s.durationMs - o.lostAt);
    expect(o.ms).toBeGreaterThanOrEqual(350);
    expect(formatSummary(s)).toContain(`WebSocket 1 outage, reconnect ${o.ms} ms (still down at stop)`);
  });

  it('fails requests that get no answer within timeoutMs, and ticks beyond maxInFlight as backlog', async () => {
    const web = await httpServer(() => {}); // never answers
    const { poller } = poll({ url: web.url, intervalMs: 20, timeoutMs: 300, maxInFlight: 5 });
    await sleep(700);
    const t = performance.now();
    const s = await poller.stop();
    expect(performance.now() - t).toBeLessThan(2_000); // the ones in flight end by their timeout
    expect(s.ok).toBe(0);
    expect(s.failed).toBe(s.requests);
    expect(s.reasons.ETIMEDOUT).toBeGreaterThanOrEqual(5);
    expect(s.reasons.backlog).toBeGreaterThanOrEqual(1);
    expect(Object.keys(s.reasons).sort()).toEqual(['ETIMEDOUT', 'backlog']);
    expect(s.failures).toHaveLength(Math.min(s.failed, 50));
    await waitFor('the HTTP connections to close', async () => (await web.connections()) === 0, 2_000);
  });
});
