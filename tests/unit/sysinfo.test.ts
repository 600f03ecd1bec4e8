/**
 * core/util/sysinfo.ts: every systeminformation call has the request's deadline and cancel, so a library call that
 * starts a tool of its own (netstat under Wine never answers) cannot hold a request.
 */
import { describe, expect, it } from 'vitest';
import { SystemProbeTimeout, probeSystem } from '../../core/util/sysinfo';

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
