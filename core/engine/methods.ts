/**
 * Methods about the engine itself: engine.ping (the benchmark's round trip) and engine.info.
 * With WOOSOO_ENGINE_TEST_METHODS=1 in the engine's own environment (tests only) it also offers test.sleep,
 * which runs a real child process until it ends or is cancelled, and test.notify, which sends each kind of
 * notification: the wire tests need a long-running request and notifications before later domains exist.
 */
import { z } from 'zod';
import { WoosooError } from '../kernel/errors';
import { defineMethod, type MethodDef } from '../kernel/method';
import { testMethodsEnabled } from '../kernel/testseams';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../kernel/version';
import { nodeExecutable } from '../process/node';

const ping = defineMethod({
  name: 'engine.ping',
  summary: 'Answers at once; for health of the wire and the per-call overhead benchmark.',
  params: z.object({}),
  async handler() {
    return { value: 'pong' };
  },
});

const info = defineMethod({
  name: 'engine.info',
  summary: 'Engine version, protocol version, PID, Node version and options, platform and memory use.',
  params: z.object({}),
  async handler() {
    const m = process.memoryUsage();
    return {
      value: {
        engineVersion: ENGINE_VERSION, protocolVersion: PROTOCOL_VERSION, pid: process.pid, node: process.version,
        // In the single executable the options come in NODE_OPTIONS, which its prelude takes out (scripts/package.mjs).
        execArgv: (globalThis as { __woosooNodeOptions?: string[] }).__woosooNodeOptions ?? process.execArgv,
        platform: process.platform, arch: process.arch, rssBytes: m.rss, heapUsedBytes: m.heapUsed,
      },
    };
  },
});

const testSleep = defineMethod({
  name: 'test.sleep',
  summary: '(tests only) Runs `node -e setTimeout` for the given seconds as a real child process; cancellable.',
  params: z.object({ seconds: z.number().positive().max(600) }),
  async handler(p, ctx) {
    ctx.progress({ activity: 'Sleeping', status: `${p.seconds} s`, percent: 0 });
    const { run } = await import('../process/run'); // execa loads with the first domain that spawns, not at start
    const r = await run(nodeExecutable(ctx.env, 'test.sleep'), ['-e', `console.log(process.pid); setTimeout(() => {}, ${p.seconds * 1000})`], {
      env: ctx.env, signal: ctx.signal, timeoutMs: 0,
      onLine: (_s, line) => ctx.log('debug', `child pid ${line}`),
    });
    if (r.cancelled) throw ctx.signal.reason;
    if (r.exitCode !== 0) throw new WoosooError('TestChildFailed', `child exited ${r.exitCode}`, { category: 'InvalidResult' });
    ctx.progress({ activity: 'Sleeping', completed: true });
    return { value: 'slept' };
  },
});

const testNotify = defineMethod({
  name: 'test.notify',
  summary: '(tests only) Sends one notification of each kind, then returns the given items.',
  params: z.object({ message: z.string(), items: z.number().int().min(0).max(10_000).default(0) }),
  async handler(p, ctx) {
    for (const level of ['error', 'warning', 'info', 'verbose', 'debug'] as const) ctx.log(level, `${level}: ${p.message}`);
    ctx.progress({ activity: 'Testing', status: p.message, percent: 50 });
    const items = Array.from({ length: p.items }, (_, i) => ({ $type: 'TestItem', Index: i, Message: p.message }));
    ctx.emit(items.slice(0, Math.floor(items.length / 2)));
    ctx.progress({ activity: 'Testing', completed: true });
    return { items: items.slice(Math.floor(items.length / 2)) };
  },
});

export function engineMethods(): MethodDef[] {
  return testMethodsEnabled() ? [ping, info, testSleep, testNotify] : [ping, info];
}
