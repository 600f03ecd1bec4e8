/**
 * How the engine is built and started, over the real wire: the node options of bin/engine-launch.json (shared by
 * the module, these tests and the benchmarks), the ASCII-only bundle, and domains that load on their first call.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DOMAINS } from '../../core/methods';
import { ENGINE, ENGINE_NODE_OPTIONS, EngineClient, ROOT } from '../support/engine';

const clients: EngineClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('bin/engine-launch.json', () => {
  it('holds node options that this node accepts, in the form the module passes on (--flag or --flag=value)', () => {
    expect(ENGINE_NODE_OPTIONS.length).toBeGreaterThan(0);
    for (const option of ENGINE_NODE_OPTIONS) expect(option).toMatch(/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/);
    const r = spawnSync(process.execPath, [...ENGINE_NODE_OPTIONS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok');
  });

  it('is what the module starts the engine with (private/Engine.ps1), with the same option pattern', () => {
    const ps = readFileSync(join(ROOT, 'private', 'Engine.ps1'), 'utf8');
    expect(ps).toContain("[System.IO.Path]::Combine($bin, 'engine-launch.json')");
    expect(ps).toContain('"nodeArguments"');
    expect(ps).toContain("'^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$'");
  });
});

describe('the engine bundle', () => {
  it('is pure ASCII, so V8 keeps its source at one byte per character', () => {
    const js = readFileSync(ENGINE);
    const firstNonAscii = js.findIndex((b) => b > 0x7f);
    expect(firstNonAscii).toBe(-1);
  });
});

describe('domains loaded on first call', () => {
  it('initialize lists every declared method before any domain has run', async () => {
    const c = new EngineClient();
    clients.push(c);
    const init = await c.request('initialize', { protocolVersion: '1.0' });
    expect(init.result!.methods).toEqual(expect.arrayContaining(DOMAINS.flatMap((d) => d.names)));
  });

  it('every domain answers its first call, all at once in one engine, from its own code', async () => {
    const c = await EngineClient.start();
    clients.push(c);
    const missing = join(mkdtempSync(join(tmpdir(), 'woosoo-startup-')), 'no-project-here');
    const replies = await Promise.all(DOMAINS.map((d) => c.request(d.names[0], { path: missing })));
    // project.new makes a project: its "not there" is the folder, not a configuration.
    // schedule.register needs its job and time first, dashboard.userNew its name and password: zod's refusal comes
    // from the domain's own schema.
    const needsMore = new Set(['schedule.register', 'dashboard.userNew']);
    const notThere = (method: string) => (method === 'project.new' ? 'ProjectFolderMissing' : needsMore.has(method) ? 'InvalidParams' : 'ConfigNotFound');
    for (const [i, r] of replies.entries()) {
      // Each domain's own code ran: it looked for the project and said it is not there (not "method not
      // found", not an internal error from loading the domain).
      expect({ method: DOMAINS[i].names[0], errorId: r.error?.data?.errorId })
        .toEqual({ method: DOMAINS[i].names[0], errorId: notThere(DOMAINS[i].names[0]) });
    }
    expect(c.stderr).not.toMatch(/engine: .*(Error|TypeError)/);
    expect((await c.call('config.get', { path: join(ROOT, 'examples', 'demo') })).items![0].$type).toBe('Config');
  });
});
