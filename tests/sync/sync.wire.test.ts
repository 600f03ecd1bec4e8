// config.sync over the wire: the real engine bundle (bin/woosoo-engine.cjs) spoken to exactly as the module does.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { makeProject, type Project } from './fixtures';

describe('config.sync over the wire', () => {
  let engine: EngineClient;
  let project: Project;
  beforeAll(async () => {
    project = makeProject();
    engine = await EngineClient.start({ cwd: project.dir });
  });
  afterAll(async () => {
    await engine?.close();
    project?.cleanup();
  });

  it('whatIf returns typed Woosoo.ConfigChange items, writes nothing, and no secret crosses the wire', async () => {
    const r = await engine.call('config.sync', { path: project.dir, whatIf: true });
    const items = r.items!;
    expect(items.map((i) => [i.$type, i.App, i.Action, i.WhatIf])).toEqual([
      ['ConfigChange', 'backend', 'Create', true], ['ConfigChange', 'pwa', 'Create', true], ['ConfigChange', 'nginx', 'Create', true],
    ]);
    expect(Object.keys(items[0])).toEqual(['$type', 'App', 'Path', 'Action', 'Diff', 'LinesAdded', 'LinesRemoved', 'Template', 'Check', 'WhatIf']);
    expect(items[0].Template).toBe(join(__dirname, '..', '..', 'templates', 'laravel.env.hbs'));
    expect(existsSync(join(project.backend, '.env'))).toBe(false);
    const wire = engine.stdoutLines.join('\n');
    for (const secret of ['Sync-Pa55 #word', 'sync-reverb-secret-0001', 'sync-reverb-key-0001']) expect(wire).not.toContain(secret);
  });

  it('writes the files when not whatIf, then reports them Unchanged', async () => {
    const r = await engine.call('config.sync', { path: project.dir, apps: ['backend'] });
    expect(r.items!.map((i) => [i.App, i.Action, i.WhatIf])).toEqual([['backend', 'Create', false]]);
    expect(readFileSync(join(project.backend, '.env'), 'utf8')).toContain("DB_PASSWORD='Sync-Pa55 #word'");
    const again = await engine.call('config.sync', { path: project.dir, apps: ['backend'] });
    expect(again.items![0].Action).toBe('Unchanged');
  });

  it('an invalid configuration is refused with ConfigInvalid and nothing is written', async () => {
    const before = readFileSync(join(project.backend, '.env'), 'utf8');
    project.writeConfig({ DB_PASSWORD: 'short', APP_NAME: "'Changed Name'" });
    const r = await engine.request('config.sync', { path: project.dir });
    expect(r.error?.data?.errorId).toBe('ConfigInvalid');
    expect(r.error?.message).toMatch(/DB_PASSWORD/);
    expect(r.error?.message).toMatch(/nothing was changed/);
    expect(readFileSync(join(project.backend, '.env'), 'utf8')).toBe(before);
    expect(existsSync(join(project.pwa, '.env'))).toBe(false);
    expect(existsSync(join(project.dir, 'configs', 'nginx.conf'))).toBe(false);
    project.writeConfig();
  });

  it('bad params and unknown targets are clear errors', async () => {
    const bad = await engine.request('config.sync', { path: project.dir, apps: 'backend' });
    expect(bad.error?.code).toBe(-32602);
    const unknown = await engine.request('config.sync', { path: project.dir, apps: ['frontend'] });
    expect(unknown.error?.data).toMatchObject({ errorId: 'SyncTargetNotFound', category: 'ObjectNotFound', targetObject: 'frontend' });
    expect(unknown.error?.data?.recommendedAction).toMatch(/SYNC_TARGETS/);
  });

  it('a broken .env target is reported with its file and line over the wire', async () => {
    writeFileSync(join(project.pwa, '.env'), 'A=1\nB="open\n');
    const r = await engine.request('config.sync', { path: project.dir, apps: ['pwa'], whatIf: true });
    expect(r.error?.data?.errorId).toBe('SyncTargetSyntax');
    expect(r.error?.message).toContain(`${join(project.pwa, '.env')} line 2`);
  });
});
