/**
 * Keys of one kind share one zod schema (core/config/keys/define.ts): zod schemas are immutable, and building
 * ~80 chains of 2–8 schema objects each was a third of the engine's first config.get (docs/performance.md).
 */
import { describe, expect, it } from 'vitest';
import { KEYS, type KeyName } from '../../core/config/keys';

const key = (name: KeyName) => KEYS.get(name)!;

describe('configuration key schemas', () => {
  it('are shared between keys of the same kind and arguments', () => {
    expect(key('HTTP_PORT').schema).toBe(key('BACKEND_PORT').schema);
    expect(key('PREFLIGHT_MIN_DISK_GB').schema).toBe(key('HEALTH_DISK_MIN_GB').schema);
    expect(key('HTTP_PORT').schema).not.toBe(key('DEPLOY_HEALTH_INTERVAL_SECONDS').schema);
    const distinct = new Set([...KEYS.values()].map((k) => k.schema));
    expect(distinct.size).toBeLessThan(KEYS.size);
  });

  it('still give each range its own messages and each key its own value', () => {
    const interval = key('DEPLOY_HEALTH_INTERVAL_SECONDS').schema.safeParse('601');
    expect(interval.success).toBe(false);
    expect(interval.error!.issues[0].message).toBe('must be at most 600');
    const disk = key('PREFLIGHT_MIN_DISK_GB').schema.safeParse('-1');
    expect(disk.error!.issues[0].message).toBe('must be at least 0');
    expect(key('HTTP_PORT').schema.parse('80')).toBe(80);
    expect(key('BACKEND_PORT').schema.parse('8000')).toBe(8000);
    expect(key('BACKEND_PORT').schema.safeParse('http').error!.issues[0].message).toBe('must be a port number (a whole number)');
  });
});
