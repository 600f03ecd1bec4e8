/** Merging several time-ordered streams of entries (one per log file family) into one, oldest first. */
import type { LogEntry } from './entry';

interface Head {
  it: AsyncIterator<LogEntry[]>;
  batch: LogEntry[];
  i: number;
}

/**
 * k-way merge by `ts`; ties go to the earlier stream (stable). Yields arrays of up to `batchSize` entries, and
 * yields what it has before waiting on a slow stream. A single stream passes through unchanged.
 */
export async function* mergeByTime(streams: AsyncIterable<LogEntry[]>[], batchSize: number): AsyncGenerator<LogEntry[]> {
  if (streams.length === 1) {
    yield* streams[0];
    return;
  }
  const heads: Head[] = [];
  const refill = async (h: Head): Promise<boolean> => {
    for (;;) {
      const r = await h.it.next();
      if (r.done) return false;
      if (r.value.length > 0) {
        h.batch = r.value;
        h.i = 0;
        return true;
      }
    }
  };
  for (const s of streams) {
    const h: Head = { it: s[Symbol.asyncIterator](), batch: [], i: 0 };
    if (await refill(h)) heads.push(h);
  }
  let out: LogEntry[] = [];
  try {
    while (heads.length > 0) {
      let best = 0;
      for (let k = 1; k < heads.length; k++) {
        if (heads[k].batch[heads[k].i].ts < heads[best].batch[heads[best].i].ts) best = k;
      }
      const h = heads[best];
      out.push(h.batch[h.i++]);
      if (h.i >= h.batch.length) {
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (!(await refill(h))) heads.splice(best, 1);
      } else if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    for (const h of heads) await h.it.return?.();
  }
}
