/**
 * One method call, the same for every client of the engine: the JSON-RPC transport (core/rpc/server.ts) and the web
 * dashboard (core/dashboard/invoke.ts). `runMethod` checks the params with the method's zod schema (InvalidParams
 * naming every problem), runs the handler with its RequestContext, checks the items against the item schema and
 * masks the result; `recordCall` wraps it into the CallRecord its observers get when it ends (the audit trail, the
 * engine's log), whatever the outcome.
 */
import type { CallRecord } from './call';
import { RequestContext, type Notify, type SessionContext } from './context';
import { RpcCode, WoosooError } from './errors';
import { checkItems, describeIssues, type MethodDef, type MethodResult } from './method';
import { redact, redactDeep } from '../util/redact';

export interface RunOptions {
  /** The request's id, for the notifications it sends. */
  id: string | number;
  session: SessionContext;
  /** Cancels the call (Ctrl+C, shutdown, a closed socket): the handler stops and its reason is thrown. */
  signal: AbortSignal;
  /** Where the handler's $/progress, $/log and $/items go. */
  notify: Notify;
  /** false: the result is masked even when the method returns it unmasked (a client that may never see a secret). */
  allowUnmasked?: boolean;
}

/** Runs a method's handler on raw params; throws the method's error, or the signal's reason when it was cancelled. */
export async function runMethod(def: MethodDef, rawParams: unknown, o: RunOptions): Promise<MethodResult> {
  const parsed = def.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    throw new WoosooError('InvalidParams', `Invalid params for ${def.name}: ${describeIssues(parsed.error.issues).join('; ')}`, {
      category: 'InvalidArgument',
      code: RpcCode.InvalidParams,
      fix: 'Check the parameter values; every problem is listed above.',
    });
  }
  try {
    const ctx = new RequestContext(o.id, o.session, o.signal, o.notify, (items) => checkItems(def, items));
    const result = await def.handler(parsed.data, ctx);
    ctx.throwIfCancelled();
    return checkResult(def, result, o.allowUnmasked ?? true);
  } catch (err) {
    if (o.signal.aborted) throw o.signal.reason;
    throw err;
  }
}

function checkResult(def: MethodDef, result: MethodResult, allowUnmasked: boolean): MethodResult {
  const out: MethodResult = {};
  if (result.items) {
    checkItems(def, result.items);
    out.items = result.items;
  }
  if (result.errors?.length) out.errors = result.errors;
  if (result.value !== undefined) out.value = result.value;
  return result.unmasked && allowUnmasked ? out : redactDeep(out);
}

export type CallObserver = (call: CallRecord) => Promise<void> | void;

/**
 * Runs `run` as the call `start` describes and hands its CallRecord (result or error, duration) to `onCallEnd` before
 * returning or throwing; an observer's failure is reported on stderr, never the call's.
 */
export async function recordCall(start: Pick<CallRecord, 'method' | 'params' | 'caller' | 'session'>, run: () => Promise<MethodResult>, onCallEnd: CallObserver): Promise<MethodResult> {
  const call: CallRecord = { ...start, startedAt: Date.now(), durationMs: 0 };
  try {
    call.result = await run();
    return call.result;
  } catch (err) {
    call.error = err;
    throw err;
  } finally {
    call.durationMs = Date.now() - call.startedAt;
    await (async () => onCallEnd(call))().catch((err: unknown) => {
      process.stderr.write(`engine: call log: ${redact(String(err))}\n`);
    });
  }
}
