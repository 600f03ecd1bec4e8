/**
 * The audit trail's face: auditCall (core/main.ts calls it as each method ends) and what other domains read
 * (Export-WoosooDiagnostics: the files and their entries).
 */
import { join } from 'node:path';
import { findProject } from '../config/load';
import type { CallRecord } from '../kernel/call';
import { userStateDir } from '../util/statedir';
import { auditEntry } from './entry';
import { appendEntry } from './store';

export { AUDIT_DIR, auditFile, auditFiles, readEntries } from './store';
export type { AuditEntry, AuditOutcome } from './entry';

/** Where a call's lines go: its project (as the call finds it), else Woosoo's folder for the user. */
export function auditRoot(call: Pick<CallRecord, 'params' | 'session'>): string {
  try {
    return findProject(typeof call.params.path === 'string' ? call.params.path : undefined, call.session).projectDir;
  } catch {
    return userStateDir(call.session.env);
  }
}

/** Writes the call's audit line if it gets one; returns the file written. A failure to write is reported, not thrown. */
export function auditCall(call: CallRecord): string | undefined {
  const entry = auditEntry(call);
  if (!entry) return undefined;
  const root = auditRoot(call);
  try {
    return appendEntry(root, entry);
  } catch (err) {
    process.stderr.write(`engine: cannot write the audit trail under ${join(root, 'logs', 'audit')}: ${(err as Error).message}\n`);
    return undefined;
  }
}
