// Availability poller for the deploy benchmarks: while a deploy runs, it sends a GET every intervalMs (each on its own
// connection, as a browser would) and, optionally, keeps a Pusher-protocol WebSocket connected (as Laravel Echo would),
// recording every failed request and every WebSocket outage. Imported by bench/*.mjs and by tests/unit/poller.test.ts
// (types in poller.d.mts).
import http from 'node:http';
import https from 'node:https';
import WebSocket from 'ws';

/**
 * @typedef {{ at: number, reason: string }} Failure  at: ms since start when the request was sent; reason: 'status 502',
 *   an error code (ECONNREFUSED, ECONNRESET), 'ETIMEDOUT' (no full answer within timeoutMs) or 'backlog' (not sent:
 *   maxInFlight requests were still waiting).
 * @typedef {{ lostAt: number, backAt: number | null, ms: number }} Outage  backAt null: still down at stop().
 * @typedef {{ connects: number, outages: Outage[], maxReconnectMs: number }} WsSummary
 * @typedef {{ requests: number, ok: number, failed: number, failures: Failure[], reasons: Record<string, number>,
 *   errorWindowMs: number, longestErrorRunMs: number, durationMs: number, ws: WsSummary | null }} Summary
 * @typedef {{ url: string, intervalMs?: number, timeoutMs?: number, maxInFlight?: number, ws?: { url: string } }} PollerOptions
 * @typedef {{ stop(): Promise<Summary>, snapshot(): Summary }} Poller
 */

const MAX_FAILURES = 50;
const WS_RETRY_MS = 100;

/** @param {unknown} e */
const errorCode = (e) => {
  const err = /** @type {{ code?: string, errors?: { code?: string }[], message?: string }} */ (e);
  return err.code ?? err.errors?.[0]?.code ?? err.message ?? String(e);
};

/**
 * Starts polling at once. Requests (settled ones; a request still in flight is counted when it ends) are ordered by the
 * time they were sent, so a failure run is consecutive sent requests that all failed.
 * @param {PollerOptions} options
 * @returns {Poller}
 */
export function startPoller({ url, intervalMs = 50, timeoutMs = 2000, maxInFlight = 20, ws }) {
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const get = new URL(url).protocol === 'https:' ? https.get : http.get;
  /** @type {{ at: number, ok: boolean | null, reason: string }[]} every request, in the order sent */
  const records = [];
  /** @type {Map<import('node:http').ClientRequest, (reason: string) => void>} in flight, with their finish */
  const active = new Map();
  /** @type {(() => void) | null} */
  let onIdle = null;
  /** @type {number | null} */
  let endAt = null;

  function tick() {
    const rec = { at: now(), ok: /** @type {boolean | null} */ (null), reason: '' };
    records.push(rec);
    if (active.size >= maxInFlight) {
      rec.ok = false;
      rec.reason = 'backlog';
      return;
    }
    /** @param {string} reason '' when the request succeeded */
    const finish = (reason) => {
      if (rec.ok !== null) return;
      rec.ok = !reason;
      rec.reason = reason;
      clearTimeout(timer);
      active.delete(req);
      if (active.size === 0 && onIdle) onIdle();
    };
    const req = get(url, { agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const reason = status >= 200 && status < 300 ? '' : `status ${status}`;
      res.on('end', () => finish(reason));
      res.on('error', (e) => finish(errorCode(e)));
      res.on('close', () => finish(res.complete ? reason : 'ECONNRESET'));
      res.resume();
    });
    req.on('error', (e) => finish(errorCode(e)));
    const timer = setTimeout(() => {
      finish('ETIMEDOUT');
      req.destroy();
    }, timeoutMs);
    active.set(req, finish);
  }

  const interval = setInterval(tick, intervalMs);
  tick();
  const socket = ws ? startWsClient(ws.url, timeoutMs, now) : null;

  /** @param {number} at */
  function summarize(at) {
    let [ok, failed, longest] = [0, 0, 0];
    /** @type {[number | null, number | null, number | null]} */
    let [first, last, runStart] = [null, null, null];
    /** @type {Failure[]} */ const failures = [];
    /** @type {Record<string, number>} */ const reasons = {};
    const endRun = () => {
      if (runStart !== null && last !== null) longest = Math.max(longest, last - runStart, intervalMs);
      runStart = null;
    };
    for (const r of records) {
      if (r.ok === null) continue;
      if (r.ok) {
        ok++;
        endRun();
        continue;
      }
      failed++;
      reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
      if (failures.length < MAX_FAILURES) failures.push({ at: r.at, reason: r.reason });
      first ??= r.at;
      runStart ??= r.at;
      last = r.at;
    }
    endRun();
    const errorWindowMs = first !== null && last !== null ? last - first : 0;
    return {
      requests: ok + failed, ok, failed, failures, reasons, errorWindowMs, longestErrorRunMs: longest, durationMs: at,
      ws: socket ? socket.summary(at) : null,
    };
  }

  /** @type {Promise<Summary> | null} */
  let stopping = null;
  return {
    snapshot: () => summarize(endAt ?? now()),
    stop() {
      stopping ??= (async () => {
        clearInterval(interval);
        const at = now();
        endAt = at;
        const closed = socket ? socket.stop(at) : Promise.resolve();
        if (active.size > 0) {
          // Every request ends by its own timer within timeoutMs; this one is only a guard.
          await new Promise((resolve) => {
            const guard = setTimeout(() => {
              for (const [req, finish] of active) {
                finish('ETIMEDOUT');
                req.destroy();
              }
              resolve(undefined);
            }, timeoutMs + 100);
            onIdle = () => {
              clearTimeout(guard);
              resolve(undefined);
            };
          });
        }
        await closed;
        return summarize(at);
      })();
      return stopping;
    },
  };
}

/**
 * A Pusher-protocol client that stays connected: connected on pusher:connection_established, answers pusher:ping;
 * after a close or error it reconnects at once, then every WS_RETRY_MS, and records the time it was down.
 * @param {string} url
 * @param {number} timeoutMs  for the handshake and for connection_established
 * @param {() => number} now
 */
function startWsClient(url, timeoutMs, now) {
  /** @type {WebSocket | null} */ let sock = null;
  let [connected, stopped, connects] = [false, false, 0];
  /** @type {number | null} */ let lostAt = null;
  /** @type {Outage[]} */ const outages = [];
  /** @type {NodeJS.Timeout | undefined} */ let retry;
  /** @type {NodeJS.Timeout | undefined} */ let waitEstablished;

  function connect() {
    const s = new WebSocket(url, { handshakeTimeout: timeoutMs });
    sock = s;
    // An open socket that never says connection_established is no connection: drop it and try again.
    waitEstablished = setTimeout(() => s.terminate(), timeoutMs);
    s.on('message', (data) => {
      let msg;
      try { msg = JSON.parse(String(data)); } catch { return; }
      if (msg?.event === 'pusher:connection_established' && !connected) {
        clearTimeout(waitEstablished);
        connected = true;
        connects++;
        if (lostAt !== null) {
          const backAt = now();
          outages.push({ lostAt, backAt, ms: backAt - lostAt });
          lostAt = null;
        }
      } else if (msg?.event === 'pusher:ping') {
        s.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
      }
    });
    s.on('error', () => {}); // ws emits 'close' after every 'error'
    s.on('close', () => {
      clearTimeout(waitEstablished);
      if (stopped || s !== sock) return;
      if (connected) {
        connected = false;
        lostAt = now();
        connect();
      } else {
        retry = setTimeout(connect, WS_RETRY_MS);
      }
    });
  }
  connect();

  /** @param {number} at */
  const currentOutages = (at) => (lostAt === null ? outages : [...outages, { lostAt, backAt: null, ms: at - lostAt }]);

  return {
    /** @param {number} at @returns {WsSummary} */
    summary(at) {
      const all = currentOutages(at);
      return { connects, outages: all, maxReconnectMs: all.reduce((m, o) => Math.max(m, o.ms), 0) };
    },
    /** Stops reconnecting; an open outage ends at `at` with backAt null. Resolves when the socket is closed. @param {number} at */
    stop(at) {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(waitEstablished);
      outages.splice(0, outages.length, ...currentOutages(at));
      lostAt = null;
      const s = sock;
      if (!s || s.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => s.terminate(), 1000);
        s.once('close', () => {
          clearTimeout(kill);
          resolve(undefined);
        });
        if (s.readyState === WebSocket.OPEN) s.close(1000);
        else s.terminate();
      });
    },
  };
}

/**
 * One or two lines for logs: "HTTP 240 requests, 0 failed; WebSocket 1 outage, reconnect 420 ms", then the failure
 * reasons when there were any.
 * @param {Summary} s
 * @returns {string}
 */
export function formatSummary(s) {
  /** @param {number} n @param {string} word */
  const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let line = `HTTP ${count(s.requests, 'request')}, ${s.failed} failed`;
  if (s.failed > 0) line += ` (error window ${s.errorWindowMs} ms, longest run ${s.longestErrorRunMs} ms)`;
  if (s.ws) {
    const n = s.ws.outages.length;
    if (s.ws.connects === 0) line += '; WebSocket never connected';
    else line += `; WebSocket ${count(n, 'outage')}`;
    if (n > 0) line += `, ${n > 1 ? 'max ' : ''}reconnect ${s.ws.maxReconnectMs} ms`;
    if (s.ws.outages.some((o) => o.backAt === null)) line += ' (still down at stop)';
  }
  if (s.failed > 0) {
    line += `\n  failures: ${Object.entries(s.reasons).map(([reason, n]) => `${reason} x${n}`).join(', ')}`;
  }
  return line;
}
