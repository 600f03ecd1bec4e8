// The alert rules on their own: which changes of status make a message (alerts.wire.test.ts sends them for real),
// and the CPU streak that tells sustained load from a spike.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readState, transitions, writeState, type AlertState } from '../../core/health/alerts';
import { healthCheck, type HealthStatus } from '../../core/health/check';
import { CPU_GAP_MS, overStreak } from '../../core/health/cpu';

const check = (name: string, status: HealthStatus) => healthCheck('Service', name, 't', { status, message: status, value: 1, threshold: 2 });
const empty = (): AlertState => ({ version: 1, checks: {}, cpu: [] });

/** Feeds rounds of statuses for one check; returns the kinds of message each round made. */
function feed(statuses: HealthStatus[], level: 'Unhealthy' | 'Degraded' = 'Unhealthy'): string[] {
  let state = empty();
  return statuses.map((s) => {
    const r = transitions(state, [check('Port', s)], level);
    state = r.next;
    return r.changes.map((c) => c.kind).join(',');
  });
}

describe('alert transitions', () => {
  it('one message when a check turns Unhealthy, none while it stays, one when it recovers', () => {
    expect(feed(['Healthy', 'Unhealthy', 'Unhealthy', 'Unhealthy', 'Healthy', 'Healthy'])).toEqual(['', 'Alert', '', '', 'Recovered', '']);
  });
  it('a check Unhealthy the first time it is seen alerts; Degraded is not Unhealthy unless HEALTH_ALERT_STATUS=Degraded', () => {
    expect(feed(['Unhealthy'])).toEqual(['Alert']);
    expect(feed(['Healthy', 'Degraded', 'Unhealthy', 'Degraded'])).toEqual(['', '', 'Alert', 'Recovered']);
    expect(feed(['Healthy', 'Degraded', 'Unhealthy', 'Degraded', 'Healthy'], 'Degraded')).toEqual(['', 'Alert', '', '', 'Recovered']);
  });
  it('Unknown keeps the previous side: neither an alert nor a recovery', () => {
    expect(feed(['Unhealthy', 'Unknown', 'Unhealthy', 'Unknown', 'Healthy'])).toEqual(['Alert', '', '', '', 'Recovered']);
  });
  it('the state survives a write and a read; a broken file is an empty state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsalert-'));
    try {
      const file = join(dir, 'logs', 'health', 'state.json');
      const { next } = transitions(empty(), [check('Port', 'Unhealthy')], 'Unhealthy');
      writeState(file, { ...next, cpu: [{ at: 1, load: 99 }] });
      expect(readState(file)).toMatchObject({ checks: { Port: { status: 'Unhealthy' } }, cpu: [{ at: 1, load: 99 }] });
      writeFileSync(file, '{ not json');
      expect(readState(file)).toEqual(empty());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CPU streak', () => {
  const at = (min: number) => min * 60_000;
  it('counts the trailing samples over the threshold, stopping at one under it or at a gap of over an hour', () => {
    expect(overStreak([{ at: at(0), load: 95 }, { at: at(1), load: 50 }, { at: at(2), load: 95 }, { at: at(3), load: 96 }], 90)).toHaveLength(2);
    expect(overStreak([{ at: at(0), load: 95 }, { at: at(1), load: 97 }], 97)).toHaveLength(0);
    expect(overStreak([{ at: 0, load: 95 }, { at: CPU_GAP_MS + 1, load: 95 }], 90)).toHaveLength(1);
  });
});
