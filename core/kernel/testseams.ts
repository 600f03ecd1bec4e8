/**
 * TEST SEAMS: every hook by which the tests reach into a running engine, in this one module, so that a reader sees
 * them all and a production path shows only a call named for what it is. None is active in an engine the module
 * starts on a server:
 * - WOOSOO_ENGINE_TEST_METHODS=1 in the ENGINE's own environment (the module never sets it) adds the test.* methods
 *   (core/engine/methods.ts) and arms the deploy's crash points;
 * - WOOSOO_TEST_HOLD_AT_STEP=<point> (with the above) holds a deploy at that point until the test kills the engine:
 *   the fault-injection tests (tests/deploy/kill.test.ts) land a kill in a step that is otherwise over in a moment;
 * - WOOSOO_NSSM_LAUNCHER in the SESSION's environment names a program that runs nssm.exe (wine), so the NSSM backend
 *   drives the real nssm.exe from Linux (core/services/nssm.ts); on Windows nobody sets it.
 */
import { sleep } from '../util/sleep';
import type { RequestContext } from './context';

/** Whether the engine was started by a test that asked for its test methods and crash points. */
export function testMethodsEnabled(): boolean {
  return process.env.WOOSOO_ENGINE_TEST_METHODS === '1';
}

/** A crash point: waits here, cancellable, when a test asked to hold at `point`; returns at once otherwise. */
export async function holdAtCrashPoint(ctx: Pick<RequestContext, 'log' | 'signal'>, point: string): Promise<void> {
  if (!testMethodsEnabled() || process.env.WOOSOO_TEST_HOLD_AT_STEP !== point) return;
  ctx.log('warning', `Test seam: holding at ${point} until the engine is killed (WOOSOO_TEST_HOLD_AT_STEP).`);
  await sleep(2 ** 31 - 1, ctx.signal);
}

/** The program the session asked to run nssm.exe through (wine), or undefined. */
export function nssmLauncherName(env: Record<string, string>): string | undefined {
  return env.WOOSOO_NSSM_LAUNCHER || undefined;
}
