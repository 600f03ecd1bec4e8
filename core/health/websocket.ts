/**
 * The Reverb check: a real WebSocket opening handshake (RFC 6455) with node:http's upgrade, since Node 20 has
 * no WebSocket client. Healthy only when the server answers 101 with the Sec-WebSocket-Accept that matches our
 * key; the connection is then closed with a close frame.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function expectedAccept(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

export interface HandshakeResult {
  ok: boolean;
  status: number;
  latencyMs: number;
  message: string;
}

/** A masked close frame (clients must mask), code 1000. */
function closeFrame(): Buffer {
  const mask = randomBytes(4);
  const payload = Buffer.from([0x03, 0xe8]);
  for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, payload]);
}

/** Performs the handshake on `url` (ws://host:port/path). Rejects on connection errors and on the signal. */
export function websocketHandshake(url: string, signal: AbortSignal): Promise<HandshakeResult> {
  const started = performance.now();
  const u = new URL(url.replace(/^ws:/, 'http:'));
  const key = randomBytes(16).toString('base64');
  return new Promise<HandshakeResult>((resolve, reject) => {
    const req = request(u, {
      method: 'GET', agent: false, signal,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key,
        'User-Agent': 'Woosoo-Health',
      },
    });
    req.on('upgrade', (res, socket: Socket) => {
      const latencyMs = performance.now() - started;
      const accept = res.headers['sec-websocket-accept'];
      socket.on('error', () => {});
      socket.end(closeFrame());
      setTimeout(() => socket.destroy(), 200).unref();
      if (accept === expectedAccept(key)) {
        resolve({ ok: true, status: 101, latencyMs, message: `WebSocket handshake completed in ${Math.round(latencyMs)} ms (101, Sec-WebSocket-Accept verified).` });
      } else {
        resolve({ ok: false, status: 101, latencyMs, message: `The server answered 101 but with a wrong Sec-WebSocket-Accept (${String(accept ?? 'missing')}): it is not a WebSocket server.` });
      }
    });
    req.on('response', (res) => {
      const latencyMs = performance.now() - started;
      res.resume();
      resolve({ ok: false, status: res.statusCode ?? 0, latencyMs, message: `The server answered ${res.statusCode} ${res.statusMessage ?? ''} instead of 101 Switching Protocols: it did not accept the WebSocket upgrade.`.replace(/ {2,}/g, ' ') });
    });
    req.on('error', reject);
    req.end();
  });
}
