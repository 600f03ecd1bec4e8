// The runner on its own: parallel probes, per-probe timeout, Skip, probe errors, categories, order, shared work.
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../core/preflight/checks';
import { runChecks } from '../../core/preflight/runner';
import { check, ProbeSkip, type CheckDef } from '../../core/preflight/types';
import { makeProject } from './project';

const project = makeProject({
  ENVIRONMENT: 'development', APP_IP: '127.0.0.1', DB_DATABASE: 'x', DB_USERNAME: 'x', DB_PASSWORD: 'runner-pw-123',
  REVERB_APP_KEY: 'k-runner', REVERB_APP_SECRET: 's-runner', PREFLIGHT_PROBE_TIMEOUT_SECONDS: '1',
});
afterAll(() => project.cleanup());
const ctx = () => ({ env: { ...process.env } as Record<string, string>, signal: new AbortController().signal });
const pass = { status: 'Pass' as const, expected: 'e', actual: 'a', message: 'ok' };

describe('runChecks', () => {
  it('a probe that never settles is a Fail "timed out after 1 s"; the others complete', async () => {
    const defs: CheckDef[] = [
      check({ category: 'System', name: 'hangs', critical: true, probe: () => new Promise<never>(() => {}), evaluate: () => pass }),
      check({ category: 'System', name: 'quick', critical: true, probe: async () => 1, evaluate: () => pass }),
    ];
    const r = await runChecks(defs, project.load(), ctx());
    expect(r.map((c) => [c.name, c.status])).toEqual([['hangs', 'Fail'], ['quick', 'Pass']]);
    expect(r[0].message).toBe('the probe timed out after 1 s.');
    expect(r[0].fix).toMatch(/PREFLIGHT_PROBE_TIMEOUT_SECONDS/);
  });

  it('a real child that sleeps past the timeout is killed and reported with its command line', async () => {
    const defs = [check({
      category: 'Tools', name: 'sleeper', critical: false,
      probe: (pc) => pc.exec(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']), evaluate: () => pass,
    })];
    const r = await runChecks(defs, project.load(), ctx());
    expect(r[0].status).toBe('Fail');
    expect(r[0].message).toMatch(/node -e "setTimeout\(\(\) => \{\}, 30000\)" timed out after 1 s\.$/);
    expect(r[0].critical).toBe(false);
  });

  it('ProbeSkip becomes Skip with the reason; a probe error becomes Fail; critical may depend on the config', async () => {
    const defs: CheckDef[] = [
      check({ category: 'Tools', name: 'skip', critical: true, probe: async () => { throw new ProbeSkip('not on this host'); }, evaluate: () => pass }),
      check({ category: 'Tools', name: 'boom', critical: (cfg) => cfg.flag('HTTPS_ENABLED'), probe: async () => { throw new Error('EIO'); }, evaluate: () => pass }),
    ];
    const [skip, boom] = await runChecks(defs, project.load(), ctx());
    expect([skip.status, skip.message]).toEqual(['Skip', 'not on this host']);
    expect([boom.status, boom.critical, boom.message]).toEqual(['Fail', false, 'The probe failed: EIO']);
  });

  it('one command line runs once per run, however many checks use it; categories and applies filter', async () => {
    let runs = 0;
    const shared = (name: string) => check({
      category: 'PhpExtensions', name, critical: true,
      probe: (pc) => pc.shared('k', async () => ++runs), evaluate: (n) => ({ ...pass, actual: String(n) }),
    });
    const defs = [shared('a'), shared('b'), check({ category: 'Network', name: 'n', critical: true, applies: () => false, probe: async () => 0, evaluate: () => pass })];
    const r = await runChecks(defs, project.load(), ctx(), { categories: ['PhpExtensions', 'Network'] });
    expect(r.map((c) => c.actual)).toEqual(['1', '1']);
    expect(runs).toBe(1);
    expect(await runChecks(defs, project.load(), ctx(), { categories: ['System'] })).toEqual([]);
  });

  it('concurrency 1 runs the probes one after another, in order', async () => {
    const order: string[] = [];
    const step = (name: string) => check({ category: 'System', name, critical: true, probe: async () => { order.push(`start ${name}`); await new Promise((r) => setTimeout(r, 5)); order.push(`end ${name}`); }, evaluate: () => pass });
    await runChecks([step('a'), step('b')], project.load(), ctx(), { concurrency: 1 });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});

describe('the check list', () => {
  it('names each check once per category and covers every category', () => {
    const keys = CHECKS.map((c) => `${c.category}/${c.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(CHECKS.map((c) => c.category))).toEqual(new Set(['System', 'Tools', 'PhpExtensions', 'Configuration', 'Network', 'Permissions']));
  });
});
