/**
 * A log entry inside the engine, and the levels and their order (logs/methods.ts makes the wire's Woosoo.LogEntry).
 * `ts` is the entry's effective time in epoch ms: its own timestamp, else the previous timestamped entry's in the
 * same file, else the file's modification time (so every entry sorts and filters by time).
 */
export const LEVELS = ['Debug', 'Info', 'Warning', 'Error'] as const;
export type Level = (typeof LEVELS)[number];

export const levelRank = (l: Level): number => LEVELS.indexOf(l);

/** The kinds of file Woosoo can parse. `plain` also recognises Laravel headers and leading timestamps per line. */
export type LogKind = 'laravel' | 'nginx-access' | 'nginx-error' | 'plain';

export interface LogEntry {
  /** Effective time (epoch ms); see the file comment. */
  ts: number;
  /** True when the entry carried its own timestamp. */
  ownTime: boolean;
  service: string;
  level: Level;
  message: string;
  source: string;
  /** 1-based line of the entry's first line in `source`; null when it was not counted (tail of a very large file). */
  line: number | null;
}

/** Where entries go as they are found (a batch at a time); waiting on it holds the reading (the pipe is full). */
export type EntrySink = (entries: LogEntry[]) => void | Promise<void>;

/** What the caller asked to keep: minimum level, a regex over the entry's whole text, and a time window. */
export interface EntryFilter {
  minLevel: number;
  /** Tested on the entry's raw text (all its lines); null = every entry. */
  pattern: RegExp | null;
  since: number | null;
  until: number | null;
}

export function acceptsTime(f: EntryFilter, ts: number): boolean {
  return (f.since === null || ts >= f.since) && (f.until === null || ts <= f.until);
}

export function accepts(f: EntryFilter, e: LogEntry, raw: string): boolean {
  return levelRank(e.level) >= f.minLevel && acceptsTime(f, e.ts) && (f.pattern === null || f.pattern.test(raw));
}
