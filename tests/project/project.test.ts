// New-WoosooProject's engine side (project.new) on copies of the demo's apps with no configuration: what it detects,
// the file it writes (valid, only the parts the apps have, free and distinct ports, generated secrets that appear in
// the file only), variants without Reverb and without a PWA, an empty folder, an existing file (refused, or replaced
// after a backup with force) and whatIf.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups } from '../../core/backup';
import { loadValidProject, readProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { projectNew } from '../../core/project/methods';
import { ROOT } from '../support/engine';
import { testContext } from '../sync/fixtures';

type Item = { Apps: string[]; Notes: string[]; Content: string; Written: boolean; BackupId: string; ConfigPath: string };

describe('project.new (New-WoosooProject)', () => {
  let dir: string;
  const run = async (params: Record<string, unknown> = {}) => {
    const ctx = testContext(dir);
    const r = await projectNew.handler({ path: dir, force: false, whatIf: false, ...params } as never, ctx);
    return { item: (r as { items: Item[] }).items[0], ctx };
  };
  const cfgText = () => readFileSync(join(dir, 'deployment.config.env'), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsnew-'));
    cpSync(join(ROOT, 'examples', 'demo', 'apps'), join(dir, 'apps'), { recursive: true, filter: (s) => !/(vendor|node_modules|\.output)$/.test(s) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('on the demo\'s apps: detects all three, writes a valid configuration with help comments, free distinct ports and secrets only in the file', async () => {
    const { item } = await run();
    expect(item.Apps.map((a) => a.split(' (')[0])).toEqual(['laravel apps/woosoo-nexus', 'node apps/tablet-ordering-pwa', 'flutter apps/relay-device-v2']);
    expect(item.Written).toBe(true);
    const cfg = loadValidProject(dir, { env: process.env as Record<string, string>, cwd: dir });
    expect(cfg.str('BACKEND_PATH')).toBe('apps/woosoo-nexus');
    expect(cfg.flag('REVERB_ENABLED')).toBe(true); // the demo has a reverb:start command
    expect(cfg.entries.has('TEST_BACKEND_COMMAND')).toBe(false); // it has app:selftest, the default
    expect(cfg.flag('RELAY_ENABLED')).toBe(false);
    const ports = ['HTTP_PORT', 'BACKEND_PORT', 'REVERB_PORT', 'BACKEND_GREEN_PORT', 'REVERB_GREEN_PORT'].map((k) => cfg.num(k as never));
    expect(new Set(ports).size).toBe(5);
    const text = cfgText();
    expect(text).toMatch(/# Port the Laravel backend \(php\) listens on behind nginx/);
    for (const k of ['DB_PASSWORD', 'REVERB_APP_KEY', 'REVERB_APP_SECRET'] as const) {
      const v = cfg.str(k);
      expect(v.length).toBeGreaterThanOrEqual(24);
      expect(JSON.stringify(item)).not.toContain(v);
      expect(item.Content).toContain(`${k}=********`);
    }
    expect(item.Notes.join('\n')).toContain('create the database user woosoo');
  });

  it('a Laravel app without Reverb and no PWA: REVERB_ENABLED=false, PWA_ENABLED=false, still valid', async () => {
    rmSync(join(dir, 'apps', 'tablet-ordering-pwa'), { recursive: true });
    rmSync(join(dir, 'apps', 'relay-device-v2'), { recursive: true });
    rmSync(join(dir, 'apps', 'woosoo-nexus', 'app', 'Console', 'Commands', 'ReverbStart.php'));
    await run();
    const cfg = loadValidProject(dir, { env: process.env as Record<string, string>, cwd: dir });
    expect([cfg.flag('REVERB_ENABLED'), cfg.flag('PWA_ENABLED')]).toEqual([false, false]);
    expect(cfg.entries.has('REVERB_APP_KEY')).toBe(false);
  });

  it('an empty folder is a clear error naming what it looked for; nothing is written', async () => {
    rmSync(join(dir, 'apps'), { recursive: true });
    const err = await run().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect((err as WoosooError).errorId).toBe('ProjectNoBackend');
    expect((err as WoosooError).message).toContain('holds no app at all');
    expect(existsSync(join(dir, 'deployment.config.env'))).toBe(false);
  });

  it('never overwrites a configuration without force; with force backs it up first; whatIf writes nothing', async () => {
    writeFileSync(join(dir, 'deployment.config.env'), '# mine\nENVIRONMENT=production\n');
    const refused = await run().then(() => null, (e: unknown) => e);
    expect((refused as WoosooError).errorId).toBe('ProjectConfigExists');
    expect(cfgText()).toBe('# mine\nENVIRONMENT=production\n');
    const { item: plan } = await run({ whatIf: true });
    expect(plan.Written).toBe(false);
    expect(plan.Notes.join('\n')).toContain('-Force replaces it');
    expect(cfgText()).toBe('# mine\nENVIRONMENT=production\n');
    const { item } = await run({ force: true });
    expect(item.BackupId).not.toBe('');
    expect(cfgText()).toContain('BACKEND_PATH=apps/woosoo-nexus');
    const backups = listBackups(readProject(dir, { env: process.env as Record<string, string>, cwd: dir }));
    expect(backups.map((b) => b.id)).toContain(item.BackupId);
  });
});
