/**
 * Keeps a long-lived process small between bursts of work (docs/performance.md, Foundation and Dashboard): after a
 * quiet second, one full collection that also compacts the old generation, so the pages freed by the burst go back
 * to the OS (compacting on every full GC would cost during work, so only that one collection does). The young
 * generation stays at its initial size: V8 would otherwise grow it to 2 x 16 MB during a burst and keep it; this
 * flag, unlike --max-semi-space-size, is read at every growth, so it works when set from here.
 * Used by the RPC engine (core/main.ts: after each run of calls) and the dashboard host (core/dashboard/host.ts: after
 * each response and each closed socket).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const QUIET_MS = 1000;

/** Returns `touch`: call it as work ends; the collection runs once nothing touched it for a quiet second. */
export function idleCollector(): () => void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let timer: NodeJS.Timeout | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      setFlagsFromString('--compact-on-every-full-gc');
      collect();
      setFlagsFromString('--no-compact-on-every-full-gc');
    }, QUIET_MS).unref();
  };
}
