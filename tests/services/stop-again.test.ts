/**
 * A stop that the service manager loses is sent again. Seen with the real nssm64.exe under Wine on a loaded machine
 * (tests/services/nssm-bluegreen.test.ts, a CI run): the rollback's stop of a crash-looping release arrived while
 * NSSM was restarting the application, and the service was still StartPending when the 60 s ran out.
 *
 * That race cannot be produced on demand with the real NSSM, so this test drives control.stopAll through a FAKE
 * backend that loses the first stop the same way (named as a fake: it stands in only for that Windows service
 * manager timing). The real NSSM and PM2 stops are tested in nssm.test.ts, nssm-bluegreen.test.ts and pm2.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as control from '../../core/services/control';
import type { ServiceBackend, ServiceDefinition, ServiceState, ServiceStatus } from '../../core/services/types';
import { defineService, makeCtx, settings } from './support';

/** FAKE service manager: a crash-looping service that ignores `lost` stops, then stops on the next one. */
class LosesStops implements ServiceBackend {
  readonly name = 'NSSM' as const;
  readonly rotatesLogs = true;
  status: ServiceStatus = 'StartPending';
  stops = 0;
  constructor(private readonly lost: number) {}
  async query(defs: readonly ServiceDefinition[]): Promise<ServiceState[]> {
    return defs.map((d) => ({ name: d.name, status: this.status }));
  }
  async stop(): Promise<void> {
    this.stops++;
    if (this.stops > this.lost) this.status = 'Stopped';
  }
  pollMs(): number {
    return 20;
  }
  install = async () => 'Updated' as const;
  start = async () => {};
  restart = async () => {};
  pause = async () => {};
  resume = async () => {};
  remove = async () => {};
}

describe('a lost stop is sent again', () => {
  const def = defineService('/nonexistent', 'wsfake-backend', 10, 'C:\\app.exe', []);

  it('a service still StartPending after its stop gets the stop again, and is reported Stopped', async () => {
    const backend = new LosesStops(1);
    const ctx = makeCtx({});
    const r = await control.stopAll({ backend, projectDir: '/nonexistent', defs: [def], settings: settings({ stopTimeoutMs: 2000 }) }, ctx);
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([['wsfake-backend', 'Stopped']]);
    expect(backend.stops).toBe(2);
    expect(ctx.logs.map((l) => l.message)).toContain('wsfake-backend is still StartPending after the stop: sending it again');
  });

  it('a service that never stops is still a ServiceStopTimeout, the stop sent about every quarter of the timeout', async () => {
    const backend = new LosesStops(Number.POSITIVE_INFINITY);
    const r = await control.stopAll({ backend, projectDir: '/nonexistent', defs: [def], settings: settings({ stopTimeoutMs: 2000 }) }, makeCtx({}));
    expect(r.items).toEqual([]);
    expect(r.errors.map((e) => [e.data.errorId, e.message])).toEqual([['ServiceStopTimeout', 'wsfake-backend did not stop within 2 s (it is StartPending).']]);
    expect(backend.stops).toBeGreaterThanOrEqual(3);
    expect(backend.stops).toBeLessThanOrEqual(6);
  });

  it('a service on its way down (StopPending) is waited for, not sent the stop again', async () => {
    const backend = new LosesStops(0);
    backend.stop = async () => {
      backend.stops++;
      backend.status = 'StopPending';
      setTimeout(() => (backend.status = 'Stopped'), 1200);
    };
    const r = await control.stopAll({ backend, projectDir: '/nonexistent', defs: [def], settings: settings({ stopTimeoutMs: 2000 }) }, makeCtx({}));
    expect(r.errors).toEqual([]);
    expect(backend.stops).toBe(1);
  });
});
