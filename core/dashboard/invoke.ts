/**
 * How the dashboard runs the engine's methods: in its own process, through the very method definitions the RPC
 * transport serves (params checked by the same zod schema, results masked the same way), each call ending in the
 * same audit trail as a cmdlet's (core/audit's auditCall), with the dashboard user as the caller. The definitions come
 * from a resolver the host passes in (core/methods.ts lists them; a domain does not import that list).
 */
import { auditCall } from '../audit/index';
import type { CallRecord } from '../kernel/call';
import { RequestContext, type SessionContext } from '../kernel/context';
import { RpcCode, WoosooError } from '../kernel/errors';
import { checkItems, describeIssues, type MethodDef, type MethodResult } from '../kernel/method';
import { redactDeep } from '../util/redact';

export type ResolveMethod = (name: string) => Promise<MethodDef>;

/** Who asked, for the audit line: the dashboard user, the action (e.g. "Dashboard: restart") and its inputs. */
export interface DashboardCaller {
  user: string;
  action: string;
  address: string;
  parameters?: Record<string, unknown>;
}

export type Invoke = (method: string, params: Record<string, unknown>, caller: DashboardCaller) => Promise<MethodResult>;

/** The audit trail's "$caller" of a dashboard action. */
function callerOf(c: DashboardCaller): Record<string, unknown> {
  return { command: `Dashboard: ${c.action}`, parameters: { DashboardUser: c.user, Address: c.address, ...(c.parameters ?? {}) }, whatIf: false };
}

let nextId = 1;

export function makeInvoke(resolve: ResolveMethod, session: SessionContext): Invoke {
  return async (method, params, caller) => {
    const call: CallRecord = { method, params, caller: callerOf(caller), session, startedAt: Date.now(), durationMs: 0 };
    try {
      const def = await resolve(method);
      const parsed = def.params.safeParse(params);
      if (!parsed.success) {
        throw new WoosooError('InvalidParams', `Invalid params for ${method}: ${describeIssues(parsed.error.issues).join('; ')}`, {
          category: 'InvalidArgument', code: RpcCode.InvalidParams,
        });
      }
      const ctx = new RequestContext(`dashboard-${nextId++}`, session, new AbortController().signal, () => {}, (items) => checkItems(def, items));
      const result = await def.handler(parsed.data, ctx);
      if (result.items) checkItems(def, result.items);
      call.result = redactDeep({ items: result.items, errors: result.errors, value: result.value });
      return call.result;
    } catch (err) {
      call.error = err;
      throw err;
    } finally {
      call.durationMs = Date.now() - call.startedAt;
      auditCall(call);
    }
  };
}

/** An audit line for a dashboard event that is no method call (login, logout): method dashboard.<event>. */
export function auditEvent(projectDir: string, session: SessionContext, event: string, caller: DashboardCaller, error?: WoosooError): void {
  auditCall({
    method: `dashboard.${event}`, params: { path: projectDir }, caller: callerOf(caller), session, startedAt: Date.now(), durationMs: 0,
    ...(error ? { error } : { result: {} }),
  });
}
