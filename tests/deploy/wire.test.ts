// deploy.run / deploy.get over the wire, against the real engine (bin/woosoo-engine.cjs) and the demo stack with real
// composer/artisan/npm, MariaDB and PM2: -WhatIf changes nothing; a clean deploy streams its steps; Ctrl+C ($/cancel)
// mid-build rolls back (files and database as before); a second deploy while one runs is refused. The engine killed
// during each step (and during a rollback) is in kill.test.ts; the shared set-up and checks are in wire-kit.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockPath } from '../../core/deploy/lock';
import type { RpcMessage } from '../support/engine';
import { skipUnless, sleep, logsBesidesWoosoo } from '../harness/tools';
import { treeDiff } from './fixture';
import { missingForDeploy, useDeployWire } from './wire-kit';

describe.skipIf(skipUnless(!missingForDeploy, missingForDeploy))('deploy over the wire', () => {
  const kit = useDeployWire('woosoo_wire');
  const { start, progressAt, snapshot, expectPutBack, noSecretOnTheWire } = kit;

  it('whatIf returns the whole plan (each step and its commands) and writes nothing: no lock, no backup, no journal', async () => {
    const e = await start();
    const before = kit.p.treeHash();
    const r = await e.call('deploy.run', { path: kit.p.dir, whatIf: true });
    const items = r.items as { $type: string; Name: string; Commands: string[] }[];
    expect(items.map((i) => i.$type)).toEqual(Array(10).fill('DeployPlanStep'));
    expect(items.map((i) => i.Name)).toEqual(['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report']);
    const build = items.find((i) => i.Name === 'Build')!.Commands.join('\n');
    expect(build).toContain('composer install --no-dev --optimize-autoloader');
    expect(build).toContain('artisan migrate --force');
    expect(build).toContain('npm ci');
    expect(items.find((i) => i.Name === 'StopServices')!.Commands.join('\n')).toContain('artisan queue:restart');
    for (const d of ['deployments', 'backups']) expect(existsSync(join(kit.p.dir, d))).toBe(false);
    expect(logsBesidesWoosoo(kit.p.dir)).toEqual([]);
    expect(treeDiff(before, kit.p.treeHash())).toEqual([]);
  }, 60_000);

  it('a clean deploy returns a Woosoo.Deployment and streams each Woosoo.DeployStep; deploy.get lists it', async () => {
    const e = await start();
    const r = await e.call('deploy.run', { path: kit.p.dir, skipTests: true });
    const d = (r.items as Record<string, unknown>[])[0];
    expect(d.$type).toBe('Deployment');
    expect(d.Status).toBe('Succeeded');
    const streamed = e.notifications.filter((n) => n.method === '$/items').flatMap((n) => n.params!.items as { $type: string }[]);
    expect(streamed.length).toBe(10);
    expect(new Set(streamed.map((s) => s.$type))).toEqual(new Set(['DeployStep']));
    const list = await e.call('deploy.get', { path: kit.p.dir, last: 1 });
    expect((list.items as { Id: string }[])[0].Id).toBe(d.Id);
    noSecretOnTheWire(e);
  }, 240_000);

  it('Ctrl+C ($/cancel) mid-build stops the build and rolls back: the reply is Cancelled, files and database as before', async () => {
    kit.p.set({ APP_NAME: "'Woosoo Demo v2'" });
    const before = snapshot();
    const e = await start();
    const id = e.peekNextId();
    const reply = e.request('deploy.run', { path: kit.p.dir });
    await progressAt(e, 'Build');
    await sleep(300);
    e.notify('$/cancel', { id });
    const r: RpcMessage = await reply;
    expect(r.error?.data?.errorId).toBe('Cancelled');
    const d = ((await e.call('deploy.get', { path: kit.p.dir, last: 1 })).items as { Status: string; Steps: { Name: string; Status: string }[] }[])[0];
    expect(d.Status).toBe('RolledBack');
    expect(d.Steps.find((s) => s.Name === 'Build')?.Status).toBe('Cancelled');
    expectPutBack(before);
    noSecretOnTheWire(e);
  }, 240_000);

  it('a second deploy while one runs is refused (DeployFailed at Lock, naming the holder); the first one finishes', async () => {
    const a = await start();
    const b = await start();
    const first = a.request('deploy.run', { path: kit.p.dir, skipTests: true });
    await progressAt(a, 'Build');
    const second = await b.request('deploy.run', { path: kit.p.dir });
    expect(second.error?.data?.errorId).toBe('DeployFailed');
    expect(second.error?.message).toContain('failed at step Lock');
    expect(second.error?.message).toContain('Another deploy holds');
    const r = await first;
    expect((r.result?.items as { Status: string }[])[0].Status).toBe('Succeeded');
    expect(existsSync(lockPath(kit.p.cfg()))).toBe(false);
  }, 240_000);
});
