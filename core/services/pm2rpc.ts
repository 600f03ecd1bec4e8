/**
 * A small client for the PM2 daemon's RPC socket (PM2_HOME/rpc.sock; on Windows PM2's fixed named pipe
 * \\.\pipe\rpc.sock), the socket the pm2 CLI itself talks to: pm2-axon's req/rep sockets with AMP framing and
 * pm2-axon-rpc's call messages. Connecting to a socket is not spawning a process: a state check costs a few
 * milliseconds instead of a pm2 CLI start (node + pm2, 0.25–0.8 s on a loaded machine).
 *
 * The wire, as PM2 7's vendored modules (node_modules/pm2/modules/pm2-axon, pm2-axon-rpc) and amp/amp-message speak it:
 * - a message is one byte `version << 4 | argc` (version 1, at most 15 arguments), then per argument a 4-byte
 *   big-endian length and its bytes; an argument is `s:<text>`, `j:<JSON>` or raw bytes;
 * - a request is [j:{type:'call', method, args}, s:<id>]; the reply is [j:{args:[…]} or j:{error, stack}, s:<id>].
 *
 * Pm2RpcUnavailable means the socket is absent, refused or closed before answering: the caller falls back to the CLI.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

/** The daemon's RPC socket for a PM2_HOME, where PM2 puts it (paths.js: DAEMON_RPC_PORT). */
export function pm2RpcSocket(home: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? '\\\\.\\pipe\\rpc.sock' : join(home, 'rpc.sock');
}

/**
 * The socket could not be used (absent, refused, closed early). `sent` false: the request never reached the daemon,
 * nothing was done, the CLI can do it instead; true: the connection broke after the request went out.
 */
export class Pm2RpcUnavailable extends Error {
  constructor(message: string, readonly code?: string, readonly sent = false) {
    super(message);
    this.name = 'Pm2RpcUnavailable';
  }
}

/** The daemon answered the call with an error (e.g. "id unknown"). */
export class Pm2RpcError extends Error {
  constructor(readonly method: string, message: string) {
    super(message);
    this.name = 'Pm2RpcError';
  }
}

/** The call was sent and no answer came in time: the daemon may have acted on it. */
export class Pm2RpcTimeout extends Error {
  constructor(readonly method: string, readonly timeoutMs: number) {
    super(`PM2 did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'Pm2RpcTimeout';
  }
}

function packArg(arg: unknown): Buffer {
  if (Buffer.isBuffer(arg)) return arg;
  if (typeof arg === 'string') return Buffer.from(`s:${arg}`);
  return Buffer.from(`j:${JSON.stringify(arg === undefined ? null : arg)}`);
}

function unpackArg(buf: Buffer): unknown {
  if (buf.length >= 2 && buf[1] === 0x3a) {
    if (buf[0] === 0x6a) return JSON.parse(buf.subarray(2).toString('utf8'));
    if (buf[0] === 0x73) return buf.subarray(2).toString('utf8');
  }
  return buf;
}

/** One AMP message (amp.encode of the packed arguments). */
export function encodeMessage(args: readonly unknown[]): Buffer {
  if (args.length > 15) throw new RangeError('AMP carries at most 15 arguments.');
  const parts = args.map(packArg);
  const out = Buffer.alloc(1 + parts.reduce((n, p) => n + 4 + p.length, 0));
  out[0] = (1 << 4) | parts.length;
  let off = 1;
  for (const p of parts) {
    out.writeUInt32BE(p.length, off);
    p.copy(out, off + 4);
    off += 4 + p.length;
  }
  return out;
}

/** Splits a byte stream into AMP messages: feed it chunks, it returns each complete message's unpacked arguments. */
export class AmpReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[][] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const messages: unknown[][] = [];
    for (;;) {
      const msg = this.next();
      if (!msg) return messages;
      messages.push(msg);
    }
  }

  private next(): unknown[] | undefined {
    if (this.buf.length < 1) return undefined;
    const argc = this.buf[0] & 0x0f;
    const args: unknown[] = [];
    let off = 1;
    for (let i = 0; i < argc; i++) {
      if (this.buf.length < off + 4) return undefined;
      const len = this.buf.readUInt32BE(off);
      if (this.buf.length < off + 4 + len) return undefined;
      args.push(unpackArg(this.buf.subarray(off + 4, off + 4 + len)));
      off += 4 + len;
    }
    this.buf = this.buf.subarray(off);
    return args;
  }
}

const UNAVAILABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTSOCK', 'EACCES', 'EPERM']);
let serial = 0;

export interface Pm2RpcOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Calls one daemon method on a fresh connection (a connection costs about a millisecond; none is kept between calls,
 * so nothing lingers in the engine). Resolves with the reply's values (what the daemon passed after its error slot).
 */
export function pm2Call(socketPath: string, method: string, args: readonly unknown[], opts: Pm2RpcOptions): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const id = `woosoo-${process.pid}:${++serial}`;
    const reader = new AmpReader();
    let sent = false;
    let settled = false;
    let sock: Socket | undefined;
    const finish = (err: unknown, value?: unknown[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      sock?.destroy();
      if (err) reject(err);
      else resolve(value ?? []);
    };
    const onAbort = () => finish(opts.signal?.reason ?? new Error('Cancelled.'));
    const timer = setTimeout(() => finish(sent ? new Pm2RpcTimeout(method, opts.timeoutMs) : new Pm2RpcUnavailable(`${socketPath} did not accept a connection in time.`, 'ETIMEDOUT')), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    sock = connect(socketPath);
    sock.once('connect', () => {
      sent = true;
      sock!.write(encodeMessage([{ type: 'call', method, args }, id]));
    });
    sock.on('data', (chunk: Buffer) => {
      let messages: unknown[][];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        return finish(new Pm2RpcError(method, `unreadable answer from PM2: ${(e as Error).message}`));
      }
      for (const m of messages) {
        if (m[m.length - 1] !== id) continue;
        const reply = m[0] as { error?: unknown; args?: unknown[] } | null;
        if (reply && typeof reply === 'object' && 'error' in reply) return finish(new Pm2RpcError(method, String(reply.error)));
        return finish(undefined, Array.isArray(reply?.args) ? reply.args : []);
      }
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      if (!sent || UNAVAILABLE.has(e.code ?? '')) finish(new Pm2RpcUnavailable(`${socketPath}: ${e.code ?? e.message}`, e.code, sent));
      else finish(e);
    });
    sock.once('close', () => finish(new Pm2RpcUnavailable(`${socketPath} closed before PM2 answered ${method}.`, 'ECLOSED', sent)));
  });
}
