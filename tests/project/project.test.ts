// New-WoosooProject's engine side (project.new) on copies of the demo's apps with no configuration: what it detects,
// the file it writes (valid, only the parts the apps have, free and distinct ports, generated secrets that appear in
// the files only, APP_KEY into the backend's .env), reveal, an existing file (refused, or replaced after a backup with
// force, its ports then avoided) and whatIf. The generated variants are in variants.test.ts.
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
import type { NewProjectItem } from './fixtures';

type Item = NewProjectItem;

describe('project.new (New-WoosooProject)', () => {
  let dir: string;
  const run = async (params: Record<string, unknown> = {}) => {
    const ctx = testContext(dir);
    const r = await projectNew.handler({ path: dir, force: false, whatIf: false, reveal: false, ...params } as never, ctx);
    return { item: (r as { items: Item[] }).items[0], ctx, unmasked: (r as { unmasked?: boolean }).unmasked };
  };
  const cfgText = () => readFileSync(join(dir, 'deployment.config.env'), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsnew-'));
    cpSync(join(ROOT, 'examples', 'demo', 'apps'), join(dir, 'apps'), { recursive: true, filter: (s) => !/(vendor|node_modules|\.output)$/.test(s) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const backendEnv = () => readFileSync(join(dir, 'apps', 'woosoo-nexus', '.env'), 'utf8');

  it('on the demo\'s apps: detects all three, writes a valid configuration with help comments, free distinct ports and secrets only in the files', async () => {
    const { item, ctx } = await run();
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
    // APP_KEY: a new .env from the backend's .env.example, with base64: and 32 random bytes, shown nowhere
    const env = backendEnv();
    const appKey = /^APP_KEY=(.*)$/m.exec(env)?.[1] ?? '';
    expect(appKey).toMatch(/^base64:/);
    expect(Buffer.from(appKey.slice(7), 'base64')).toHaveLength(32);
    expect(env).toContain('APP_NAME="Woosoo Nexus"\nAPP_ENV=production');
    const appId = cfg.str('REVERB_APP_ID');
    expect(appId).toMatch(/^woosoo-[a-z0-9]{16}$/);
    const shown = JSON.stringify([item, ctx.logs]);
    for (const s of [appKey, appId]) expect(shown).not.toContain(s);
    expect(item.Secrets).toBeUndefined();
    expect(item.Notes.join('\n')).toContain('APP_KEY is new (base64: and 32 random bytes), written into');
  });

  it('reveal returns every secret written (and the file unmasked); with whatIf nothing is revealed; an APP_KEY the app has is kept', async () => {
    const { item: plan, unmasked: planUnmasked } = await run({ reveal: true, whatIf: true });
    expect([plan.Secrets, planUnmasked ?? false]).toEqual([undefined, false]);
    expect(plan.Notes.join('\n')).toContain('-Reveal shows the secrets of a real run only');
    const { item, unmasked } = await run({ reveal: true });
    expect(unmasked).toBe(true);
    const cfg = readProject(dir, { env: process.env as Record<string, string>, cwd: dir });
    const appKey = /^APP_KEY=(.*)$/m.exec(backendEnv())?.[1];
    expect(item.Secrets).toEqual({
      DB_PASSWORD: cfg.str('DB_PASSWORD'), REVERB_APP_ID: cfg.str('REVERB_APP_ID'), REVERB_APP_KEY: cfg.str('REVERB_APP_KEY'),
      REVERB_APP_SECRET: cfg.str('REVERB_APP_SECRET'), APP_KEY: appKey,
    });
    expect(item.Content).toContain(`DB_PASSWORD=${cfg.str('DB_PASSWORD')}`);
    const { item: again } = await run({ reveal: true, force: true });
    expect(/^APP_KEY=(.*)$/m.exec(backendEnv())?.[1]).toBe(appKey);
    expect(again.Secrets).not.toHaveProperty('APP_KEY');
    expect(again.Notes.join('\n')).toContain('keeps the APP_KEY it has');
  });

  it('never overwrites a configuration without force; with force backs it up first and avoids its ports; whatIf writes nothing', async () => {
    const mine = '# mine\nENVIRONMENT=production\nHTTP_PORT=80\nBACKEND_PORT=8000\nREVERB_PORT=8080\nBACKEND_GREEN_PORT=8100\nREVERB_GREEN_PORT=8180\n';
    writeFileSync(join(dir, 'deployment.config.env'), mine);
    const refused = await run().then(() => null, (e: unknown) => e);
    expect((refused as WoosooError).errorId).toBe('ProjectConfigExists');
    expect(cfgText()).toBe(mine);
    const { item: plan } = await run({ whatIf: true });
    expect(plan.Written).toBe(false);
    expect(plan.Notes.join('\n')).toContain('-Force replaces it');
    expect(cfgText()).toBe(mine);
    expect(existsSync(join(dir, 'apps', 'woosoo-nexus', '.env'))).toBe(false);
    const { item } = await run({ force: true });
    expect(item.BackupId).not.toBe('');
    expect(cfgText()).toContain('BACKEND_PATH=apps/woosoo-nexus');
    const ports = ['HTTP_PORT', 'BACKEND_PORT', 'REVERB_PORT', 'BACKEND_GREEN_PORT', 'REVERB_GREEN_PORT'].map((k) => Number(new RegExp(`^${k}=(\\d+)$`, 'm').exec(cfgText())?.[1]));
    expect(ports.filter((p) => [80, 8000, 8080, 8100, 8180].includes(p) || !p)).toEqual([]);
    expect(new Set(ports).size).toBe(5);
    const backups = listBackups(readProject(dir, { env: process.env as Record<string, string>, cwd: dir }));
    expect(backups.map((b) => b.id)).toContain(item.BackupId);
  });
});
