// Benchmark of Invoke-WoosooDeploy (deploy.run over the wire, the real engine) on a copy of the demo stack with a
// private MariaDB and PM2, against a plain script running the same commands in the same order in the same run:
// the dump, the build and test commands, the PM2 stop/start of the four services, one database query.
// Prints: sequential deploy / plain script (ratio), parallel deploy / sequential deploy, rollback time (a deploy whose
// health check fails, rolled back), and the engine's peak memory (VmHWM). Usage: node bench/deploy.mjs [rounds]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';

/** A duration as the engine sends it (ISO-8601 "PT12.345S") in seconds. */
const seconds = (iso) => Number(iso.slice(2, -1));

const rounds = Number(process.argv[2] ?? 3);
const PASSWORD = 'bench-Deploy-Pw#1';
const freePort = () => new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startMariaDb() {
  const dir = mkdtempSync('/tmp/wsbdb-');
  const port = await freePort();
  execFileSync('mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
  const child = spawn('mariadbd', ['--no-defaults', '--user=root', `--datadir=${dir}/data`, `--socket=${dir}/sock`, `--pid-file=${dir}/pid`, `--port=${port}`,
    '--bind-address=127.0.0.1', '--skip-name-resolve', '--innodb-buffer-pool-size=32M', '--skip-log-bin', `--log-error=${dir}/err.log`], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('mariadb-admin', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', 'ping'], { stdio: 'ignore' }).status === 0) break;
    await sleep(100);
  }
  const sql = `CREATE DATABASE bench; CREATE USER 'bench'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON bench.* TO 'bench'@'%';`;
  execFileSync('mariadb', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', '-e', sql]);
  return { port, stop: () => { spawnSync('mariadb-admin', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', 'shutdown']); child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

async function project(db) {
  const dir = mkdtempSync('/tmp/wsbdep-');
  for (const f of execFileSync('git', ['ls-files', 'examples/demo'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const to = join(dir, f.slice('examples/demo/'.length));
    mkdirSync(join(to, '..'), { recursive: true });
    copyFileSync(join(root, f), to);
  }
  const extra = {
    HTTP_PORT: await freePort(), BACKEND_PORT: await freePort(), REVERB_PORT: await freePort(), DB_PORT: db.port, DB_DATABASE: 'bench', DB_USERNAME: 'bench',
    DB_PASSWORD: `'${PASSWORD}'`, DEPLOY_HEALTH_CHECKS: "'Service *,Reverb WebSocket,Database,Queue *'", DEPLOY_HEALTH_DEADLINE_SECONDS: 10, DEPLOY_HEALTH_INTERVAL_SECONDS: 1,
  };
  const file = join(dir, 'deployment.config.env');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n${Object.entries(extra).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  return dir;
}

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

const db = await startMariaDb();
const dir = await project(db);
const engine = startEngine();
await engine.call('initialize', { protocolVersion: '1.0', client: { name: 'bench', version: '0' } });
engine.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: '$/context', params: { cwd: dir, env } })}\n`);
const deploy = async (params) => {
  const t0 = performance.now();
  const r = await engine.call('deploy.run', { path: dir, ...params });
  return { ms: performance.now() - t0, r };
};
try {
  const first = await deploy({ parallel: false });
  if (first.r.error) throw new Error(first.r.error.message);
  const steps = {};
  const seq = [];
  const par = [];
  const plain = [];
  for (let i = 0; i < rounds; i++) {
    plain.push(plainScript(dir, db.port));
    const one = await deploy({ parallel: false });
    seq.push(one.ms);
    for (const st of (await engine.call('deploy.get', { path: dir, last: 1 })).result.items[0].Steps) (steps[st.Name] ??= []).push(seconds(st.Duration) * 1000);
    par.push((await deploy({ parallel: true })).ms);
  }
  // Rollback: a migration that drops failed_jobs makes the health step fail; the rollback restores the database.
  // (A drop is stopped before it runs unless DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: allowed here, to reach the health step.)
  appendFileSync(join(dir, 'deployment.config.env'), '\nDEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true\n');
  const mig = join(dir, 'apps/woosoo-nexus/database/migrations/2024_09_09_000000_bench_break.php');
  writeFileSync(mig, "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Support\\Facades\\Schema;\nclass BenchBreak extends Migration { public function up() { Schema::drop('failed_jobs'); } public function down() {} }\n");
  const failed = await deploy({ parallel: true, skipTests: true });
  rmSync(mig);
  const last = await engine.call('deploy.get', { path: dir, last: 1 });
  const d = last.result.items[0];
  const rb = d.Steps.find((s) => s.Name === 'Rollback');
  const m = (xs) => (median(xs) / 1000).toFixed(2);
  console.log(`deploy bench (demo stack, ${rounds} rounds, medians)`);
  console.log(`  plain script, same commands in order     ${m(plain)} s`);
  console.log(`  deploy.run sequential builds              ${m(seq)} s   ratio ${(median(seq) / median(plain)).toFixed(2)}x the plain script`);
  console.log(`    steps of the sequential deploy: ${Object.entries(steps).map(([n, xs]) => `${n} ${m(xs)}`).join(', ')} (s)`);
  console.log(`  deploy.run parallel builds                ${m(par)} s   ratio ${(median(par) / median(seq)).toFixed(2)}x sequential`);
  console.log(`  failed deploy (health) incl. rollback     ${(failed.ms / 1000).toFixed(2)} s; status ${d.Status}; rollback step ${rb ? seconds(rb.Duration).toFixed(2) : '?'} s`);
  console.log(`  engine peak memory (VmHWM)                ${peakMb(engine.child.pid).toFixed(0)} MB (target <= 200 MB)`);
} finally {
  await engine.close();
  spawnSync(process.execPath, [join(root, 'node_modules', 'pm2', 'bin', 'pm2'), 'kill'], { env: { ...env, PM2_HOME: join(dir, '.pm2') }, stdio: 'ignore' });
  db.stop();
  rmSync(dir, { recursive: true, force: true });
}
