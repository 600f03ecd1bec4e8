/**
 * The wire: JSON-RPC 2.0, one UTF-8 message per line, on the engine's stdin and stdout.
 * Requests run concurrently; each gets its own AbortController so `$/cancel` (or engine shutdown) stops the
 * child processes it started. A line that is not JSON, or not a JSON-RPC message, gets an error and the engine
 * keeps serving. Domains' methods are declared by name and their code is loaded on the first call (LazyMethods),
 * so the engine starts without running any domain's code or building its schemas.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { JSONRPCServer, createJSONRPCErrorResponse, type JSONRPCResponse } from 'json-rpc-2.0';
import { z } from 'zod';
import type { SessionContext } from '../kernel/context';
import { RpcCode, WoosooError, toRpcError } from '../kernel/errors';
import type { CallRecord } from '../kernel/call';
import { describeIssues, type LazyMethods, type MethodDef, type MethodResult } from '../kernel/method';
import { recordCall, runMethod } from '../kernel/run';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../kernel/version';
import { redact } from '../util/redact';

interface ServerParams {
  id: string | number;
}

const initializeParams = z.object({
  protocolVersion: z.string().regex(/^\d+\.\d+$/, 'must look like MAJOR.MINOR'),
  client: z.object({ name: z.string(), version: z.string() }).partial().optional(),
});
const contextParams = z.object({
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().min(1).optional(),
});
const cancelParams = z.object({ id: z.union([z.string(), z.number()]) });

export class Engine {
  // The library reports every thrown error on stderr; expected failures (WoosooError, cancellations) are
  // answers, not diagnostics, and anything logged is masked.
  private readonly rpc = new JSONRPCServer<ServerParams>({
    errorListener: (message, data) => {
      if (data instanceof WoosooError) return;
      process.stderr.write(`engine: ${redact(`${message} ${data instanceof Error ? data.stack ?? data.message : String(data)}`)}\n`);
    },
  });
  /** Every method the engine offers: defined at start, or declared by a domain that loads on first call. */
  private readonly methods = new Map<string, MethodDef | LazyMethods>();
  /** Definitions at hand: the eager ones, and a lazy domain's once it has loaded. */
  private readonly ready = new Map<string, MethodDef>();
  private readonly loading = new Map<LazyMethods, Promise<void>>();
  private readonly running = new Map<string | number, AbortController>();
  private readonly session: SessionContext = { env: { ...process.env } as Record<string, string>, cwd: process.cwd() };
  private initialized = false;
  private readonly write: (line: string) => void;
  onShutdown: () => void = () => {};
  /** Called whenever a request finishes and none is running. */
  onIdle: () => void = () => {};
  /** Called when a method ends, before its reply is sent (the audit trail and the engine's log; never throws). */
  onCallEnd: (call: CallRecord) => Promise<void> | void = () => {};

  constructor(write: (line: string) => void, methods: MethodDef[], lazy: readonly LazyMethods[] = []) {
    this.write = write;
    this.rpc.mapErrorToJSONRPCErrorResponse = (id, error) => {
      const e = toRpcError(error);
      return createJSONRPCErrorResponse(id, e.code, e.message, e.data);
    };
    this.addBuiltins();
    for (const m of methods) this.register(m.name, m);
    for (const domain of lazy) for (const name of domain.names) this.register(name, domain);
  }

  get methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Cancels every running request (engine shutdown, stdin closed); returns how many were running. */
  cancelAll(reason: string): number {
    for (const ctl of this.running.values()) ctl.abort(cancelled(reason));
    return this.running.size;
  }

  /** Feeds one line of input; the reply (if any) is written when the method completes. */
  async receiveLine(line: string): Promise<void> {
    const text = line.replace(/^\uFEFF/, '').trim();
    if (text === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      this.send(createJSONRPCErrorResponse(null, RpcCode.ParseError, `Parse error: ${(err as Error).message}`, {
        errorId: 'ProtocolParseError',
        category: 'ProtocolError',
        recommendedAction: 'Send one JSON-RPC 2.0 message per line, UTF-8 without BOM.',
      }));
      return;
    }
    const messages = Array.isArray(message) ? message : [message];
    if (messages.length === 0) {
      this.send(invalidRequest(null, 'an empty batch'));
      return;
    }
    await Promise.all(messages.map((m) => this.receiveOne(m)));
  }

  private async receiveOne(m: unknown): Promise<void> {
    const id = isRecord(m) && (typeof m.id === 'string' || typeof m.id === 'number') ? m.id : null;
    if (!isRecord(m) || m.jsonrpc !== '2.0' || typeof m.method !== 'string') {
      // A response from the client is not expected either: the module never serves requests.
      this.send(invalidRequest(id, 'expected {"jsonrpc":"2.0","method":string,…}'));
      return;
    }
    if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) {
      this.send(invalidRequest(id, 'params must be an object or an array'));
      return;
    }
    const isNotification = !('id' in m);
    if (!isNotification && id === null) {
      this.send(invalidRequest(null, 'id must be a string or a number'));
      return;
    }
    if (isNotification) {
      this.handleNotification(m.method, m.params);
      return;
    }
    const response = await this.rpc.receive(
      { jsonrpc: '2.0', id, method: m.method, params: m.params },
      { id: id as string | number },
    );
    if (response) this.send(response);
  }

  private handleNotification(method: string, params: unknown): void {
    if (method === '$/context') {
      const p = contextParams.safeParse(params ?? {});
      if (!p.success) return this.logEngine('warning', `$/context ignored: ${describeIssues(p.error.issues).join('; ')}`);
      if (p.data.env) this.session.env = p.data.env;
      if (p.data.cwd) this.session.cwd = p.data.cwd;
    } else if (method === '$/cancel') {
      const p = cancelParams.safeParse(params ?? {});
      if (p.success) this.running.get(p.data.id)?.abort(cancelled('Cancelled by the caller (Ctrl+C).'));
    } else if (method === 'exit') {
      this.onShutdown();
    }
    // Unknown notifications are ignored, as JSON-RPC requires.
  }

  private register(name: string, source: MethodDef | LazyMethods): void {
    if (this.methods.has(name)) throw new Error(`method ${name} registered twice`);
    this.methods.set(name, source);
    if ('handler' in source) this.ready.set(name, source);
    this.rpc.addMethod(name, async (rawParams, { id }) => {
      if (!this.initialized) {
        throw new WoosooError('NotInitialized', 'The engine has not been initialized: send "initialize" first.', {
          category: 'ProtocolError',
          code: RpcCode.ServerNotInitialized,
        });
      }
      // "$caller" (the cmdlet, its parameters, -WhatIf) is for the audit trail, not the method's params.
      const { $caller: caller, ...params } = isRecord(rawParams) ? rawParams : {};
      const session = { ...this.session };
      return recordCall({ method: name, params, caller, session },
        () => this.call(name, source, id, isRecord(rawParams) ? params : rawParams, session), (call) => this.onCallEnd(call));
    });
  }

  private async call(name: string, source: MethodDef | LazyMethods, id: string | number, rawParams: unknown, session: SessionContext): Promise<MethodResult> {
    const def = this.ready.get(name) ?? await this.load(name, source as LazyMethods);
    const ctl = new AbortController();
    this.running.set(id, ctl);
    try {
      return await runMethod(def, rawParams, { id, session, signal: ctl.signal, notify: (n, p) => this.notify(n, p) });
    } finally {
      this.running.delete(id);
      if (this.running.size === 0) this.onIdle();
    }
  }

  /** Loads a lazy domain once (concurrent first calls share the load) and returns the method's definition. */
  private async load(name: string, domain: LazyMethods): Promise<MethodDef> {
    let loading = this.loading.get(domain);
    if (!loading) {
      loading = domain.load().then((defs) => {
        for (const d of defs) if (domain.names.includes(d.name)) this.ready.set(d.name, d);
      });
      this.loading.set(domain, loading);
    }
    await loading;
    const def = this.ready.get(name);
    if (!def) {
      throw new WoosooError('MethodNotLoaded', `The engine declares ${name}, but the ${domain.domain} code it loaded does not define it.`, {
        category: 'NotImplemented',
        code: RpcCode.InternalError,
        fix: 'This is a bug in Woosoo (core/methods.ts and the domain disagree); please report it with the command you ran.',
      });
    }
    return def;
  }

  private addBuiltins(): void {
    this.rpc.addMethod('initialize', (raw) => {
      const p = initializeParams.safeParse(raw ?? {});
      if (!p.success) {
        throw new WoosooError('InvalidParams', `Invalid params for initialize: ${describeIssues(p.error.issues).join('; ')}`, {
          category: 'InvalidArgument', code: RpcCode.InvalidParams,
        });
      }
      const [clientMajor] = p.data.protocolVersion.split('.');
      const [engineMajor] = PROTOCOL_VERSION.split('.');
      if (clientMajor !== engineMajor) {
        throw new WoosooError('ProtocolMismatch',
          `The module speaks protocol ${p.data.protocolVersion} but the engine (${ENGINE_VERSION}) speaks ${PROTOCOL_VERSION}.`, {
            category: 'ProtocolError',
            fix: 'The module and bin/woosoo-engine must come from the same release: rebuild the engine (npm run build) or reinstall Woosoo.',
          });
      }
      this.initialized = true;
      return { protocolVersion: PROTOCOL_VERSION, engineVersion: ENGINE_VERSION, pid: process.pid, methods: this.methodNames };
    });
    this.rpc.addMethod('shutdown', () => {
      setImmediate(() => this.onShutdown());
      return { ok: true };
    });
  }

  private logEngine(level: string, message: string): void {
    this.notify('$/log', { level, message });
  }

  private send(message: JSONRPCResponse | Record<string, unknown>): void {
    this.write(JSON.stringify(message));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalidRequest(id: string | number | null, why: string): JSONRPCResponse {
  return createJSONRPCErrorResponse(id, RpcCode.InvalidRequest, `Invalid request: ${why}`, {
    errorId: 'ProtocolInvalidRequest',
    category: 'ProtocolError',
  });
}

function cancelled(reason: string): WoosooError {
  return new WoosooError('Cancelled', reason, { category: 'OperationStopped', code: RpcCode.RequestCancelled });
}

/** Serves the engine on a readable stream of lines until it ends; resolves with how many requests it cancelled. */
export function serveLines(engine: Engine, input: Readable): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const pending = new Set<Promise<void>>();
  rl.on('line', (line) => {
    const p = engine.receiveLine(line).catch((err) => {
      process.stderr.write(`engine: ${String(err)}\n`);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  return new Promise((resolve) => {
    rl.on('close', () => {
      const cancelled = engine.cancelAll('The engine is shutting down (its input closed).');
      void Promise.allSettled([...pending]).then(() => resolve(cancelled));
    });
  });
}
