/**
 * Get-WoosooLog's work: pick the sources, build the filter, then read — the last N entries (-Tail, from the end
 * of each file), everything in time order (several services merged as they stream), and with -Wait keep following.
 */
import { join } from 'node:path';
import type { RequestContext } from '../kernel/context';
import { WoosooError, toItemError, type ItemError } from '../kernel/errors';
import { LEVELS, type EntryFilter, type EntrySink, type Level, type LogEntry } from './entry';
import { readBackward } from './backward';
import { follow, type FollowStart } from './follow';
import { readForward } from './forward';
import { mergeByTime } from './merge';
import type { Origin } from './region';
import { discoverSources, familyFiles, selectSources, serviceNames, type LogFile, type LogSource } from './sources';

export interface LogQuery {
  services?: string[];
  tail?: number;
  level?: Level;
  pattern?: string;
  caseSensitive?: boolean;
  since?: string;
  until?: string;
  wait?: boolean;
}

const BATCH = 1000;
/** -Wait without -Tail starts with the last entries, like tail -f. */
export const WAIT_DEFAULT_TAIL = 10;

function time(name: string, iso: string | undefined): number | null {
  if (iso === undefined) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    throw new WoosooError('LogTimeInvalid', `${name} "${iso}" is not a date and time.`, {
      category: 'InvalidArgument', target: iso, fix: `Pass ${name} as a [datetime] or a span such as 2h, 30m or 7d.`,
    });
  }
  return t;
}

export function buildFilter(q: LogQuery): EntryFilter {
  let pattern: RegExp | null = null;
  if (q.pattern !== undefined && q.pattern !== '') {
    try {
      pattern = new RegExp(q.pattern, q.caseSensitive ? '' : 'i');
    } catch (err) {
      throw new WoosooError('LogPatternInvalid', `-Pattern "${q.pattern}" is not a valid regular expression: ${(err as Error).message}`, {
        category: 'InvalidArgument', target: q.pattern, fix: 'Fix the regular expression (escape ( ) [ ] . * + ? with \\ to match them literally).',
      });
    }
  }
  const since = time('-Since', q.since);
  const until = time('-Until', q.until);
  if (since !== null && until !== null && since > until) {
    throw new WoosooError('LogTimeRangeEmpty', `-Since (${q.since}) is after -Until (${q.until}).`, {
      category: 'InvalidArgument', target: `${q.since}..${q.until}`, fix: 'Swap -Since and -Until, or drop one of them.',
    });
  }
  return { minLevel: q.level ? LEVELS.indexOf(q.level) : 0, pattern, since, until };
}

/** The sources to read, and one non-terminating error per -Service name that matched nothing. */
export function pickSources(projectDir: string, backendDir: string, services: string[] | undefined, deployDir?: string, servicePrefix = ''): { sources: LogSource[]; errors: ItemError[] } {
  const all = discoverSources(projectDir, backendDir, deployDir);
  const { sources, unmatched } = selectSources(all, services, servicePrefix);
  const known = serviceNames(all);
  const knownText = known.length > 0 ? `Services with logs: ${known.join(', ')}.` : `There are no logs yet under ${projectDir}/logs or ${backendDir}/storage/logs.`;
  if (sources.length === 0) {
    throw new WoosooError('LogServiceNotFound', `No logs for ${services?.length ? `-Service ${services.join(', ')}` : 'this project'}. ${knownText}`, {
      category: 'ObjectNotFound', target: services?.join(',') ?? projectDir, fix: 'Pick a service from the list above (wildcards work, "all" reads every one).',
    });
  }
  const errors = unmatched.map((name) => toItemError(new WoosooError('LogServiceNotFound', `No logs for service "${name}". ${knownText}`, {
    category: 'ObjectNotFound', target: name, fix: 'Check the name; wildcards such as queue* work.',
  })));
  return { sources, errors };
}

interface Snapshot {
  src: LogSource;
  files: LogFile[];
  start: FollowStart;
}

/** Freezes each source's files and sizes now, so reading and following meet without a gap or a duplicate. */
function snapshot(sources: LogSource[], f: EntryFilter): Snapshot[] {
  return sources.map((src) => {
    const all = familyFiles(src);
    const live = all[all.length - 1];
    const start: FollowStart = live ? { path: live.path, ino: live.ino, offset: live.size } : { path: null, ino: -1, offset: 0 };
    return { src, files: all.filter((x) => f.since === null || x.mtimeMs >= f.since), start };
  });
}

const origin = (src: LogSource, file: LogFile): Origin => ({ service: src.service, kind: src.kind, path: file.path, fallbackTs: file.mtimeMs });

async function tailOf(snaps: Snapshot[], f: EntryFilter, want: number, signal: AbortSignal): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  for (const s of snaps) {
    const mine: LogEntry[] = [];
    for (let i = s.files.length - 1; i >= 0 && mine.length < want; i--) {
      mine.push(...await readBackward(origin(s.src, s.files[i]), f, want - mine.length, s.files[i].size, signal));
    }
    all.push(...mine.reverse());
  }
  return all.sort((a, b) => a.ts - b.ts).slice(-want);
}

async function* forwardOf(s: Snapshot, f: EntryFilter, signal: AbortSignal): AsyncGenerator<LogEntry[]> {
  for (const file of s.files) yield* readForward(origin(s.src, file), f, { end: file.size, signal });
}

/**
 * The entries of the query, in time order: batches of the forward read and every entry -Wait follows go to `sink` as
 * they are found; the rest (the last batch, or all of -Tail) is returned.
 */
export async function queryLogs(sources: LogSource[], q: LogQuery, ctx: Pick<RequestContext, 'log' | 'signal' | 'throwIfCancelled'>, sink: EntrySink): Promise<LogEntry[]> {
  const f = buildFilter(q);
  const snaps = snapshot(sources, f);
  const empty = snaps.filter((x) => x.files.length === 0).map((x) => (x.src.base ? join(x.src.dir, x.src.base) : x.src.dir));
  if (empty.length > 0) ctx.log('verbose', `No log files${f.since === null ? '' : ' written since -Since'} yet: ${empty.join(', ')}`);
  const tail = q.tail ?? (q.wait ? WAIT_DEFAULT_TAIL : undefined);
  let rest: LogEntry[] = [];
  if (tail !== undefined) {
    rest = await tailOf(snaps, f, tail, ctx.signal);
    ctx.throwIfCancelled();
  } else {
    for await (const batch of mergeByTime(snaps.map((s) => forwardOf(s, f, ctx.signal)), BATCH)) {
      ctx.throwIfCancelled();
      rest.push(...batch);
      if (rest.length >= BATCH) {
        await sink(rest);
        rest = [];
      }
    }
  }
  if (!q.wait) return rest;
  await sink(rest);
  await follow(sources, new Map(snaps.map((s) => [s.src, s.start])), f, {
    signal: ctx.signal,
    until: f.until,
    emit: (entries) => void sink(entries),
  });
  return [];
}
