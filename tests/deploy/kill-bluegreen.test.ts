// The engine killed (SIGKILL) at each step of a blue/green deploy (DEPLOY_STRATEGY=BlueGreen), over the wire, on the
// demo stack with real composer/artisan, MariaDB, nginx and PM2: after each kill something still serves through
// nginx (the live release before the cutover, the new one after it, the old one still running beside it), the next
// deploy refuses, and deploy.undo puts back what was live (live.json, nginx.conf), the database and the lock, and
// removes the half-made release. Held at each step's crash point (WOOSOO_TEST_HOLD_AT_STEP, core/kernel/testseams.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpGet } from '../../core/health/http';
import { readLive } from '../../core/releases';
import type { EngineClient } from '../support/engine';
import { skipUnless, waitFor } from '../harness/tools';
import { missingForDeploy, useDeployWire } from './wire-kit';

describe.skipIf(skipUnless(!missingForDeploy, missingForDeploy))('the engine killed during a blue/green deploy', () => {
  const kit = useDeployWire('woosoo_kill_bg', { DEPLOY_STRATEGY: 'BlueGreen' });
  const { start, snapshot, expectPutBack, noSecretOnTheWire, last, errorOf } = kit;
  const path = () => kit.p.dir;
  const serving = async () => (await httpGet(`http://127.0.0.1:${kit.p.cfg().num('HTTP_PORT')}/api/health`, AbortSignal.timeout(5000))).status;
  const releases = () => (existsSync(join(path(), 'releases')) ? readdirSync(join(path(), 'releases')).sort() : []);
  type Before = ReturnType<typeof snapshot> & { live: ReturnType<typeof readLive>; releases: string[] };
  /** After deploy.undo: the live release and the release folders as before, serving, files, database and lock as before. */
  async function expectBackTo(before: Before, a: EngineClient, b: EngineClient) {
    expect(readLive(kit.p.cfg())).toMatchObject({ colour: before.live.colour, releaseId: before.live.releaseId });
    expect(releases()).toEqual(before.releases);
    expect(await serving()).toBe(200);
    expectPutBack(before);
    noSecretOnTheWire(a, b);
    await b.close();
  }

  it('a clean blue/green deploy to start from (a live release, nginx serving it)', async () => {
    const e = await start();
    const d = (await e.call('deploy.run', { path: path(), skipTests: true })).items![0];
    expect(d.Status).toBe('Succeeded');
    expect(await serving()).toBe(200);
    await e.close();
  }, 240_000);

  for (const step of ['Release', 'Sync', 'Build', 'StartRelease', 'CheckRelease', 'Cutover', 'Health', 'StopPrevious']) {
    it(`killed at ${step}: still serving, the next deploy refuses, deploy.undo puts back the live release and the database`, async () => {
      kit.p.set({ APP_NAME: `'Woosoo Demo ${step}'` });
      const before = { ...snapshot(), live: readLive(kit.p.cfg()), releases: releases() };
      const a = await start({ WOOSOO_TEST_HOLD_AT_STEP: step });
      void a.request('deploy.run', { path: path(), skipTests: true });
      await waitFor(() => a.notifications.some((n) => n.method === '$/log' && String(n.params?.message).includes(`holding at ${step} `)), 240_000, 20);
      await kit.kill(a);
      expect(await serving()).toBe(200);
      const b = await start();
      const listed = await last(b);
      expect(listed).toMatchObject({ Status: 'Interrupted', FailedStep: step });
      expect(errorOf(await b.request('deploy.run', { path: path() }))).toBe('DeployInterruptedFound');
      const undone = ((await b.call('deploy.undo', { path: path() })).items as { Id: string; Status: string }[])[0];
      expect(undone).toMatchObject({ Id: listed.Id, Status: 'RolledBack' });
      await expectBackTo(before, a, b);
    }, 240_000);
  }

  it('killed while switching back after a failure behind the cutover: still serving; deploy.undo completes the switch back', async () => {
    // Healthy on its own ports, unhealthy through nginx (a HEALTH_URLS page nobody serves): fails at Health, after the cutover.
    kit.p.set({ APP_NAME: "'Woosoo Demo switch back'" });
    const configFile = join(path(), 'deployment.config.env');
    const config = readFileSync(configFile, 'utf8');
    const before = { ...snapshot(), live: readLive(kit.p.cfg()), releases: releases() };
    kit.p.set({ HEALTH_URLS: `http://127.0.0.1:${kit.p.cfg().num('HTTP_PORT')}/api/nowhere`, DEPLOY_HEALTH_CHECKS: "'Service *,HTTP *,URL *'", DEPLOY_HEALTH_DEADLINE_SECONDS: '2' });
    const a = await start({ WOOSOO_TEST_HOLD_AT_STEP: 'Rollback' });
    void a.request('deploy.run', { path: path(), skipTests: true });
    await waitFor(() => a.notifications.some((n) => n.method === '$/log' && String(n.params?.message).includes('holding at Rollback ')), 240_000, 20);
    await kit.kill(a);
    expect(readLive(kit.p.cfg()).colour).not.toBe(before.live.colour); // the cutover had happened
    expect(await serving()).toBe(200);
    writeFileSync(configFile, config);
    const b = await start();
    expect(await last(b)).toMatchObject({ Status: 'Interrupted', FailedStep: 'Health' });
    const undone = ((await b.call('deploy.undo', { path: path() })).items as { Status: string }[])[0];
    expect(undone.Status).toBe('RolledBack');
    await expectBackTo(before, a, b);
  }, 240_000);
});
