/**
 * How the dashboard runs the engine's methods: in its own process, through the very method definitions the RPC
 * transport serves (params checked by the same zod schema, results masked the same way), each call ending in the
 * same audit trail as a cmdlet's (core/audit's auditCall), with the dashboard user as the caller. The definitions come
 * from a resolver the host passes in (core/methods.ts lists them; a domain does not import that list).
 */
import { auditCall } from '../audit/index';
import type { SessionContext } from '../kernel/context';
import type { WoosooError } from '../kernel/errors';
import type { MethodDef, MethodResult } from '../kernel/method';
import { recordCall, runMethod, type CallObserver } from '../kernel/run';

export type ResolveMethod = (name: string) => Promise<MethodDef>;

/** Who asked, for the audit line: the dashboard user, the action (e.g. "Dashboard: restart") and its inputs. */
export interface DashboardCaller {
  user: string;
  action: string;
  address: string;
  parameters?: Record<string, unknown>;
}

export interface InvokeOptions {
  /** Items the method streams before it ends (ctx.emit: deploy steps, followed log entries), masked. */
  onItem?: (items: unknown[]) => void;
  /** Stops the call (a closed socket ends its log follow). */
  signal?: AbortSignal;
  /** A background poll (the live services): audited like any call, but not written to the engine's log. */
  quiet?: boolean;
}

export type Invoke = (method: string, params: Record<string, unknown>, caller: DashboardCaller, options?: InvokeOptions) => Promise<MethodResult>;

/** The audit trail's "$caller" of a dashboard action. */
function callerOf(c: DashboardCaller): Record<string, unknown> {
  return { command: `Dashboard: ${c.action}`, parameters: { DashboardUser: c.user, Address: c.address, ...(c.parameters ?? {}) }, whatIf: false };
}

let nextId = 1;

/**
 * Calls run through the kernel's runMethod and recordCall, as the RPC transport's do; each ends in the audit trail
 * and then in `onCallEnd` (the host passes the engine's log, core/engine/log.ts). Never unmasked: a web client gets
 * no secret, whatever the params.
 */
export function makeInvoke(resolve: ResolveMethod, session: SessionContext, onCallEnd?: CallObserver): Invoke {
  return (method, params, caller, o = {}) => recordCall(
    { method, params, caller: callerOf(caller), session },
    async () => {
      const def = await resolve(method);
      const notify = (name: string, p: Record<string, unknown>) => {
        if (name === '$/items' && o.onItem && Array.isArray(p.items)) o.onItem(p.items);
      };
      return runMethod(def, params, { id: `dashboard-${nextId++}`, session, signal: o.signal ?? new AbortController().signal, notify, allowUnmasked: false });
    },
    async (call) => {
      auditCall(call);
      if (!o.quiet) await onCallEnd?.(call);
    },
  );
}

/** An audit line for a dashboard event that is no method call (login, logout): method dashboard.<event>. */
export function auditEvent(projectDir: string, session: SessionContext, event: string, caller: DashboardCaller, error?: WoosooError): void {
  auditCall({
    method: `dashboard.${event}`, params: { path: projectDir }, caller: callerOf(caller), session, startedAt: Date.now(), durationMs: 0,
    ...(error ? { error } : { result: {} }),
  });
}
