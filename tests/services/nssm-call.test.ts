/**
 * One nssm call's time limit, with node standing in for the launcher (no Wine needed): a call that does not answer
 * within the backend's callTimeoutMs is stopped and reported as Woosoo.NssmTimeout naming the verb and the limit;
 * one that answers in time returns its output. (The Wine suites set a longer limit than the 30 s default: on a busy
 * two-core machine a cold `wine nssm64.exe status` once took longer, and every later step failed with it.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NssmBackend } from '../../core/services/nssm';
import { WoosooError } from '../../core/kernel/errors';

const dir = mkdtempSync(join(tmpdir(), 'wsnssmcall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in nssm.exe run by node: answers "SERVICE_RUNNING" after `delayMs`. */
function standIn(delayMs: number): string {
  const file = join(dir, `nssm-${delayMs}.js`);
  writeFileSync(file, `setTimeout(() => process.stdout.write('SERVICE_RUNNING\\r\\n'), ${delayMs});\n`);
  return file;
}

describe('NssmBackend.call time limit', () => {
  const env = { ...process.env } as Record<string, string>;

  it('stops a call that outlives callTimeoutMs: Woosoo.NssmTimeout naming the verb, the service and the limit', async () => {
    const backend = new NssmBackend({ exe: standIn(10_000), launcher: process.execPath, env, callTimeoutMs: 1_000 });
    const t0 = Date.now();
    const err = await backend.call(['status', 'woosoo-web']).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect((err as WoosooError).errorId).toBe('NssmTimeout');
    expect((err as WoosooError).message).toBe('nssm status woosoo-web did not answer within 1 s and was stopped.');
    expect(Date.now() - t0).toBeLessThan(8_000);
  });

  it('returns the answer of a call within callTimeoutMs, longer than the default allows for a slow launcher', async () => {
    const backend = new NssmBackend({ exe: standIn(1_500), launcher: process.execPath, env, callTimeoutMs: 20_000 });
    const r = await backend.call(['status', 'woosoo-web']);
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toContain('SERVICE_RUNNING');
  });
});
