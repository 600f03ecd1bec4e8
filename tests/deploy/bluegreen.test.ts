// Blue/green deploys (DEPLOY_STRATEGY=BlueGreen) of a copy of the demo stack with the real parts: composer, php
// artisan (Laravel 8 from Debian), npm, a real MariaDB, nginx and PM2. While each deploy runs, a poller asks
// GET /api/health through nginx every 50 ms and keeps a Pusher-protocol WebSocket open on Reverb through nginx
// (bench/lib/poller.mjs), and orders are queued: the counts are the acceptance of issue 14. In-process: the engine
// code is called directly.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startPoller, type Poller, type Summary } from '../../bench/lib/poller.mjs';
import { listDeployments } from '../../core/deploy/history';
import type { DeployOptions, Journal } from '../../core/deploy/journal';
import { lockPath } from '../../core/deploy/lock';
import { streamingSteps } from '../../core/deploy/methods';
import { runDeploy } from '../../core/deploy/orchestrator';
import { deployPlanWithSql } from '../../core/deploy/steps';
import { undoDeploy } from '../../core/deploy/undo';
import { WoosooError } from '../../core/kernel/errors';
import { readLive, releaseDirs } from '../../core/releases';
import { getServices } from '../../core/services';
import { missingTools, skipUnless } from '../harness/tools';
import { SECRETS, filesWithSecrets, migration, useDemoProject, type DemoProject } from './fixture';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';
const OPTIONS: DeployOptions = { scope: 'Full', skipBackup: false, skipBuild: false, skipTests: true, force: false, noRollback: false, parallel: true };
const MIGRATIONS = 'apps/woosoo-nexus/database/migrations';
const HEALTH_CONTROLLER = 'apps/woosoo-nexus/app/Http/Controllers/HealthController.php';

describe.skipIf(skipUnless(!missing, missing))('blue/green deploys of the demo stack, counted by a poller', () => {
  const stack = useDemoProject('woosoo_bluegreen', undefined, { DEPLOY_STRATEGY: 'BlueGreen', DEPLOY_KEEP_RELEASES: '2' });
  let p: DemoProject;
  beforeAll(() => {
    ({ p } = stack);
  });

  const http = () => p.cfg().num('HTTP_PORT');
  // A failed request is an error or a non-2xx answer. A slow answer is an answer: on the busy 2-core CI machine the
  // single-threaded `php -S` behind artisan serve can take over 2 s (the poller's default) to answer one; allow 10 s.
  const watch = (): Poller => startPoller({
    url: `http://127.0.0.1:${http()}/api/health`, intervalMs: 50, timeoutMs: 10_000, maxInFlight: 400,
    ws: { url: `ws://127.0.0.1:${http()}/app/${SECRETS.reverbKey}?protocol=7&client=js&version=8.4.0&flash=false` },
  });
  const deploy = (opts: Partial<DeployOptions> = {}) => runDeploy(p.cfg(), streamingSteps(p.ctx()), { ...OPTIONS, ...opts });
  const failing = async (opts: Partial<DeployOptions> = {}): Promise<Journal> => {
    const err = await deploy(opts).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    return listDeployments(p.cfg(), { last: 1 })[0];
  };
  const artisan = (args: string[], cwd: string) => execFileSync('php', ['artisan', ...args], { cwd, env: p.env, encoding: 'utf8' });
  const running = async () => (await getServices(p.cfg(), p.ctx())).items.filter((s) => s.status === 'Running').map((s) => s.name).sort();
  const expectClean = (s: Summary, what: string) => {
    expect(s.requests, what).toBeGreaterThan(20);
    expect(s.failed, `${what}: ${JSON.stringify(s.reasons)}`).toBe(0);
  };

  it('the first deploy builds a release, starts the green colour beside nothing, and switches nginx to it', async () => {
    const j = await deploy();
    expect(j.status).toBe('Succeeded');
    expect(j.strategy).toBe('BlueGreen');
    expect(j.steps.map((s) => s.name)).toEqual(['Preflight', 'Lock', 'Backup', 'Release', 'Sync', 'Build', 'StartRelease', 'CheckRelease', 'Cutover', 'Health', 'StopPrevious', 'Report']);
    const live = readLive(p.cfg());
    expect(live).toMatchObject({ colour: 'green', releaseId: j.id });
    const dirs = releaseDirs(p.cfg(), j.id);
    // storage/ is shared with the app folder (a link), the code and .env are the release's own.
    expect(lstatSync(join(dirs.backend, 'storage')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dirs.backend, '.env'), 'utf8')).toContain(`REVERB_SERVER_PORT=${p.cfg().num('REVERB_GREEN_PORT')}`);
    expect(existsSync(join(dirs.pwa, '.output', 'public', 'index.html'))).toBe(true);
    expect(await running()).toEqual(['wsdemo-backend-green', 'wsdemo-nginx', 'wsdemo-queue-worker-green', 'wsdemo-reverb-green'].map((n) => n.replace('wsdemo', p.cfg().str('SERVICE_PREFIX'))).sort());
    const conf = readFileSync(join(p.dir, 'configs', 'nginx.conf'), 'utf8');
    expect(conf).toContain(`proxy_pass http://127.0.0.1:${p.cfg().num('BACKEND_GREEN_PORT')};`);
    expect(conf).toContain(dirs.pwa);
  }, 240_000);

  it('-WhatIf shows the SQL the pending migrations would run (migrate --pretend) and flags a destructive one; nothing changes', async () => {
    const file = join(p.dir, MIGRATIONS, '2026_12_03_000003_pending.php');
    writeFileSync(file, migration('Pending', "        Schema::create('pending_thing', function (Blueprint $t) { $t->id(); });\n        Schema::dropIfExists('orders');"));
    const before = p.dump();
    const plan = await deployPlanWithSql(p.cfg(), OPTIONS, p.ctx());
    rmSync(file);
    const build = plan.find((s) => s.name === 'Build')!.commands.join('\n');
    expect(build).toMatch(/\[backend\] SQL: create table `pending_thing`/);
    expect(build).toMatch(/\[backend\] SQL: drop table if exists `orders`/);
    expect(build).toContain('the build would stop here');
    expect(p.dump()).toBe(before);
  }, 120_000);

  it('a second deploy switches to blue with no failed request, no lost or doubled job, and a quick WebSocket reconnect', async () => {
    const before = readLive(p.cfg());
    const poller = watch();
    const liveBackend = releaseDirs(p.cfg(), before.releaseId).backend;
    const queued: string[] = [];
    const dispatching = (async () => {
      for (let i = 0; i < 6; i++) {
        queued.push(artisan(['order:dispatch', `bg-${i}`], liveBackend).trim());
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    const j = await deploy();
    await dispatching;
    const s = await poller.stop();
    expect(j.status).toBe('Succeeded');
    expectClean(s, 'successful deploy');
    expect(s.ws?.connects ?? 0).toBeGreaterThanOrEqual(1);
    expect(s.ws?.maxReconnectMs ?? 0).toBeLessThanOrEqual(2000);
    expect(readLive(p.cfg())).toMatchObject({ colour: 'blue', releaseId: j.id });
    // The previous release stays on disk (for Undo-WoosooDeploy); its services are stopped.
    expect(existsSync(releaseDirs(p.cfg(), before.releaseId).backend)).toBe(true);
    expect((await running()).filter((n) => n.endsWith('-green'))).toEqual([]);
    // Every queued order is processed exactly once (the shared storage/logs/laravel.log has one line per order).
    const ids = queued.map((q) => /order (\d+) queued/.exec(q)?.[1]).filter(Boolean) as string[];
    expect(ids).toHaveLength(6);
    const log = join(p.dir, 'apps/woosoo-nexus/storage/logs/laravel.log');
    await expect.poll(() => ids.filter((id) => readFileSync(log, 'utf8').includes(`order ${id} processed`)).length, { timeout: 30_000 }).toBe(6);
    for (const id of ids) expect(readFileSync(log, 'utf8').split(`order ${id} processed`).length - 1, `order ${id}`).toBe(1);
    console.log(`[bluegreen] successful deploy: ${(await import('../../bench/lib/poller.mjs')).formatSummary(s)}`);
  }, 240_000);

  it('a deploy failing at Build (a migration that throws after creating a table) never touches the live release', async () => {
    const before = { live: readLive(p.cfg()), dump: p.dump(), releases: readdirSync(join(p.dir, 'releases')) };
    const file = join(p.dir, MIGRATIONS, '2026_12_03_000001_breaks.php');
    writeFileSync(file, migration('Breaks', "        Schema::create('half_done', function (Blueprint $t) { $t->id(); });\n        throw new \\RuntimeException('migration breaks');"));
    const poller = watch();
    const j = await failing();
    const s = await poller.stop();
    rmSync(file);
    expect(j.failedStep).toBe('Build');
    expect(j.status).toBe('RolledBack');
    expectClean(s, 'deploy failing at Build');
    expect(s.ws?.outages ?? []).toEqual([]);
    expect(readLive(p.cfg())).toEqual(before.live);
    expect(p.dump()).toBe(before.dump);
    expect(readdirSync(join(p.dir, 'releases'))).toEqual(before.releases);
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
  }, 240_000);

  it('a deploy whose new release is unhealthy on its own ports is thrown away with no failed request', async () => {
    const before = { live: readLive(p.cfg()), dump: p.dump() };
    p.set({ DEPLOY_HEALTH_DEADLINE_SECONDS: '4' });
    const original = readFileSync(join(p.dir, HEALTH_CONTROLLER), 'utf8');
    writeFileSync(join(p.dir, HEALTH_CONTROLLER), original.replace(/public function __invoke\([^)]*\)\s*\{/, (m) => `${m}\n        abort(500, 'broken release');`));
    const poller = watch();
    const j = await failing();
    const s = await poller.stop();
    writeFileSync(join(p.dir, HEALTH_CONTROLLER), original);
    p.set({ DEPLOY_HEALTH_DEADLINE_SECONDS: '15' });
    expect(j.failedStep).toBe('CheckRelease');
    expectClean(s, 'deploy failing at CheckRelease');
    expect(readLive(p.cfg())).toEqual(before.live);
    expect(p.dump()).toBe(before.dump);
  }, 240_000);

  it('a deploy failing after the cutover switches back within a second of errors; Undo of a successful one returns to the release before it', async () => {
    // Healthy on its own ports, unhealthy through nginx: a HEALTH_URLS route that only the live release has.
    const routes = join(p.dir, 'apps/woosoo-nexus/routes/api.php');
    const original = readFileSync(routes, 'utf8');
    writeFileSync(routes, `${original}\nRoute::get('/only-old', HealthController::class);\n`);
    expect((await deploy()).status).toBe('Succeeded');
    writeFileSync(routes, original);
    const before = { live: readLive(p.cfg()), dump: p.dump() };
    p.set({ HEALTH_URLS: `http://127.0.0.1:${http()}/api/only-old`, DEPLOY_HEALTH_DEADLINE_SECONDS: '3', DEPLOY_HEALTH_CHECKS: "'Service *,HTTP *,URL *'" });
    const poller = watch();
    const j = await failing();
    const s = await poller.stop();
    p.set({ HEALTH_URLS: '', DEPLOY_HEALTH_DEADLINE_SECONDS: '15', DEPLOY_HEALTH_CHECKS: "'Service *,Port *,Reverb WebSocket,Database,Queue *,HTTP *'" });
    expect(j.failedStep).toBe('Health');
    expect(j.status, JSON.stringify(j.leftToDo)).toBe('RolledBack');
    expect(s.longestErrorRunMs).toBeLessThanOrEqual(1000);
    expect(readLive(p.cfg())).toMatchObject({ colour: before.live.colour, releaseId: before.live.releaseId });
    expect(p.dump()).toBe(before.dump);

    // Undo of the live (successful) deploy: back to the release before it, with its migrations' table dropped.
    writeFileSync(join(p.dir, MIGRATIONS, '2026_12_03_000002_adds.php'), migration('Adds', "        Schema::create('added_by_deploy', function (Blueprint $t) { $t->id(); });"));
    const ok = await deploy();
    expect(p.dump()).toContain('added_by_deploy');
    // DEPLOY_KEEP_RELEASES=2: the failed deploys' releases are gone, the older successful ones pruned.
    expect(readdirSync(join(p.dir, 'releases')).sort()).toEqual([before.live.releaseId, ok.id].sort());
    const undoPoller = watch();
    const undone = await undoDeploy(p.cfg(), streamingSteps(p.ctx()), ok.id);
    const u = await undoPoller.stop();
    rmSync(join(p.dir, MIGRATIONS, '2026_12_03_000002_adds.php'));
    expect(undone.status, JSON.stringify(undone.leftToDo)).toBe('RolledBack');
    // Its migration completed (it may have changed data), so the whole database is restored under live traffic:
    // the one moment a request may fail, bounded like a failure after the cutover.
    expect(u.requests).toBeGreaterThan(20);
    expect(u.longestErrorRunMs, JSON.stringify(u.reasons)).toBeLessThanOrEqual(1000);
    expect(undone.steps.find((s) => s.name === 'Rollback')?.message).toMatch(/nginx switched back .*restored the database from backup/);
    expect(readLive(p.cfg())).toMatchObject({ colour: before.live.colour, releaseId: before.live.releaseId });
    expect(p.dump()).not.toContain('added_by_deploy');
    expect(readdirSync(join(p.dir, 'releases'))).toEqual([before.live.releaseId]);
    // nginx's own access and error logs are left out: they hold the poller's WebSocket URL, whose REVERB_APP_KEY every
    // browser sends too (a Pusher client's key is public by design). Woosoo's journals, reports and logs hold no secret.
    expect(filesWithSecrets(p.dir, ['deployments', 'logs']).filter((f) => !/^logs[\\/]nginx-(access|error)\.log$/.test(f))).toEqual([]);
  }, 360_000);
});
