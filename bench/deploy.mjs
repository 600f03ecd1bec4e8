// Benchmark of Invoke-WoosooDeploy (deploy.run over the wire, the real engine) on copies of the demo stack with a
// private MariaDB and PM2, against a plain script running the same commands in the same order in the same run:
// the dump, the build and test commands, the PM2 stop/start of the four services, one database query.
// Two copies: one with DEPLOY_STRATEGY=InPlace (the plain script's commands are that strategy's), one with BlueGreen.
// Prints: sequential in-place deploy / plain script (ratio), parallel / sequential, blue/green / in-place (the same
// default options, parallel builds with tests; both copies deployed once before), availability while deploying
// (bench/lib/poller.mjs: GET /api/health through nginx every 50 ms and a Pusher WebSocket through nginx) for a
// successful blue/green deploy, one failing at Build, at CheckRelease, after the cutover (Health), and a successful
// in-place one; rollback time (an in-place deploy whose health check fails, rolled back), the engine's peak memory
// (VmHWM) and the load average. Usage: node bench/deploy.mjs [rounds]   (default 3; npm run build first if bin/ is stale)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';
import { PASSWORD, demoProject, patchFile, sleep, startMariaDb, writeMigration } from './lib/deploy-stack.mjs';
import { formatSummary, startPoller } from './lib/poller.mjs';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: node bench/deploy.mjs [rounds]   (default 3; npm run build first if bin/ is stale). About 5-10 min for 3 rounds.');
  process.exit(0);
}

/** A duration as the engine sends it (ISO-8601 "PT12.345S") in seconds. */
const seconds = (iso) => Number(iso.slice(2, -1));

const rounds = Number(process.argv[2] ?? 3);
const env = { ...process.env, COMPOSER_ALLOW_SUPERUSER: '1', PM2_DISABLE_VERSION_CHECK: 'true' };

/** The same commands the deploy runs, in the same order, one after the other, no checks in between. */
function plainScript(dir, port) {
  const t0 = performance.now();
  const pm2 = join(root, 'node_modules', 'pm2', 'bin', 'pm2');
  const pm2env = { ...env, PM2_HOME: join(dir, '.pm2') };
  const be = join(dir, 'apps', 'woosoo-nexus');
  const pwa = join(dir, 'apps', 'tablet-ordering-pwa');
  const sh = (file, args, cwd, e = env) => { const r = spawnSync(file, args, { cwd, env: e, stdio: 'ignore' }); if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.status}`); };
  const dump = spawnSync('mariadb-dump', ['--host=127.0.0.1', `--port=${port}`, '--user=bench', '--single-transaction', 'bench'], { env: { ...env, MYSQL_PWD: PASSWORD }, maxBuffer: 1 << 28 });
  writeFileSync(join(dir, 'plain-dump.sql'), dump.stdout);
  for (const args of [['install', '--no-dev', '--optimize-autoloader', '--no-interaction']]) sh('composer', args, be);
  for (const a of ['migrate --force', 'config:cache', 'route:cache', 'view:cache', 'app:selftest']) sh('php', ['artisan', ...a.split(' ')], be);
  sh('npm', ['ci'], pwa);
  sh('npm', ['run', 'build'], pwa);
  sh('npm', ['test'], pwa);
  sh('php', ['artisan', 'queue:restart'], be);
  // The four services the deploy stops and starts (the backend, php artisan serve, since eaa714e).
  for (const s of ['woosoo-nginx', 'woosoo-reverb', 'woosoo-backend', 'woosoo-queue-worker']) sh(process.execPath, [pm2, 'stop', s], dir, pm2env);
  for (const s of ['woosoo-queue-worker', 'woosoo-backend', 'woosoo-reverb', 'woosoo-nginx']) sh(process.execPath, [pm2, 'start', s], dir, pm2env);
  sh('mariadb', ['--host=127.0.0.1', `--port=${port}`, '--user=bench', '-e', 'SELECT 1', 'bench'], dir, { ...env, MYSQL_PWD: PASSWORD });
  rmSync(join(dir, 'plain-dump.sql'));
  return performance.now() - t0;
}

const peakMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const loadAtStart = load();
const tStart = performance.now();
const db = await startMariaDb(['bench', 'bench_bg']);
const inPlace = await demoProject(db, 'bench', { DEPLOY_STRATEGY: 'InPlace' });
const blueGreen = await demoProject(db, 'bench_bg', { DEPLOY_STRATEGY: 'BlueGreen' });
const { dir } = inPlace;
const engine = startEngine();
await engine.call('initialize', { protocolVersion: '1.0', client: { name: 'bench', version: '0' } });
engine.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: '$/context', params: { cwd: dir, env } })}\n`);
const deploy = async (params, p = inPlace) => {
  const t0 = performance.now();
  const r = await engine.call('deploy.run', { path: p.dir, ...params });
  return { ms: performance.now() - t0, r };
};
const lastDeploy = async (p) => (await engine.call('deploy.get', { path: p.dir, last: 1 })).result.items[0];
const succeeded = async (p, params) => {
  const one = await deploy(params, p);
  if (one.r.error) throw new Error(`${p.get('DEPLOY_STRATEGY')} deploy: ${one.r.error.message}`);
  return one;
};
const addSteps = (into, d) => { for (const st of d.Steps) (into[st.Name] ??= []).push(seconds(st.Duration) * 1000); };

/**
 * A deploy of p while the poller watches nginx: started once the WebSocket is connected, stopped 1 s after the deploy
 * returned (a reconnect still under way is counted). Returns the deploy's time, status and failed step, and the summary.
 */
async function watched(p, params) {
  const poller = startPoller({ url: p.healthUrl, intervalMs: 50, ws: { url: p.wsUrl } });
  for (let i = 0; i < 60 && !(poller.snapshot().ws?.connects > 0); i++) await sleep(50);
  const one = await deploy(params, p);
  await sleep(1000);
  const summary = await poller.stop();
  const d = await lastDeploy(p);
  return { ms: one.ms, status: d.Status, failedStep: d.FailedStep, summary };
}

const HEALTH_CONTROLLER = 'apps/woosoo-nexus/app/Http/Controllers/HealthController.php';
const ROUTES = 'apps/woosoo-nexus/routes/api.php';
try {
  // Both copies deployed once first: every measured deploy starts from an already-deployed project.
  await succeeded(inPlace, { parallel: false });
  await succeeded(blueGreen, {});
  const steps = {};
  const parSteps = {};
  const bgSteps = {};
  const seq = [];
  const par = [];
  const bg = [];
  const plain = [];
  for (let i = 0; i < rounds; i++) {
    plain.push(plainScript(dir, db.port));
    const one = await succeeded(inPlace, { parallel: false });
    seq.push(one.ms);
    addSteps(steps, await lastDeploy(inPlace));
    // In place and blue/green with the same (default) options, parallel builds with tests; their order alternates.
    const both = [
      async () => { par.push((await succeeded(inPlace, { parallel: true })).ms); addSteps(parSteps, await lastDeploy(inPlace)); },
      async () => { bg.push((await succeeded(blueGreen, { parallel: true })).ms); addSteps(bgSteps, await lastDeploy(blueGreen)); },
    ];
    for (const run of i % 2 ? both.reverse() : both) await run();
  }

  // Availability. (e) in place, for contrast; (a) blue/green that succeeds, its release with a route only it has (for d).
  const avail = [];
  avail.push(['(e) in place, succeeds', '', await watched(inPlace, {})]);
  const restoreRoutes = patchFile(blueGreen.dir, ROUTES, (t) => `${t}\nRoute::get('/only-old', HealthController::class);\n`);
  avail.push(['(a) blue/green, succeeds', '', await watched(blueGreen, {})]);
  restoreRoutes();
  // (b) A migration that creates a table, then throws: Build fails (against the live database), the table is dropped.
  const mig = writeMigration(blueGreen.dir, '2026_12_03_000001_breaks', 'Breaks',
    "        Schema::create('half_done', function (Blueprint $t) { $t->id(); });\n        throw new \\RuntimeException('migration breaks');");
  avail.push(['(b) blue/green, fails at Build', 'Build', await watched(blueGreen, { skipTests: true })]);
  rmSync(mig);
  // (c) The new release's /api/health answers 500 on its own ports: CheckRelease fails (deadline 4 s), no cutover.
  blueGreen.set({ DEPLOY_HEALTH_DEADLINE_SECONDS: 4 });
  const restoreHealth = patchFile(blueGreen.dir, HEALTH_CONTROLLER, (t) => t.replace(/public function __invoke\([^)]*\)\s*\{/, (m) => `${m}\n        abort(500, 'broken release');`));
  avail.push(['(c) blue/green, fails at CheckRelease', 'CheckRelease', await watched(blueGreen, { skipTests: true })]);
  restoreHealth();
  // (d) Healthy on its own ports, not through nginx (HEALTH_URLS: a route only the live release has): Health fails
  // after the cutover (deadline 3 s), nginx is switched back.
  const checks = blueGreen.get('DEPLOY_HEALTH_CHECKS');
  blueGreen.set({ HEALTH_URLS: `http://127.0.0.1:${blueGreen.get('HTTP_PORT')}/api/only-old`, DEPLOY_HEALTH_DEADLINE_SECONDS: 3, DEPLOY_HEALTH_CHECKS: "'Service *,HTTP *,URL *'" });
  avail.push(['(d) blue/green, fails after the cutover', 'Health', await watched(blueGreen, { skipTests: true })]);
  blueGreen.set({ HEALTH_URLS: '', DEPLOY_HEALTH_DEADLINE_SECONDS: 10, DEPLOY_HEALTH_CHECKS: checks });

  // Rollback (in place): a migration that drops failed_jobs makes the health step fail; the rollback restores the database.
  // (A drop is stopped before it runs unless DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: allowed here, to reach the health step.)
  inPlace.set({ DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: 'true' });
  const drop = writeMigration(dir, '2024_09_09_000000_bench_break', 'BenchBreak', "        Schema::drop('failed_jobs');");
  const failed = await deploy({ parallel: true, skipTests: true });
  rmSync(drop);
  const d = await lastDeploy(inPlace);
  const rb = d.Steps.find((s) => s.Name === 'Rollback');
  const m = (xs) => (median(xs) / 1000).toFixed(2);
  const stepLine = (st) => Object.entries(st).map(([n, xs]) => `${n} ${m(xs)}`).join(', ');
  console.log(`deploy bench (demo stack, ${rounds} rounds, medians)`);
  console.log(`  plain script, same commands in order     ${m(plain)} s`);
  console.log(`  deploy.run sequential builds              ${m(seq)} s   ratio ${(median(seq) / median(plain)).toFixed(2)}x the plain script`);
  console.log(`    steps of the sequential deploy: ${stepLine(steps)} (s)`);
  console.log(`  deploy.run parallel builds                ${m(par)} s   ratio ${(median(par) / median(seq)).toFixed(2)}x sequential`);
  console.log(`  deploy.run blue/green (parallel builds)   ${m(bg)} s   ratio ${(median(bg) / median(par)).toFixed(2)}x in place, parallel (target <= 1.2x)`);
  console.log(`    steps of the in-place parallel deploy: ${stepLine(parSteps)} (s)`);
  console.log(`    steps of the blue/green deploy: ${stepLine(bgSteps)} (s)`);
  console.log(`    each round, in place / blue/green: ${par.map((x, i) => `${(x / 1000).toFixed(2)} / ${(bg[i] / 1000).toFixed(2)}`).join(', ')} (s)`);
  console.log(`  failed deploy (health) incl. rollback     ${(failed.ms / 1000).toFixed(2)} s; status ${d.Status}; rollback step ${rb ? seconds(rb.Duration).toFixed(2) : '?'} s`);
  console.log(`  engine peak memory (VmHWM)                ${peakMb(engine.child.pid).toFixed(0)} MB (target <= 200 MB)`);
  console.log('  availability while deploying (GET /api/health through nginx every 50 ms + a WebSocket through nginx;');
  console.log('  targets: 0 failed in a-c, <= 1 s of errors in d, reconnect <= 2 s)');
  for (const [name, want, a] of avail) {
    const outcome = want ? `${a.status} at ${a.failedStep || '-'}${a.failedStep === want ? '' : ` (expected ${want})`}` : a.status;
    console.log(`    ${name}: ${outcome} in ${(a.ms / 1000).toFixed(2)} s; longest error run ${a.summary.longestErrorRunMs} ms`);
    console.log(`      ${formatSummary(a.summary).replace(/\n/g, '\n      ')}`);
  }
  console.log(`  load average (1/5/15 min) at start ${loadAtStart}, at end ${load()}; whole run ${((performance.now() - tStart) / 60000).toFixed(1)} min`);
} finally {
  await engine.close();
  for (const p of [inPlace, blueGreen]) {
    spawnSync(process.execPath, [join(root, 'node_modules', 'pm2', 'bin', 'pm2'), 'kill'], { env: { ...env, PM2_HOME: join(p.dir, '.pm2') }, stdio: 'ignore' });
  }
  db.stop();
  for (const p of [inPlace, blueGreen]) rmSync(p.dir, { recursive: true, force: true });
}
