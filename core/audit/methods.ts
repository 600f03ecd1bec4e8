/**
 * audit.get (Get-WoosooAudit): the project's audit trail, filtered; audit.write: a line for what only PowerShell knows
 * (a -Confirm answered No, a -WhatIf run that needed no engine call). The line of audit.write is written by the audit
 * trail itself as the call ends (core/audit/entry.ts), from the request's "$caller": the handler only checks the params.
 */
import { z } from 'zod';
import { readProject } from '../config';
import { findProject } from '../config/load';
import { defineMethod, duration, durationSchema, projectParams, typed, typedSchema } from '../kernel/method';
import { wildcard } from '../util/wildcard';
import { AUDIT_OUTCOMES, type AuditEntry } from './entry';
import { auditFiles, readEntries } from './store';

const auditItem = typedSchema('AuditEntry', {
  Time: z.string(), User: z.string(), Host: z.string(), Command: z.string(), Method: z.string(),
  Parameters: z.record(z.string(), z.unknown()), WhatIf: z.boolean(), Outcome: z.string(), Duration: durationSchema,
  Environment: z.string(), DeploymentId: z.string(), BackupId: z.string(), ErrorId: z.string(), Message: z.string(),
  ProjectPath: z.string(),
});

function entryObject(e: AuditEntry, projectPath: string) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return typed('AuditEntry', {
    Time: new Date(e.time).toISOString(), User: text(e.user), Host: text(e.host), Command: e.command, Method: text(e.method),
    Parameters: typeof e.parameters === 'object' && e.parameters !== null ? e.parameters : {}, WhatIf: e.whatIf === true,
    Outcome: e.outcome, Duration: duration(typeof e.durationMs === 'number' ? e.durationMs : 0),
    Environment: text(e.environment), DeploymentId: text(e.deploymentId), BackupId: text(e.backupId), ErrorId: text(e.errorId),
    Message: text(e.message), ProjectPath: projectPath,
  });
}

const patterns = z.array(z.string().min(1)).optional();

export const auditGet = defineMethod({
  name: 'audit.get',
  summary: 'The audit trail (logs/audit/audit-YYYY-MM.jsonl), oldest first, filtered by time, command, user and outcome; bad lines are skipped with a warning.',
  params: z.object({
    ...projectParams,
    since: z.string().datetime({ offset: true }).optional().describe('Only entries at or after this time (ISO-8601)'),
    command: patterns.describe('Cmdlet names, wildcards allowed'),
    user: patterns.describe('User names, wildcards allowed'),
    outcome: z.array(z.enum(AUDIT_OUTCOMES)).optional(),
    whatIf: z.boolean().optional().describe('true: only -WhatIf runs; false: only real ones'),
  }),
  item: auditItem,
  async handler(p, ctx) {
    const projectDir = findProject(p.path, ctx).projectDir;
    const since = p.since ? new Date(p.since) : undefined;
    const { entries, bad } = readEntries(auditFiles(projectDir, since));
    for (const b of bad) ctx.log('warning', `${b.file}, line ${b.line}: ${b.reason}; skipped.`);
    const any = (list: string[] | undefined, value: string) => !list || list.some((x) => wildcard(x).test(value));
    const items = entries
      .filter((e) => (!since || Date.parse(e.time) >= since.getTime()) && any(p.command, e.command) && any(p.user, String(e.user ?? ''))
        && (!p.outcome || p.outcome.includes(e.outcome as (typeof AUDIT_OUTCOMES)[number])) && (p.whatIf === undefined || (e.whatIf === true) === p.whatIf))
      .map((e) => entryObject(e, projectDir));
    return { items };
  },
});

export const auditWrite = defineMethod({
  name: 'audit.write',
  summary: 'Records a state-changing cmdlet that ended in PowerShell (-Confirm answered No, -WhatIf without an engine call); the line comes from the request\'s $caller.',
  params: z.object({
    ...projectParams,
    outcome: z.enum(['Declined', 'Succeeded']).describe('Declined: the user answered No; Succeeded: a -WhatIf run'),
    message: z.string().max(500).optional(),
  }),
  async handler(p, ctx) {
    // The project must be one (or none at all: the line then goes to Woosoo's folder for the user); its secrets
    // are learnt so that the parameters are masked with them.
    try {
      if (p.path) readProject(p, ctx);
    } catch {
      /* a broken configuration is not this line's business: it is written all the same */
    }
    return { value: true };
  },
});
