/**
 * A JSON-RPC client for tests that speak the wire to the real engine (bin/woosoo-engine.cjs), line by line,
 * exactly as the module does. Records every notification and stderr line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const ENGINE = join(ROOT, 'bin', 'woosoo-engine.cjs');
/** The node options the module starts the engine with (bin/engine-launch.json, read by private/Engine.ps1 too). */
export const ENGINE_NODE_OPTIONS: string[] = JSON.parse(readFileSync(join(ROOT, 'bin', 'engine-launch.json'), 'utf8')).nodeArguments;

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown> & { items?: Record<string, unknown>[]; value?: unknown; errors?: unknown[] };
  error?: { code: number; message: string; data?: { errorId: string; category: string; targetObject?: string; recommendedAction?: string } };
}

export class EngineClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly notifications: RpcMessage[] = [];
  readonly stdoutLines: string[] = [];
  stderr = '';
  private nextId = 0;
  private readonly waiting = new Map<number | string | null, (m: RpcMessage) => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(opts: { env?: Record<string, string>; testMethods?: boolean } = {}) {
    const env = { ...process.env, ...opts.env } as Record<string, string>;
    if (opts.testMethods !== false) env.WOOSOO_ENGINE_TEST_METHODS = '1';
    this.child = spawn(process.execPath, [...ENGINE_NODE_OPTIONS, ENGINE], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString('utf8');
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.stdoutLines.push(line);
      const m = JSON.parse(line) as RpcMessage;
      if (m.method) {
        this.notifications.push(m);
        return;
      }
      const key = m.id ?? null;
      const resolve = this.waiting.get(key);
      if (resolve) {
        this.waiting.delete(key);
        resolve(m);
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(opts: { env?: Record<string, string>; testMethods?: boolean; cwd?: string } = {}): Promise<EngineClient> {
    const c = new EngineClient(opts);
    const init = await c.request('initialize', { protocolVersion: '1.0', client: { name: 'tests', version: '0' } });
    if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
    if (opts.cwd || opts.env) c.notify('$/context', { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } as Record<string, string> });
    return c;
  }

  sendLine(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.sendLine(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /** Sends a request and resolves with the reply (result or error). */
  request(method: string, params: Record<string, unknown> = {}): Promise<RpcMessage> {
    const id = ++this.nextId;
    const reply = this.reply(id);
    this.sendLine(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return reply;
  }

  /** The id the next request() will use. */
  peekNextId(): number {
    return this.nextId + 1;
  }

  /** Resolves with the reply carrying this id (also for raw lines sent with sendLine). */
  reply(id: number | string | null): Promise<RpcMessage> {
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** The result of a request that must succeed. */
  async call(method: string, params: Record<string, unknown> = {}): Promise<NonNullable<RpcMessage['result']>> {
    const r = await this.request(method, params);
    if (r.error) throw new Error(`${method} failed: ${r.error.message} (${r.error.data?.errorId})`);
    return r.result!;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
