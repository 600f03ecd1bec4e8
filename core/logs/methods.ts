/** RPC methods of the logs slice: logs.get (Get-WoosooLog) and logs.list (its -Service completion). Thin: load the project, pick sources, query. */
import { z } from 'zod';
import { loadProject } from '../config';
import { once } from 'node:events';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { LEVELS, type LogEntry } from './entry';
import { pickSources, queryLogs } from './query';
import { discoverSources, familyFiles, serviceNames } from './sources';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date and time');

export const logEntrySchema = typedSchema('LogEntry', {
  Timestamp: z.string(),
  Service: z.string(),
  Level: z.enum(LEVELS),
  Message: z.string(),
  Source: z.string(),
  Line: z.number().int().positive().nullable(),
});

/** The wire's Woosoo.LogEntry of an entry. */
export function logObject(e: LogEntry) {
  return typed('LogEntry', {
    Timestamp: new Date(e.ts).toISOString(), Service: e.service, Level: e.level, Message: e.message, Source: e.source, Line: e.line,
  });
}

/** The engine writes to a pipe: wait when it is full, so a huge result keeps memory flat. */
async function drained(): Promise<void> {
  if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
}

export const logsGet = defineMethod({
  name: 'logs.get',
  summary: 'Log entries (Woosoo.LogEntry) of the services, Laravel, nginx and deployments, merged in time order; -Tail reads from the end, -Wait follows (entries stream as $/items until cancelled).',
  params: z.object({
    ...projectParams,
    services: z.array(z.string().min(1)).optional().describe('Service names; wildcards * and ?; "all" or none = every service'),
    tail: z.number().int().nonnegative().optional().describe('Only the last N entries (read from the end of the files); 0 with wait: only new ones'),
    level: z.enum(LEVELS).optional().describe('Minimum level: Error, Warning (and errors), Info, Debug (everything)'),
    pattern: z.string().optional().describe('Regular expression; an entry matches when one of its lines does'),
    caseSensitive: z.boolean().default(false).describe('Match -Pattern case-sensitively (default: ignore case, as PowerShell does)'),
    since: isoTime.optional().describe('Only entries at or after this time (ISO-8601; the cmdlet converts spans such as 2h)'),
    until: isoTime.optional().describe('Only entries at or before this time; with wait, following stops then'),
    wait: z.boolean().default(false).describe('Keep following the live files (across rotation) until cancelled'),
  }),
  item: logEntrySchema,
  async handler(p, ctx) {
    const cfg = loadProject(p, ctx);
    const deployDir = cfg.get('DEPLOY_REPORT_PATH') === undefined ? undefined : cfg.path('DEPLOY_REPORT_PATH');
    const { sources, errors } = pickSources(cfg.projectDir, cfg.path('BACKEND_PATH'), p.services, deployDir, cfg.str('SERVICE_PREFIX'));
    const rest = await queryLogs(sources, p, ctx, async (entries) => {
      ctx.emit(entries.map(logObject));
      await drained();
    });
    return { items: rest.map(logObject), errors };
  },
});

export const logsList = defineMethod({
  name: 'logs.list',
  summary: 'The services that have logs (what Get-WoosooLog -Service takes, for tab completion): a value per service with its file count, size and last write time.',
  params: z.object({ ...projectParams }),
  async handler(p, ctx) {
    const cfg = loadProject(p, ctx);
    const deployDir = cfg.get('DEPLOY_REPORT_PATH') === undefined ? undefined : cfg.path('DEPLOY_REPORT_PATH');
    const all = discoverSources(cfg.projectDir, cfg.path('BACKEND_PATH'), deployDir);
    const value = serviceNames(all).map((service) => {
      const files = all.filter((s) => s.service === service).flatMap(familyFiles);
      const last = files.reduce((m, f) => Math.max(m, f.mtimeMs), 0);
      return {
        Service: service, Files: files.length, SizeBytes: files.reduce((n, f) => n + f.size, 0),
        LastWriteTime: last > 0 ? new Date(last).toISOString() : null,
      };
    });
    return { value };
  },
});
