/**
 * Reading a log file from the start (or an offset) to an end offset in large chunks, with flat memory: each chunk
 * is cut after its last complete entry and the rest is carried into the next read. Chunks are read synchronously
 * (a page-cache read is microseconds; the thread-pool round trip of an async read cost more CPU than the copy)
 * straight into a WebAssembly kernel's memory, where one SIMD pass counts newlines and finds -Pattern's literal;
 * the event loop gets a turn every few milliseconds, so $/cancel and other requests are not held up.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntryFilter, LogEntry } from './entry';
import { acquireKernel, releaseKernel, type Kernel } from './kernel';
import { countNewlines, entryCut, makeScanner, parseBlock, scanBlock, type Origin } from './region';

/** Read size: small enough to stay in the CPU cache while it is decoded and searched (measured: 4 MiB was 2× slower). */
export const CHUNK_BYTES = 256 * 1024;
/** An entry longer than this is split (a runaway line must not hold the whole file in memory). */
const MAX_CARRY = 64 * 1024 * 1024;
/** The longest stretch of synchronous reading before the event loop gets a turn. */
const TURN_MS = 10;

export interface ForwardOptions {
  start?: number;
  end: number;
  /** 1-based number of the line at `start`. */
  firstLine?: number;
  signal?: AbortSignal;
}

/** Where the chunks are read into: a kernel's memory, or (without WebAssembly SIMD) a Buffer. */
interface Store {
  data: Buffer;
  ensure(capacity: number): void;
}

function heapStore(capacity: number): Store {
  const s: Store = {
    data: Buffer.allocUnsafe(capacity),
    ensure(c) {
      if (c <= s.data.length) return;
      const bigger = Buffer.allocUnsafe(c);
      s.data.copy(bigger);
      s.data = bigger;
    },
  };
  return s;
}

/** Yields the entries of each chunk that pass the filter, in file order. */
export async function* readForward(o: Origin, f: EntryFilter, opts: ForwardOptions): AsyncGenerator<LogEntry[]> {
  const fd = openSync(o.path, 'r');
  const kernel = acquireKernel(2 * CHUNK_BYTES);
  const store: Store = kernel ?? heapStore(2 * CHUNK_BYTES);
  try {
    // The unfinished entry carried from the last read stays at the front and the next read lands right after it
    // (no copy of the whole chunk per read); the store grows only for an entry longer than a chunk.
    const scanner = f.pattern ? makeScanner(f.pattern) : null;
    const withPattern = f.pattern ? { ...f, pattern: f.pattern } : null;
    let end = opts.end;
    let pos = opts.start ?? 0;
    let line = opts.firstLine ?? 1;
    let carried = 0;
    let turn = performance.now() + TURN_MS;
    while (pos < end || carried > 0) {
      if (performance.now() > turn) {
        await nextTurn();
        turn = performance.now() + TURN_MS;
      }
      if (opts.signal?.aborted) return;
      if (carried + CHUNK_BYTES > store.data.length) store.ensure(2 * (carried + CHUNK_BYTES));
      const buf = store.data;
      let n = 0;
      if (pos < end) {
        n = readSync(fd, buf, carried, Math.min(CHUNK_BYTES, end - pos), pos);
        if (n === 0) end = pos; // the file shrank (truncated) while we read it
        pos += n;
      }
      const data = buf.subarray(0, carried + n);
      const eof = pos >= end;
      let cut = eof ? data.length : entryCut(o.kind, data);
      if (cut === 0 && !eof) {
        if (data.length < MAX_CARRY) {
          carried = data.length;
          continue;
        }
        cut = data.lastIndexOf(10) + 1 || data.length;
      }
      const block = data.subarray(0, cut);
      let entries: LogEntry[];
      if (scanner && withPattern) {
        const r = scanBlock(o, block, line, withPattern, scanner, kernel);
        entries = r.entries;
        line += r.newlines;
      } else {
        entries = parseBlock(o, block.toString('utf8'), line, f);
        line += kernel ? kernel.count(0, cut) : countNewlines(block, 0, cut);
      }
      carried = data.length - cut;
      if (carried > 0) buf.copyWithin(0, cut, data.length);
      if (entries.length > 0) yield entries;
    }
  } finally {
    closeSync(fd);
    releaseKernel(kernel);
  }
}

/** Newlines in the first `end` bytes of a file (the line number of the byte at `end`, minus one). */
export async function countFileLines(path: string, end: number): Promise<number> {
  const fd = openSync(path, 'r');
  const kernel: Kernel | null = acquireKernel(CHUNK_BYTES);
  const buf = kernel ? kernel.data : Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    let n = 0;
    let turn = performance.now() + TURN_MS;
    for (let pos = 0; pos < end;) {
      if (performance.now() > turn) {
        await nextTurn();
        turn = performance.now() + TURN_MS;
      }
      const bytesRead = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, end - pos), pos);
      if (bytesRead === 0) break;
      n += kernel ? kernel.count(0, bytesRead) : countNewlines(buf, 0, bytesRead);
      pos += bytesRead;
    }
    return n;
  } finally {
    closeSync(fd);
    releaseKernel(kernel);
  }
}
