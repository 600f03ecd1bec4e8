/**
 * core/kernel/run.ts, the one path of a method call for the RPC transport and the dashboard: params checked by the
 * method's schema (every problem named), items checked, the result masked (unless the method unmasks it and the
 * client allows it), a cancelled call throwing its signal's reason; recordCall handing every end to its observer,
 * whose failure never becomes the call's.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CallRecord } from '../../core/kernel/call';
import { RpcCode, WoosooError } from '../../core/kernel/errors';
import { defineMethod, typed, typedSchema } from '../../core/kernel/method';
import { recordCall, runMethod, type RunOptions } from '../../core/kernel/run';
import { registerSecrets } from '../../core/util/redact';

const SECRET = 'Run-Test-Secret-4417';
registerSecrets([SECRET]);

const echo = defineMethod({
  name: 'test.echo',
  summary: 'echo',
  params: z.object({ text: z.string(), count: z.number().int().min(1), bad: z.boolean().default(false), reveal: z.boolean().default(false) }),
  item: typedSchema('Echo', { Text: z.string() }),
  async handler(p, ctx) {
    ctx.emit([typed('Echo', { Text: `streamed ${p.text}` })]);
    if (p.bad) return { items: [{ $type: 'Echo', Text: 42 } as never] };
    return { items: Array.from({ length: p.count }, () => typed('Echo', { Text: p.text })), unmasked: p.reveal };
  },
});

const waits = defineMethod({
  name: 'test.waits',
  summary: 'waits until cancelled',
  params: z.object({}),
  async handler(_p, ctx) {
    await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
    return { value: 'ended' };
  },
});

function options(more: Partial<RunOptions> = {}): RunOptions & { sent: unknown[] } {
  const sent: unknown[] = [];
  return { id: 1, session: { env: {}, cwd: '/' }, signal: new AbortController().signal, notify: (_m, p) => sent.push(p), sent, ...more };
}

describe('runMethod', () => {
  it('refuses bad params naming every problem, before the handler runs', async () => {
    const o = options();
    const err = await runMethod(echo, { text: 1, count: 0 }, o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect((err as WoosooError).code).toBe(RpcCode.InvalidParams);
    expect((err as WoosooError).message).toMatch(/params\.text.*params\.count/s);
    expect(o.sent).toEqual([]);
  });

  it('streams and returns checked items, masked; unmasked only when the client allows it', async () => {
    const o = options();
    const r = await runMethod(echo, { text: `pw ${SECRET}`, count: 2 }, o);
    expect(r.items).toHaveLength(2);
    expect(JSON.stringify([r, o.sent])).not.toContain(SECRET);
    expect(JSON.stringify(o.sent)).toContain('streamed pw');
    expect(JSON.stringify(await runMethod(echo, { text: SECRET, count: 1, reveal: true }, options()))).toContain(SECRET);
    expect(JSON.stringify(await runMethod(echo, { text: SECRET, count: 1, reveal: true }, options({ allowUnmasked: false })))).not.toContain(SECRET);
    await expect(runMethod(echo, { text: 'x', count: 1, bad: true }, options())).rejects.toMatchObject({ errorId: 'InvalidResult' });
  });

  it('throws the signal\'s reason when the call is cancelled', async () => {
    const ctl = new AbortController();
    const running = runMethod(waits, {}, options({ signal: ctl.signal }));
    const reason = new WoosooError('Cancelled', 'stop', { category: 'OperationStopped', code: RpcCode.RequestCancelled });
    ctl.abort(reason);
    await expect(running).rejects.toBe(reason);
  });
});

describe('recordCall', () => {
  it('hands the observer each end, result or error, with its duration; an observer failure is not the call\'s', async () => {
    const seen: CallRecord[] = [];
    const start = { method: 'test.echo', params: { text: 'a' }, caller: undefined, session: { env: {}, cwd: '/' } };
    const r = await recordCall(start, () => runMethod(echo, { text: 'a', count: 1 }, options()), (c) => void seen.push(c));
    expect(seen[0]).toMatchObject({ method: 'test.echo', result: r });
    await expect(recordCall(start, () => runMethod(echo, {}, options()), (c) => void seen.push(c))).rejects.toMatchObject({ errorId: 'InvalidParams' });
    expect(seen[1].error).toMatchObject({ errorId: 'InvalidParams' });
    expect(seen.every((c) => c.durationMs >= 0)).toBe(true);
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await expect(recordCall(start, async () => ({ value: 1 }), () => { throw new Error('observer broke'); })).resolves.toEqual({ value: 1 });
    } finally {
      process.stderr.write = stderr;
    }
  });
});
