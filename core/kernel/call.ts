/**
 * One finished method call, as the transport hands it to the engine's observers (core/main.ts wires the audit trail,
 * core/audit, and the engine's own log, core/engine/log.ts): what was asked, by whom, how it ended and how long it took.
 */
import type { SessionContext } from './context';
import { RpcCode, WoosooError, toRpcError, type ErrorCategory } from './errors';
import type { MethodResult } from './method';

export interface CallRecord {
  method: string;
  /** The params as sent (unvalidated, secrets included: observers mask before writing anything). */
  params: Record<string, unknown>;
  /** The module's "$caller" of the request: the cmdlet, its bound parameters and -WhatIf (absent from other clients). */
  caller: unknown;
  session: SessionContext;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** The masked result, when the call succeeded. */
  result?: MethodResult;
  /** What the call threw, when it failed. */
  error?: unknown;
}

/**
 * How a call ended, in the words of the audit trail and the engine's log:
 * - Succeeded, or Partial when some items failed (the result's errors);
 * - Refused: the engine turned the request down before changing anything (invalid params or configuration, a missing
 *   object, a lock, a missing tool, or any failure of a -WhatIf plan);
 * - Failed: it failed while working; Cancelled: Ctrl+C or the engine shutting down.
 */
export type CallOutcome = 'Succeeded' | 'Partial' | 'Refused' | 'Failed' | 'Cancelled';

const REFUSALS: ReadonlySet<string> = new Set<ErrorCategory>([
  'InvalidArgument', 'InvalidData', 'ObjectNotFound', 'ResourceBusy', 'ResourceExists', 'PermissionDenied',
  'SecurityError', 'NotInstalled', 'ParserError', 'SyntaxError',
]);

/** Whether the call only planned (whatIf: true, or plan: true for the certificate and backup-removal methods). */
export function isPlan(params: Record<string, unknown>): boolean {
  return params.whatIf === true || params.plan === true;
}

export function callOutcome(call: Pick<CallRecord, 'params' | 'result' | 'error'>): CallOutcome {
  if (call.error === undefined) return call.result?.errors?.length ? 'Partial' : 'Succeeded';
  if (call.error instanceof WoosooError) {
    if (call.error.code === RpcCode.RequestCancelled) return 'Cancelled';
    if (isPlan(call.params) || call.error.code === RpcCode.InvalidParams || REFUSALS.has(call.error.category)) return 'Refused';
  }
  return 'Failed';
}

/** The error id and the (masked) message of a failed call, for the logs. */
export function callError(call: Pick<CallRecord, 'error'>): { errorId: string; message: string } | undefined {
  if (call.error === undefined) return undefined;
  const { message, data } = toRpcError(call.error);
  return { errorId: data.errorId, message };
}
