/**
 * Turning a block of complete lines into entries: grouping continuation lines with their entry, parsing, and —
 * for -Pattern — the fast path that runs the regex over the whole block and parses only the entries around a
 * match (grep's trick: most of a large log is never split into lines nor parsed).
 */
import { accepts, acceptsTime, levelRank, type EntryFilter, type LogEntry, type LogKind } from './entry';
import type { Kernel } from './kernel';
import { findLiteral, literalAt, needleOf, type Scanner } from './literal';
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

/** A block of complete lines seen either as bytes or as its decoded text (positions are in the same space). */
interface Lines {
  length: number;
  /** Start of the line that holds `pos`. */
  lineStart(pos: number): number;
  /** The newline that ends the line holding `pos` (or `length`). */
  lineEnd(pos: number): number;
  /** The decoded text of [a, b). */
  text(a: number, b: number): string;
  /** Newlines in [a, b). */
  newlines(a: number, b: number): number;
}

function bytesLines(block: Buffer, newlines: (a: number, b: number) => number): Lines {
  return {
    length: block.length,
    lineStart: (pos) => (pos === 0 ? 0 : block.lastIndexOf(10, pos - 1) + 1),
    lineEnd: (pos) => {
      const i = pos < block.length ? block.indexOf(10, pos) : -1;
      return i === -1 ? block.length : i;
    },
    text: (a, b) => block.toString('utf8', a, b),
    newlines,
  };
}

function textLines(block: Buffer, text: string, latin1: boolean): Lines {
  return {
    length: text.length,
    lineStart: (pos) => (pos === 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1),
    lineEnd: (pos) => {
      const i = text.indexOf('\n', pos);
      return i === -1 ? text.length : i;
    },
    text: (a, b) => (latin1 ? block.toString('utf8', a, b) : text.slice(a, b)),
    newlines: (a, b) => countChar(text, a, b),
  };
}

/**
 * The entries around the hits: `next(from)` gives the first place at or after `from` where a match may be (-1 =
 * none); its line is tested, and when it matches the whole entry around it is parsed. Only those entries are.
 */
function pick(o: Origin, L: Lines, firstLine: number, f: EntryFilter & { pattern: RegExp }, next: (from: number) => number): LogEntry[] {
  const startsEntry = (at: number) => isStart(o.kind, stripCr(L.text(at, Math.min(L.lineEnd(at), at + START_PROBE))));
  const multi = multiLine(o.kind);
  const out: LogEntry[] = [];
  let countedAt = 0;
  let line = firstLine;
  for (let at = next(0); at !== -1; ) {
    const ls = L.lineStart(at);
    const le = L.lineEnd(at);
    if (!f.pattern.test(stripCr(L.text(ls, le)))) {
      at = next(le + 1);
      continue;
    }
    let es = ls;
    while (multi && es > 0 && !startsEntry(es)) es = L.lineStart(es - 1);
    let ee = le;
    while (multi && ee + 1 < L.length && !startsEntry(ee + 1)) ee = L.lineEnd(ee + 1);
    line += L.newlines(countedAt, es);
    countedAt = es;
    const { entry } = makeEntry(o, splitLines(L.text(es, ee)).map(stripCr), line);
    if (levelRank(entry.level) >= f.minLevel && acceptsTime(f, entry.ts)) out.push(entry);
    at = next(ee + 1);
  }
  return out;
}

/**
 * The fast path for -Pattern over a block of complete lines (bytes). With a required literal, only the lines where
 * it occurs are tested: the kernel (when given, `block` must start at its data[0]) finds them in the same pass that
 * counts the block's newlines, else Buffer.indexOf jumps do; a block where it occurs more than once per KiB is
 * searched whole instead. Without one, the regex runs over the whole decoded block and each hit is confirmed on its
 * own line. Either way only the entries around a match are parsed.
 */
export function scanBlock(o: Origin, block: Buffer, firstLine: number, f: EntryFilter & { pattern: RegExp }, sc: Scanner, kernel: Kernel | null = null): { entries: LogEntry[]; newlines: number } {
  const count = counter(block, kernel);
  const subs = sc.literal !== null ? [sc] : sc.alternatives;
  if (subs === null) return { entries: wholeBlock(o, block, firstLine, f, sc), newlines: count(0, block.length) };
  // more places than this and testing line by line costs more than one regex run over the decoded block
  const dense = block.length >> 10;
  let newlines = -1;
  let starts: number[] | null = [];
  for (const s of subs) {
    const found = literalPlaces(block, s, kernel, dense);
    if (newlines === -1 && found.newlines !== null) newlines = found.newlines;
    if (found.at === null || starts.length + found.at.length > dense) {
      starts = null;
      break;
    }
    starts.push(...found.at);
  }
  if (newlines === -1) newlines = count(0, block.length);
  if (starts !== null && starts.length === 0) return { entries: [], newlines };
  if (starts === null) return { entries: wholeBlock(o, block, firstLine, f, sc), newlines };
  const at = subs.length > 1 ? starts.sort((x, y) => x - y) : starts;
  let i = 0;
  const next = (from: number) => {
    while (i < at.length && at[i] < from) i++;
    return i < at.length ? at[i] : -1;
  };
  return { entries: pick(o, bytesLines(block, count), firstLine, f, next), newlines };
}

/**
 * Where the scanner's literal starts in the block (null: more than `dense` candidates, not worth listing), and the
 * block's newlines when the kernel counted them on the way.
 */
function literalPlaces(block: Buffer, sc: Scanner, kernel: Kernel | null, dense: number): { at: number[] | null; newlines: number | null } {
  const lit = sc.literal;
  if (lit === null) return { at: null, newlines: null };
  if (kernel === null) {
    const at = findLiteral(block, sc, lit, dense + 1);
    return { at: at.length > dense ? null : at, newlines: null };
  }
  const r = kernel.scan(0, block.length, sc.needle ?? needleOf(sc, lit, block));
  const c = r.candidates;
  return { at: c === null || c.length > dense ? null : c.length === 0 ? [] : literalAt(block, sc, lit, c), newlines: r.newlines };
}

/** The regex over the whole decoded block (byte for byte when that cannot miss a match), each hit confirmed on its line. */
function wholeBlock(o: Origin, block: Buffer, firstLine: number, f: EntryFilter & { pattern: RegExp }, sc: Scanner): LogEntry[] {
  const scan = sc.scan;
  const latin1 = byteSafe(scan);
  const text = block.toString(latin1 ? 'latin1' : 'utf8');
  const next = (from: number) => {
    scan.lastIndex = from;
    const m = scan.exec(text);
    return m === null ? -1 : m.index;
  };
  return pick(o, textLines(block, text, latin1), firstLine, f, next);
}

/** Newlines in block[a, b): in the kernel's memory when the block is there (at its data[0]), else copied to one. */
function counter(block: Buffer, kernel: Kernel | null): (a: number, b: number) => number {
  return kernel ? (a, b) => kernel.count(a, b) : (a, b) => countNewlines(block, a, b);
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
