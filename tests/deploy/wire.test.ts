// deploy.run / deploy.get / deploy.undo over the wire, against the real engine (bin/woosoo-engine.cjs) and the demo
// stack with real composer/artisan/npm, MariaDB and PM2: -WhatIf changes nothing; Ctrl+C ($/cancel) mid-build rolls
// back; a second deploy while one runs is refused; the engine killed (SIGKILL) during a step leaves an Interrupted
// deploy that the next deploy refuses to ignore and deploy.undo rolls back — files and database as before each time.
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath } from '../../core/deploy/lock';
import { openServiceSet } from '../../core/services';
import { killPm2, type Pm2Backend } from '../../core/services/pm2';
import { EngineClient, type RpcMessage } from '../support/engine';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { missingTools, skipUnless, sleep, waitFor } from '../harness/tools';
import { filesWithSecrets, makeDemoProject, SECRETS, treeDiff, type DemoProject } from './fixture';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';
const BUILD_TOOLS = /composer|npm|build\.mjs|artisan (migrate|config:cache|route:cache|view:cache|app:selftest)|node --test/;

/** Children of a killed engine (own process groups) go on for a moment: wait until none works in the project. */
async function buildOrphansGone(dir: string): Promise<void> {
  await waitFor(() => {
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        if (String(cwd).startsWith(dir) && BUILD_TOOLS.test(cmd)) return false;
      } catch {
        /* gone meanwhile */
      }
    }
    return true;
  }, 60_000, 200);
  await sleep(1500); // a pm2 CLI call of the dead engine may still be finishing
}

describe.skipIf(skipUnless(!missing, missing))('deploy over the wire', () => {
  let db: MariaDb;
  let p: DemoProject;
  const engines: EngineClient[] = [];
  const start = async () => {
    const e = await EngineClient.start({ cwd: p.dir, env: p.env });
    engines.push(e);
    return e;
  };
  const progressAt = (e: EngineClient, step: string) => waitFor(() => e.notifications.some((n) => n.method === '$/progress' && String(n.params?.status).endsWith(`: ${step}`)), 240_000, 50);
  const snapshot = () => ({ tree: p.treeHash(), dump: p.dump() });
  const expectPutBack = (before: { tree: Map<string, string>; dump: string }) => {
    expect(treeDiff(before.tree, p.treeHash())).toEqual([]);
    expect(p.dump()).toBe(before.dump);
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
    expect(filesWithSecrets(p.dir, ['deployments', 'logs'])).toEqual([]);
  };
  const noSecretOnTheWire = (e: EngineClient) => expect(e.stdoutLines.join('\n')).not.toMatch(new RegExp(Object.values(SECRETS).join('|')));

  beforeAll(async () => {
    db = await startMariaDb({ database: 'woosoo_wire', user: 'woosoo', password: SECRETS.db });
    p = await makeDemoProject(db);
  }, 60_000);
  afterAll(async () => {
    for (const e of engines) if (e.child.exitCode === null && e.child.signalCode === null) await e.close();
    if (p) await killPm2(openServiceSet(p.cfg(), p.ctx()).backend as Pm2Backend).catch(() => {});
    await db?.stop();
    if (p) rmSync(p.dir, { recursive: true, force: true });
  }, 60_000);

  it('whatIf returns the whole plan (each step and its commands) and writes nothing: no lock, no backup, no journal', async () => {
    const e = await start();
    const before = p.treeHash();
    const r = await e.call('deploy.run', { path: p.dir, whatIf: true });
    const items = r.items as { $type: string; Name: string; Commands: string[] }[];
    expect(items.map((i) => i.$type)).toEqual(Array(10).fill('DeployPlanStep'));
    expect(items.map((i) => i.Name)).toEqual(['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report']);
    const build = items.find((i) => i.Name === 'Build')!.Commands.join('\n');
    expect(build).toContain('composer install --no-dev --optimize-autoloader');
    expect(build).toContain('artisan migrate --force');
    expect(build).toContain('npm ci');
    expect(items.find((i) => i.Name === 'StopServices')!.Commands.join('\n')).toContain('artisan queue:restart');
    for (const d of ['deployments', 'backups', 'logs']) expect(existsSync(join(p.dir, d))).toBe(false);
    expect(treeDiff(before, p.treeHash())).toEqual([]);
  }, 60_000);

  it('a clean deploy returns a Woosoo.Deployment and streams each Woosoo.DeployStep; deploy.get lists it', async () => {
    const e = await start();
    const r = await e.call('deploy.run', { path: p.dir, skipTests: true });
    const d = (r.items as Record<string, unknown>[])[0];
    expect(d.$type).toBe('Deployment');
    expect(d.Status).toBe('Succeeded');
    const streamed = e.notifications.filter((n) => n.method === '$/items').flatMap((n) => n.params!.items as { $type: string }[]);
    expect(streamed.length).toBe(10);
    expect(new Set(streamed.map((s) => s.$type))).toEqual(new Set(['DeployStep']));
    const list = await e.call('deploy.get', { path: p.dir, last: 1 });
    expect((list.items as { Id: string }[])[0].Id).toBe(d.Id);
    noSecretOnTheWire(e);
  }, 240_000);

  it('Ctrl+C ($/cancel) mid-build stops the build and rolls back: the reply is Cancelled, files and database as before', async () => {
    p.set({ APP_NAME: "'Woosoo Demo v2'" });
    const before = snapshot();
    const e = await start();
    const id = e.peekNextId();
    const reply = e.request('deploy.run', { path: p.dir });
    await progressAt(e, 'Build');
    await sleep(300);
    e.notify('$/cancel', { id });
    const r: RpcMessage = await reply;
    expect(r.error?.data?.errorId).toBe('Cancelled');
    const d = ((await e.call('deploy.get', { path: p.dir, last: 1 })).items as { Status: string; Steps: { Name: string; Status: string }[] }[])[0];
    expect(d.Status).toBe('RolledBack');
    expect(d.Steps.find((s) => s.Name === 'Build')?.Status).toBe('Cancelled');
    expectPutBack(before);
    noSecretOnTheWire(e);
  }, 240_000);

  it('a second deploy while one runs is refused (DeployFailed at Lock, naming the holder); the first one finishes', async () => {
    const a = await start();
    const b = await start();
    const first = a.request('deploy.run', { path: p.dir, skipTests: true });
    await progressAt(a, 'Build');
    const second = await b.request('deploy.run', { path: p.dir });
    expect(second.error?.data?.errorId).toBe('DeployFailed');
    expect(second.error?.message).toContain('failed at step Lock');
    expect(second.error?.message).toContain('Another deploy holds');
    const r = await first;
    expect((r.result?.items as { Status: string }[])[0].Status).toBe('Succeeded');
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
  }, 240_000);

  for (const step of ['Build', 'StopServices', 'StartServices']) {
    it(`the engine killed during ${step}: Interrupted, the next deploy refuses, deploy.undo rolls back to the exact previous state`, async () => {
      p.set({ APP_NAME: `'Woosoo Demo ${step}'` });
      const before = snapshot();
      const a = await start();
      void a.request('deploy.run', { path: p.dir });
      await progressAt(a, step);
      await sleep(step === 'Build' ? 1500 : 300);
      a.child.kill('SIGKILL');
      await a.exited;
      await buildOrphansGone(p.dir);

      const b = await start();
      const listed = ((await b.call('deploy.get', { path: p.dir, last: 1 })).items as { Id: string; Status: string }[])[0];
      expect(listed.Status).toBe('Interrupted');
      const refused = await b.request('deploy.run', { path: p.dir });
      expect(refused.error?.data?.errorId).toBe('DeployInterruptedFound');
      expect(refused.error?.data?.targetObject).toBe(listed.Id);
      const undone = ((await b.call('deploy.undo', { path: p.dir })).items as { Id: string; Status: string; ReportPath: string }[])[0];
      expect(undone.Id).toBe(listed.Id);
      expect(undone.Status).toBe('RolledBack');
      expect(readFileSync(undone.ReportPath, 'utf8')).toContain(`Interrupted during step`);
      expectPutBack(before);
      noSecretOnTheWire(b);
    }, 300_000);
  }
});
