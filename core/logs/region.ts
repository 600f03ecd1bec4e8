/**
 * Turning a block of complete lines into entries: grouping continuation lines with their entry, parsing, and —
 * for -Pattern — the fast path that runs the regex over the whole block and parses only the entries around a
 * match (grep's trick: most of a large log is never split into lines nor parsed).
 */
import { accepts, acceptsTime, levelRank, type EntryFilter, type LogEntry, type LogKind } from './entry';
import { hasLiteral, type Scanner } from './literal';
import { countNewlines } from './newlines';
import { isStart, parseEntry } from './parse';

export { countNewlines };
export { makeScanner, type Scanner } from './literal';

/** What an entry needs to know about where it came from. */
export interface Origin {
  service: string;
  kind: LogKind;
  path: string;
  /** Time given to entries without their own timestamp (the file's modification time). */
  fallbackTs: number;
}

export const multiLine = (kind: LogKind) => kind === 'laravel' || kind === 'plain';

const stripCr = (l: string) => (l.endsWith('\r') ? l.slice(0, -1) : l);

/** Builds the entry of one group of lines (first line + continuation lines). */
export function makeEntry(o: Origin, lines: string[], line: number | null): { entry: LogEntry; raw: string } {
  const rest = lines.length > 1 ? `\n${lines.slice(1).join('\n')}` : '';
  const p = parseEntry(o.kind, lines[0], rest);
  const entry: LogEntry = {
    ts: p.ts ?? o.fallbackTs, ownTime: p.ts !== null, service: o.service, level: p.level, message: p.message, source: o.path, line,
  };
  return { entry, raw: lines[0] + rest };
}

/** An entry matches -Pattern when one of its lines does (grep's semantics, also for stack traces). */
export function matchesAnyLine(re: RegExp, raw: string): boolean {
  if (!raw.includes('\n')) return re.test(raw);
  return raw.split('\n').some((l) => re.test(l));
}

export function keep(f: EntryFilter, e: LogEntry, raw: string): boolean {
  if (f.pattern === null) return accepts(f, e, raw);
  return levelRank(e.level) >= f.minLevel && acceptsTime(f, e.ts) && matchesAnyLine(f.pattern, raw);
}

/** Groups lines into entries; `firstLine` is the 1-based number of lines[0] (null = unknown). */
export function groupLines(kind: LogKind, lines: string[], firstLine: number | null): Array<{ lines: string[]; line: number | null }> {
  const groups: Array<{ lines: string[]; line: number | null }> = [];
  let current: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = stripCr(lines[i]);
    if (current === null || isStart(kind, l)) {
      current = [l];
      groups.push({ lines: current, line: firstLine === null ? null : firstLine + i });
    } else {
      current.push(l);
    }
  }
  return groups.filter((g) => g.lines.some((l) => l.trim() !== ''));
}

/** Splits text into lines, dropping the empty string after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every entry of a block of complete lines that passes the filter. */
export function parseBlock(o: Origin, text: string, firstLine: number | null, f: EntryFilter): LogEntry[] {
  const out: LogEntry[] = [];
  for (const g of groupLines(o.kind, splitLines(text), firstLine)) {
    const { entry, raw } = makeEntry(o, g.lines, g.line);
    if (keep(f, entry, raw)) out.push(entry);
  }
  return out;
}

/** A pattern that can run on the block decoded as latin1 (bytes = chars) without missing a UTF-8 match. */
export function byteSafe(re: RegExp): boolean {
  return /^[\x20-\x7e]*$/.test(re.source) && !/\.|\[\^|\\[WSDBu]/.test(re.source.replace(/\\\\/g, ''));
}

const START_PROBE = 200;

/**
 * The fast path for -Pattern over a block of complete lines (bytes): the regex runs over the whole block, each hit
 * is confirmed on its own line, then widened to its whole entry, which alone is parsed. Returns the entries that
 * pass and the number of newlines in the block.
 */
export function scanBlock(o: Origin, block: Buffer, firstLine: number, f: EntryFilter & { pattern: RegExp }, sc: Scanner): { entries: LogEntry[]; newlines: number } {
  if (sc.literal !== null && !hasLiteral(block, sc, sc.literal)) return { entries: [], newlines: countNewlines(block, 0, block.length) };
  const scan = sc.scan;
  const latin1 = byteSafe(scan);
  const text = block.toString(latin1 ? 'latin1' : 'utf8');
  const slice = (a: number, b: number) => (latin1 ? block.toString('utf8', a, b) : text.slice(a, b));
  const lineEnd = (from: number) => {
    const i = text.indexOf('\n', from);
    return i === -1 ? text.length : i;
  };
  const startsEntry = (at: number) => isStart(o.kind, stripCr(text.slice(at, Math.min(lineEnd(at), at + START_PROBE))));
  const multi = multiLine(o.kind);
  const out: LogEntry[] = [];
  let countedAt = 0;
  let line = firstLine;
  scan.lastIndex = 0;
  for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
    const ls = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
    const le = lineEnd(m.index);
    if (!f.pattern.test(stripCr(slice(ls, le)))) {
      scan.lastIndex = le + 1;
      continue;
    }
    let es = ls;
    while (multi && es > 0 && !startsEntry(es)) es = es <= 1 ? 0 : text.lastIndexOf('\n', es - 2) + 1;
    let ee = le;
    while (multi && ee + 1 < text.length && !startsEntry(ee + 1)) ee = lineEnd(ee + 1);
    line += countChar(text, countedAt, es);
    countedAt = es;
    const { entry } = makeEntry(o, splitLines(slice(es, ee)).map(stripCr), line);
    if (levelRank(entry.level) >= f.minLevel && acceptsTime(f, entry.ts)) out.push(entry);
    scan.lastIndex = ee + 1;
  }
  return { entries: out, newlines: countNewlines(block, 0, block.length) };
}

function countChar(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Where the last, possibly unfinished entry of a block begins (it is carried to the next read): after the last
 * newline for one-line formats; at the last line that starts an entry for multi-line ones. 0 = none found.
 */
export function entryCut(kind: LogKind, data: Buffer): number {
  const lastNl = data.lastIndexOf(10);
  if (lastNl === -1) return 0;
  if (!multiLine(kind)) return lastNl + 1;
  let end = lastNl;
  while (end > 0) {
    const start = data.lastIndexOf(10, end - 1) + 1;
    const probe = stripCr(data.toString('utf8', start, Math.min(end, start + START_PROBE)));
    if (isStart(kind, probe)) return start;
    if (start === 0) return 0;
    end = start - 1;
  }
  return 0;
}
