/**
 * core/util/sysinfo.ts: every systeminformation call has the request's deadline and cancel, so a library call that
 * starts a tool of its own (netstat under Wine never answers) cannot hold a request.
 */
import { describe, expect, it } from 'vitest';
import { SystemProbeTimeout, factsOf, probeSystem, processFacts, processList } from '../../core/util/sysinfo';

const never = () => new Promise<never>(() => {});

describe('probeSystem', () => {
  it('returns what the library answers', async () => {
    const mem = await probeSystem('the memory probe', (si) => si.mem(), { timeoutMs: 30_000 });
    expect(mem.total).toBeGreaterThan(0);
  });

  it('ends the wait at the deadline with a SystemProbeTimeout naming the probe', async () => {
    const t0 = Date.now();
    const err = await probeSystem('the listening ports probe', never, { timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(SystemProbeTimeout);
    expect(err.message).toBe('the listening ports probe did not answer within 0 s');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('ends the wait on the request\'s cancel, with its reason; an already cancelled request does not start it', async () => {
    const abort = new AbortController();
    const waiting = probeSystem('the process list probe', never, { signal: abort.signal, timeoutMs: 60_000 });
    setTimeout(() => abort.abort(new Error('cancelled by Ctrl+C')), 50);
    await expect(waiting).rejects.toThrow('cancelled by Ctrl+C');
    let called = false;
    await expect(probeSystem('x', async () => { called = true; return 1; }, { signal: abort.signal })).rejects.toThrow('cancelled by Ctrl+C');
    expect(called).toBe(false);
  });
});

describe('the process list', () => {
  it('gives a process\'s CPU %, resident memory and start; a CPU figure the library could not compute (NaN) is null, never NaN%', () => {
    const list = [
      { pid: 10, cpu: 3.25, memRss: 2048, started: '2026-12-03 13:00:00' },
      { pid: 11, cpu: Number.NaN, memRss: 4096, started: '2026-12-03 13:00:01' },
      { pid: 12, cpu: 1, memRss: 1, started: '' },
    ];
    const f = factsOf(list, [10, 11, 99]);
    expect([...f.keys()]).toEqual([10, 11]);
    expect(f.get(10)).toEqual({ pid: 10, cpu: 3.25, memRss: 2048, started: '2026-12-03 13:00:00' });
    expect(f.get(11)).toEqual({ pid: 11, cpu: null, memRss: 4096, started: '2026-12-03 13:00:01' });
  });

  it('reads it once for callers that ask at the same time (the library\'s CPU figures are deltas from its last read)', async () => {
    let reads = 0;
    const fake = { processes: async () => { reads++; await new Promise((r) => setTimeout(r, 20)); return { list: [] }; } } as unknown as Parameters<typeof processList>[0];
    const [a, b, c] = await Promise.all([processList(fake), processList(fake), processList(fake)]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    await processList(fake);
    expect(reads).toBe(2); // a read that ended is not kept
  });

  it('gives this process\'s own facts from the real list, with a CPU figure that is a number', async () => {
    const [x, y] = await Promise.all([processFacts([process.pid], { timeoutMs: 30_000 }), processFacts([process.pid], { timeoutMs: 30_000 })]);
    for (const f of [x.get(process.pid), y.get(process.pid)]) {
      expect(f?.memRss).toBeGreaterThan(10 * 1024); // KiB: a node process holds more than 10 MB
      expect(Number.isFinite(f?.cpu)).toBe(true);
    }
  });
});
