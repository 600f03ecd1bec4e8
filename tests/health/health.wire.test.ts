// health.get over the wire, with the real engine (bin/woosoo-engine.cjs) and real servers started here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { BASE_CONFIG, makeProject, startPartialStack, type Project, type Stack } from './fixtures';

describe('health.get over the wire', () => {
  let engine: EngineClient;
  let stack: Stack;
  let project: Project;

  beforeAll(async () => {
    stack = await startPartialStack();
    project = stack.project;
    engine = await EngineClient.start({ cwd: project.dir });
  });
  afterAll(async () => {
    await engine?.close();
    await stack?.close();
  });

  it('returns typed Woosoo.HealthCheck items', async () => {
    const r = await engine.call('health.get', { path: project.dir });
    const items = r.items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThanOrEqual(13);
    for (const c of items) {
      expect(c.$type).toBe('HealthCheck');
      expect(Object.keys(c)).toEqual(['$type', 'Category', 'Name', 'Status', 'Value', 'Threshold', 'LatencyMs', 'Message', 'Target', 'Time']);
    }
    const status = Object.fromEntries(items.map((c) => [c.Name, c.Status]));
    expect(status).toMatchObject({
      'Port HTTP_PORT': 'Healthy', 'Reverb WebSocket': 'Healthy', 'HTTP via nginx': 'Healthy',
      'Port BACKEND_PORT': 'Unhealthy', 'HTTP backend': 'Unhealthy', 'Port DB_PORT': 'Unhealthy', Database: 'Unhealthy',
    });
    expect(engine.stdoutLines.join('\n')).not.toContain(String(BASE_CONFIG.REVERB_APP_KEY));
    expect(engine.stdoutLines.join('\n')).not.toContain(String(BASE_CONFIG.DB_PASSWORD));
    expect(engine.notifications.some((n) => n.method === '$/progress' && n.params?.activity === 'Checking health')).toBe(true);
  });

  it('quiet: true only when every selected check is Healthy', async () => {
    expect((await engine.call('health.get', { path: project.dir, quiet: true })).value).toBe(false);
    expect((await engine.call('health.get', { path: project.dir, quiet: true, names: ['Port HTTP_PORT', 'Reverb *', 'HTTP via nginx'] })).value).toBe(true);
    const only = await engine.call('health.get', { path: project.dir, categories: ['Resource'] });
    expect((only.items as { Name: string }[]).map((c) => c.Name)).toEqual(['CPU', 'Memory', 'Disk']);
  });

  it('watch streams a round per interval until $/cancel', async () => {
    const id = engine.peekNextId();
    const reply = engine.request('health.get', { path: project.dir, watch: true, intervalSeconds: 1, names: ['Port HTTP_PORT'] });
    const rounds = () => engine.notifications.filter((n) => n.method === '$/items' && n.params?.requestId === id);
    const deadline = Date.now() + 10_000;
    while (rounds().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(rounds().length).toBeGreaterThanOrEqual(2);
    expect(rounds()[0].params?.items).toMatchObject([{ $type: 'HealthCheck', Name: 'Port HTTP_PORT', Status: 'Healthy' }]);
    engine.notify('$/cancel', { id });
    const r = await reply;
    expect(r.error?.code).toBe(-32800);
    expect(r.error?.data?.errorId).toBe('Cancelled');
  });

  it('watch applies an edited configuration from the next round, and keeps the last good one when broken', async () => {
    const watched = makeProject();
    try {
      watched.write({ HEALTH_CPU_WARN_PERCENT: 97 });
      const id = engine.peekNextId();
      const reply = engine.request('health.get', { path: watched.dir, watch: true, intervalSeconds: 1, names: ['CPU'] });
      const rounds = () => engine.notifications.filter((n) => n.method === '$/items' && n.params?.requestId === id)
        .map((n) => (n.params?.items as { Threshold: number }[])[0].Threshold);
      const waitRounds = async (count: number) => {
        const deadline = Date.now() + 15_000;
        while (rounds().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      };
      await waitRounds(1);
      watched.write({ HEALTH_CPU_WARN_PERCENT: 42 });
      await waitRounds(3);
      watched.write({ HEALTH_CPU_WARN_PERCENT: 'lots' });
      const before = rounds().length;
      await waitRounds(before + 2);
      engine.notify('$/cancel', { id });
      expect((await reply).error?.data?.errorId).toBe('Cancelled');
      const seen = rounds();
      expect(seen[0]).toBe(97);
      expect(seen).toContain(42);
      expect(seen.at(-1)).toBe(42);
      expect(engine.notifications.some((n) => n.method === '$/log' && n.params?.requestId === id && /HEALTH_CPU_WARN_PERCENT/.test(String(n.params?.message)))).toBe(true);
    } finally {
      watched.cleanup();
    }
  });

  it('watch with quiet streams one boolean per round', async () => {
    const id = engine.peekNextId();
    const reply = engine.request('health.get', { path: project.dir, watch: true, quiet: true, intervalSeconds: 1, names: ['Port HTTP_PORT'] });
    const deadline = Date.now() + 10_000;
    const first = () => engine.notifications.find((n) => n.method === '$/items' && n.params?.requestId === id);
    while (!first() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(first()?.params?.items).toEqual([true]);
    engine.notify('$/cancel', { id });
    expect((await reply).error?.data?.errorId).toBe('Cancelled');
  });

  it('an invalid configuration fails with ConfigInvalid and changes nothing', async () => {
    const bad = makeProject();
    try {
      bad.write({ HEALTH_TIMEOUT_SECONDS: 0, HEALTH_URLS: 'ftp://nope' });
      const r = await engine.request('health.get', { path: bad.dir });
      expect(r.error?.data?.errorId).toBe('ConfigInvalid');
      expect(r.error?.message).toMatch(/HEALTH_TIMEOUT_SECONDS \(line \d+\) must be at least 1/);
      expect(r.error?.message).toMatch(/HEALTH_URLS \(line \d+\) must be http\(s\) URLs/);
    } finally {
      bad.cleanup();
    }
  });

  it('rejects bad params with InvalidParams', async () => {
    const r = await engine.request('health.get', { path: project.dir, categories: ['Network'], intervalSeconds: 0 });
    expect(r.error?.data?.errorId).toBe('InvalidParams');
    expect(r.error?.message).toMatch(/params\.categories\.0/);
    expect(r.error?.message).toMatch(/params\.intervalSeconds/);
  });
});
