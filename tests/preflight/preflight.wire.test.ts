// preflight.run over the wire: the real engine bundle (bin/woosoo-engine.cjs), a real MariaDB, the machine's tools.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { hasTool, missingTools, skipUnless } from '../harness/tools';
import { FIXTURES, projectWithDatabase, type TestProject } from './project';

const TOOLS = ['php', 'composer', 'mariadbd', 'mariadb', 'nginx', 'mkcert'];
const PASSWORD = 'Wire-preflight#7';

describe.skipIf(skipUnless(hasTool(...TOOLS), missingTools(...TOOLS) ?? ''))('preflight.run over the wire', () => {
  let project: TestProject;
  let stop: () => Promise<void>;
  let engine: EngineClient;

  beforeAll(async () => {
    ({ project, stop } = await projectWithDatabase('pfwire', PASSWORD));
    engine = await EngineClient.start({ cwd: project.dir });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await stop?.();
  }, 60_000);

  it('returns typed Woosoo.PreflightCheck items, every critical check passing, with progress and verbose probe logs', async () => {
    const r = await engine.call('preflight.run', { path: project.dir });
    const items = r.items!;
    expect(items.length).toBeGreaterThan(30);
    for (const i of items) {
      expect(i.$type).toBe('PreflightCheck');
      expect(Object.keys(i).slice(0, 10)).toEqual(['$type', 'Category', 'Name', 'Status', 'Critical', 'Expected', 'Actual', 'Message', 'Fix', 'Duration']);
      expect(i.Probe).toBeUndefined();
    }
    expect(items.filter((i) => i.Critical && i.Status === 'Fail' && !(i.Name === 'Elevated' && process.getuid?.() !== 0))).toEqual([]);
    expect(r.errors).toBeUndefined();
    const mine = engine.notifications.filter((n) => n.params?.requestId !== undefined);
    expect(mine.some((n) => n.method === '$/progress' && n.params!.activity === 'Preflight')).toBe(true);
    expect(mine.some((n) => n.method === '$/log' && n.params!.level === 'verbose' && /php -v → exit 0/.test(String(n.params!.message)))).toBe(true);
    expect(engine.stdoutLines.join('\n')).not.toContain(PASSWORD);
  });

  it('quiet returns true when no critical check failed, false when one did', async () => {
    expect((await engine.call('preflight.run', { path: project.dir, quiet: true })).value).toBe(process.getuid?.() === 0);
    project.write({ DB_PASSWORD: 'not-the-password' });
    try {
      expect((await engine.call('preflight.run', { path: project.dir, quiet: true, categories: ['Tools'] })).value).toBe(false);
    } finally {
      project.write();
    }
  });

  it('finds the project from the session location, selects categories, and adds Probe/RawOutput when detailed', async () => {
    const r = await engine.call('preflight.run', { categories: ['PhpExtensions'], detailed: true });
    expect(r.items!.map((i) => i.Name)).toEqual(['mbstring', 'pdo_mysql', 'openssl', 'json', 'curl', 'bcmath', 'fileinfo', 'tokenizer']);
    expect(r.items![0].Probe).toMatch(/php -r /);
    expect(r.items![0].RawOutput).toMatch(/^ini=.*\n(.*\n)*mbstring$/m);
  });

  it('$/cancel stops a run whose probe hangs (fixtures/fake-hanging-composer, a fake that sleeps): the reply is Cancelled', async () => {
    project.write({ COMPOSER_PATH: join(FIXTURES, 'fake-hanging-composer'), PREFLIGHT_PROBE_TIMEOUT_SECONDS: '120' });
    try {
      const id = engine.peekNextId();
      const reply = engine.request('preflight.run', { path: project.dir, categories: ['Tools'] });
      await new Promise((r) => setTimeout(r, 500));
      engine.notify('$/cancel', { id });
      const r = await reply;
      expect(r.error?.data?.errorId).toBe('Cancelled');
      expect(r.error?.code).toBe(-32800);
    } finally {
      project.write();
    }
  });

  it('rejects an unknown category with InvalidParams naming the allowed ones', async () => {
    const r = await engine.request('preflight.run', { path: project.dir, categories: ['Nope'] });
    expect(r.error?.data?.errorId).toBe('InvalidParams');
    expect(r.error?.message).toMatch(/params\.categories\.0/);
    expect(r.error?.message).toMatch(/PhpExtensions/);
  });

  it('a folder that is not a project is Woosoo.ConfigNotFound with the fix', async () => {
    const r = await engine.request('preflight.run', { path: '/' });
    expect(r.error?.data?.errorId).toBe('ConfigNotFound');
    expect(r.error?.data?.recommendedAction).toMatch(/-Path/);
  });
});
