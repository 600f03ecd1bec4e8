/**
 * What one audit line says, and which calls get one. The module sends "$caller" (the cmdlet, its bound parameters,
 * whether -WhatIf is on) with each request; a call is audited when it has a caller and its method changes state
 * (every verb but the readers'). The plan of a real run (whatIf or plan: true from a cmdlet not under -WhatIf) is
 * not its own line unless it is refused: the real call that follows is. audit.write records what only PowerShell
 * knows (a -Confirm answered No, a -WhatIf that needed no engine call). Parameters are masked three ways: the module
 * masks SecureStrings and credentials, names that look secret are masked here (and the value of a secret key, as in
 * Set-WoosooConfig -Name DB_PASSWORD -Value ...), and every secret the engine knows is masked in what is left.
 */
import { hostname, userInfo } from 'node:os';
import { z } from 'zod';
import { KEYS, type KeyName } from '../config/keys';
import { callError, callOutcome, isPlan, type CallOutcome, type CallRecord } from '../kernel/call';
import { MASK, looksSecret, redactDeep } from '../util/redact';

export type AuditOutcome = CallOutcome | 'Declined';
export const AUDIT_OUTCOMES = ['Succeeded', 'Partial', 'Refused', 'Failed', 'Cancelled', 'Declined'] as const;

/** One line of logs/audit/audit-YYYY-MM.jsonl. */
export interface AuditEntry {
  time: string;
  user: string;
  host: string;
  command: string;
  method: string;
  parameters: Record<string, unknown>;
  whatIf: boolean;
  outcome: AuditOutcome;
  durationMs: number;
  environment?: string;
  deploymentId?: string;
  backupId?: string;
  errorId?: string;
  message?: string;
  pid: number;
}

export const callerSchema = z.object({
  command: z.string().min(1).max(200),
  parameters: z.record(z.string(), z.unknown()).default({}),
  whatIf: z.boolean().default(false),
});
export type Caller = z.output<typeof callerSchema>;

const READ_VERBS = new Set(['get', 'list', 'test', 'schema', 'compare', 'info', 'ping']);

/** Whether the method changes state: everything but the readers (x.get, x.list, x.test, ...). */
export function changesState(method: string): boolean {
  // The verb is the name's last word: dashboard.userList reads, backup.newKey writes.
  const verb = method.slice(method.lastIndexOf('.') + 1).replace(/^[a-z]+(?=[A-Z])/, '').toLowerCase();
  return !READ_VERBS.has(verb) && !method.startsWith('test.');
}

/** The call's audit line, or undefined when it gets none. */
export function auditEntry(call: CallRecord): AuditEntry | undefined {
  const parsed = callerSchema.safeParse(call.caller);
  if (!parsed.success || !changesState(call.method)) return undefined;
  const caller = parsed.data;
  const written = call.method === 'audit.write';
  let outcome: AuditOutcome = callOutcome(call);
  if (written && call.error === undefined) outcome = call.params.outcome as AuditOutcome;
  // The plan of a real run is audited only when it ends the run (refused); otherwise the real call is the line.
  if (!written && isPlan(call.params) && !caller.whatIf && (outcome === 'Succeeded' || outcome === 'Partial')) return undefined;
  const failure = written ? undefined : callError(call);
  const environment = typeof call.params.environment === 'string' ? call.params.environment : call.session.env.WOOSOO_ENVIRONMENT;
  const message = written && typeof call.params.message === 'string' ? call.params.message : failure?.message;
  return redactDeep({
    time: new Date(call.startedAt).toISOString(),
    user: userName(call.session.env),
    host: hostname(),
    command: caller.command,
    method: written ? '' : call.method,
    parameters: maskParameters(caller.parameters),
    whatIf: caller.whatIf, // the user's -WhatIf: a refused plan of a real run is a refused run
    outcome,
    durationMs: written ? 0 : call.durationMs,
    ...(environment ? { environment } : {}),
    ...idsOf(call.result?.items),
    ...(failure ? { errorId: failure.errorId } : {}),
    ...(message ? { message: clip(message, 500) } : {}),
    pid: process.pid,
  });
}

function userName(env: Record<string, string>): string {
  let name = env.USERNAME || env.USER || '';
  try {
    name = userInfo().username || name;
  } catch {
    /* no passwd entry (a container's uid): the session's variable */
  }
  return process.platform === 'win32' && env.USERDOMAIN ? `${env.USERDOMAIN}\\${name}` : name;
}

const SECRET_PARAM = /PASSPHRASE|CREDENTIAL/i;

/** Bound parameters with secrets masked and long values cut. */
export function maskParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  const key = typeof parameters.Name === 'string' ? parameters.Name : '';
  const secretKey = key !== '' && (KEYS.get(key as KeyName)?.secret === true || looksSecret(key));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const secret = looksSecret(name) || SECRET_PARAM.test(name) || (secretKey && /^(Secure)?Value$/i.test(name));
    out[name] = secret && value !== '' && value !== null && value !== undefined ? MASK : clipDeep(value);
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function clipDeep(value: unknown): unknown {
  if (typeof value === 'string') return clip(value, 300);
  if (Array.isArray(value)) return value.slice(0, 50).map(clipDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).slice(0, 50).map(([k, v]) => [k, clipDeep(v)]));
  return value;
}

/** The deployment and backup a call made or used, from its result's items. */
function idsOf(items: readonly unknown[] | undefined): { deploymentId?: string; backupId?: string } {
  const ids: { deploymentId?: string; backupId?: string } = {};
  for (const item of items ?? []) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    ids.deploymentId ??= text(o.DeploymentId) ?? (o.$type === 'Deployment' ? text(o.Id) : undefined);
    ids.backupId ??= text(o.BackupId) ?? (o.$type === 'Backup' ? text(o.Id) : undefined);
  }
  return Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined));
}
