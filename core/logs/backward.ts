/**
 * -Tail: the last N entries of a file, read from the end in chunks (never the whole file). Entries come out newest
 * first; reading stops as soon as N entries passed the filter, or an entry is older than -Since. With -Pattern,
 * chunks without the characters every match needs are skipped unparsed: chunks are read synchronously into a
 * WebAssembly kernel's memory (as forward.ts does), whose pass finds the literal's rare bytes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntryFilter, LogEntry, LogKind } from './entry';
import { countFileLines } from './forward';
import { acquireKernel, releaseKernel, type Kernel } from './kernel';
import { keep, makeEntry, type Origin } from './region';
import { hasLiteral, literalAt, makeScanner, needleOf, type Scanner } from './literal';
import { isStart } from './parse';

const BACK_CHUNK = 256 * 1024;
/** The longest stretch of synchronous reading before the event loop gets a turn. */
const TURN_MS = 10;
/** Line numbers are counted for files up to this size; above it Line is null for -Tail (counting means reading it all). */
export const LINE_COUNT_LIMIT = 64 * 1024 * 1024;

interface Found {
  entry: LogEntry;
  offset: number;
}

/** Whether data[from, to) may hold the literal, or one of the alternatives' (false only when it surely does not). */
function mayHold(data: Buffer, from: number, to: number, sc: Scanner, kernel: Kernel | null): boolean {
  const lit = sc.literal;
  if (lit === null) return sc.alternatives === null || sc.alternatives.some((alt) => mayHold(data, from, to, alt, kernel));
  if (kernel === null) return hasLiteral(data.subarray(from, to), sc, lit);
  const c = kernel.scan(from, to, sc.needle ?? needleOf(sc, lit, data.subarray(from, to))).candidates;
  return c === null || (c.length > 0 && literalAt(data.subarray(0, to), sc, lit, c).length > 0);
}

/** Up to `want` entries of the file's first `end` bytes that pass the filter, newest first. */
export async function readBackward(o: Origin, f: EntryFilter, want: number, end: number, signal?: AbortSignal): Promise<LogEntry[]> {
  const found: Found[] = [];
  const fd = openSync(o.path, 'r');
  const kernel = acquireKernel(BACK_CHUNK + 64 * 1024);
  try {
    end = Math.min(end, fstatSync(fd).size); // the file may have been truncated since it was listed
    let pos = end;
    let carry: Buffer = Buffer.alloc(0);
    /** Continuation lines seen (going up) whose entry start is not reached yet, newest last → reversed on use. */
    let pending: string[] = [];
    let done = false;
    const sc = f.pattern ? makeScanner(f.pattern) : null;
    const take = (lines: string[], offset: number) => {
      const { entry, raw } = makeEntry(o, lines, null);
      if (entry.ownTime && f.since !== null && entry.ts < f.since) done = true;
      else if (keep(f, entry, raw)) found.push({ entry, offset });
      if (found.length >= want) done = true;
    };
    let turn = performance.now() + TURN_MS;
    while (!done && !signal?.aborted && (pos > 0 || carry.length > 0)) {
      if (performance.now() > turn) {
        await nextTurn();
        turn = performance.now() + TURN_MS;
      }
      const readStart = Math.max(0, pos - BACK_CHUNK);
      // the chunk, then the cut line carried from the later chunk, in one buffer (the kernel's memory when there is one)
      const size = pos - readStart + carry.length;
      kernel?.ensure(size);
      const buf = kernel ? kernel.data : Buffer.allocUnsafe(size);
      if (pos > readStart) readSync(fd, buf, 0, pos - readStart, readStart);
      carry.copy(buf, pos - readStart);
      const data = buf.subarray(0, size);
      pos = readStart;
      // The first line of the data may be cut: keep it for the next (earlier) read unless we are at the file's start.
      const firstNl = pos > 0 ? data.indexOf(10) : -1;
      if (pos > 0 && firstNl === -1) {
        carry = Buffer.from(data);
        continue;
      }
      const from = pos > 0 ? firstNl + 1 : 0;
      carry = pos > 0 ? Buffer.from(data.subarray(0, from)) : Buffer.alloc(0);
      let lineEnd = data.length;
      if (lineEnd > from && data[lineEnd - 1] === 10) lineEnd--;
      if (sc && (sc.literal || sc.alternatives) && !pending.some((l) => f.pattern!.test(l)) && !mayHold(data, from, lineEnd, sc, kernel)) {
        pending = skipRegion(o.kind, data, from, lineEnd, pending, pos === 0);
        continue;
      }
      while (!done && lineEnd >= from) {
        const lineStart = lineEnd > 0 ? Math.max(from, data.lastIndexOf(10, lineEnd - 1) + 1) : 0;
        const text = data.toString('utf8', lineStart, lineEnd);
        const l = text.endsWith('\r') ? text.slice(0, -1) : text;
        if (isStart(o.kind, l) || (pos === 0 && lineStart === 0)) {
          const lines = [l, ...pending.reverse()];
          pending = [];
          if (lines.some((x) => x.trim() !== '')) take(lines, pos + lineStart);
        } else {
          pending.push(l);
        }
        if (lineStart === from) break;
        lineEnd = lineStart - 1;
      }
    }
  } finally {
    closeSync(fd);
    releaseKernel(kernel);
  }
  if (found.length > 0 && end <= LINE_COUNT_LIMIT) await numberLines(o.path, found);
  return found.map((x) => x.entry);
}

/**
 * -Pattern: a region of lines without the characters every match needs holds no matching line, so none of its
 * entries match — unless one continues into lines already read (`pending`), which the caller checked. Only the
 * lines at its top that continue an earlier entry are kept (newest first, as `pending` is); at the file's start,
 * or when the region is all continuation of an entry further up, the rules are the same as line by line.
 */
function skipRegion(kind: LogKind, data: Buffer, from: number, end: number, pending: string[], atFileStart: boolean): string[] {
  const top: string[] = [];
  for (let s = from; s <= end;) {
    let e = data.indexOf(10, s);
    if (e === -1 || e > end) e = end;
    const text = data.toString('utf8', s, e);
    const l = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (isStart(kind, l)) return atFileStart ? [] : top.reverse();
    top.push(l);
    if (e >= end) break;
    s = e + 1;
  }
  return atFileStart ? [] : [...pending, ...top.reverse()];
}

/** Sets Line from byte offsets (newest first in `found`): one forward count up to the oldest, then between them. */
async function numberLines(path: string, found: Found[]): Promise<void> {
  const oldest = found[found.length - 1].offset;
  let line = (await countFileLines(path, oldest)) + 1;
  const fd = openSync(path, 'r');
  try {
    const newest = found[0].offset;
    const span = Buffer.allocUnsafe(newest - oldest);
    if (span.length > 0) readSync(fd, span, 0, span.length, oldest);
    let at = 0;
    for (let i = found.length - 1; i >= 0; i--) {
      const rel = found[i].offset - oldest;
      for (let j = span.indexOf(10, at); j !== -1 && j < rel; j = span.indexOf(10, j + 1)) line++;
      at = rel;
      found[i].entry.line = line;
    }
  } finally {
    closeSync(fd);
  }
}
