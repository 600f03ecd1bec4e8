/**
 * -Wait: follows each source's live file like `tail -F`. Woken by file-system events on the log folders (and a
 * short poll as a safety net), it reads what was appended; when the live file is replaced (rotation: another
 * inode, or the family's newest file changed) it first drains the old file through the handle it still holds,
 * then reads the new one from its start; a file that shrank (copy-and-truncate rotation) is read again from 0.
 * Runs until the request is cancelled ($/cancel, Ctrl+C) or -Until passes. File calls are synchronous: each
 * async one is a round trip through libuv's thread pool, and on a loaded machine every wake-up of a thread waits
 * for a core — three of them per look made the lag's p99 miss 50 ms at load 15+.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import type { EntryFilter, LogEntry } from './entry';
import { LINE_COUNT_LIMIT } from './backward';
import { countFileLines } from './forward';
import { countNewlines, groupLines, keep, makeEntry, splitLines, type Origin } from './region';
import { livePath, type LogSource } from './sources';

const POLL_MS = 250;
const READ_BYTES = 1024 * 1024;

/** Where following starts: the live file and the offset the initial read stopped at. */
export interface FollowStart {
  path: string | null;
  ino: number;
  offset: number;
}

interface Follower {
  src: LogSource;
  path: string | null;
  ino: number;
  offset: number;
  line: number | null;
  /** The open file (descriptor), or null. */
  fd: number | null;
  partial: Buffer;
}

export interface FollowOptions {
  signal: AbortSignal;
  until: number | null;
  emit: (entries: LogEntry[]) => void;
}

function close(fol: Follower): void {
  if (fol.fd !== null) closeSync(fol.fd);
  fol.fd = null;
}

async function openAt(fol: Follower, path: string, ino: number, offset: number): Promise<void> {
  fol.fd = openSync(path, 'r');
  fol.path = path;
  fol.ino = ino;
  fol.offset = offset;
  fol.partial = Buffer.alloc(0);
  fol.line = offset === 0 ? 1 : offset <= LINE_COUNT_LIMIT ? (await countFileLines(path, offset)) + 1 : null;
}

/** Reads from the follower's offset to the end of its open file; returns the complete entries that pass. */
function readNew(fol: Follower, f: EntryFilter, final: boolean): LogEntry[] {
  if (fol.fd === null || !fol.path) return [];
  const out: LogEntry[] = [];
  const { size } = fstatSync(fol.fd);
  if (size < fol.offset) {
    fol.offset = 0; // truncated in place (copy-and-truncate rotation)
    fol.partial = Buffer.alloc(0);
    fol.line = 1;
  }
  const origin: Origin = { service: fol.src.service, kind: fol.src.kind, path: fol.path, fallbackTs: Date.now() };
  while (fol.offset < size) {
    const buf = Buffer.allocUnsafe(Math.min(READ_BYTES, size - fol.offset));
    const bytesRead = readSync(fol.fd, buf, 0, buf.length, fol.offset);
    if (bytesRead === 0) break;
    fol.offset += bytesRead;
    const data = fol.partial.length ? Buffer.concat([fol.partial, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
    const cut = final && fol.offset >= size ? data.length : data.lastIndexOf(10) + 1;
    fol.partial = Buffer.from(data.subarray(cut));
    const block = data.subarray(0, cut);
    for (const g of groupLines(fol.src.kind, splitLines(block.toString('utf8')), fol.line)) {
      const { entry, raw } = makeEntry(origin, g.lines, g.line);
      if (keep(f, entry, raw)) out.push(entry);
    }
    if (fol.line !== null) fol.line += countNewlines(block, 0, block.length);
  }
  return out;
}

/** One look at a source: drain and switch on rotation, then read what was appended. */
async function check(fol: Follower, f: EntryFilter): Promise<LogEntry[]> {
  const live = livePath(fol.src);
  if (live === null) return [];
  let ino: number;
  try {
    ino = statSync(live).ino;
  } catch {
    return []; // not created yet, or between rename and re-create
  }
  const out: LogEntry[] = [];
  if (fol.fd !== null && ino === fol.ino) {
    fol.path = live; // the same file under a new name (renamed away; nothing replaced it yet): keep reading it
  } else {
    if (fol.fd !== null) {
      out.push(...readNew(fol, f, true));
      close(fol);
    }
    await openAt(fol, live, ino, 0);
  }
  out.push(...readNew(fol, f, false));
  return out;
}

export async function follow(sources: LogSource[], starts: Map<LogSource, FollowStart>, f: EntryFilter, opts: FollowOptions): Promise<void> {
  const followers: Follower[] = [];
  const watchers: FSWatcher[] = [];
  let wake: (() => void) | null = null;
  let dirty = false;
  const poke = () => {
    dirty = true;
    const w = wake;
    wake = null;
    w?.();
  };
  const timer = setInterval(poke, POLL_MS);
  const deadline = opts.until === null ? null : setTimeout(poke, Math.max(0, Math.min(opts.until - Date.now(), 2_147_000_000)));
  opts.signal.addEventListener('abort', poke, { once: true });
  try {
    for (const src of sources) {
      const fol: Follower = { src, path: null, ino: -1, offset: 0, line: null, fd: null, partial: Buffer.alloc(0) };
      const s = starts.get(src);
      if (s?.path) {
        try {
          await openAt(fol, s.path, s.ino, s.offset);
        } catch {
          close(fol); // gone already: check() picks up the new live file
        }
      }
      followers.push(fol);
    }
    for (const dir of new Set(sources.map((s) => s.dir))) {
      try {
        const w = watch(dir, { persistent: false }, poke);
        w.on('error', () => w.close());
        watchers.push(w);
      } catch {
        /* the folder may not exist yet: the poll covers it */
      }
    }
    const ended = () => opts.signal.aborted || (opts.until !== null && Date.now() > opts.until);
    while (!ended()) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      dirty = false;
      if (ended()) break;
      for (const fol of followers) {
        const entries = await check(fol, f).catch(() => [] as LogEntry[]);
        if (entries.length > 0 && !opts.signal.aborted) opts.emit(entries);
      }
    }
  } finally {
    clearInterval(timer);
    if (deadline) clearTimeout(deadline);
    opts.signal.removeEventListener('abort', poke);
    for (const w of watchers) w.close();
    for (const fol of followers) {
      try {
        close(fol);
      } catch {
        /* already closed */
      }
    }
  }
}
