// Builds benchmark: the demo's backend (composer + 5 artisan commands + app:selftest against a private MariaDB) and
// PWA (npm ci, npm run build, npm test) built through the real engine (build.run over the wire), against a plain
// script that runs the same commands in the same order with their output to a log file, in the same run, on the same
// tree. Rounds are interleaved (plain, sequential, parallel, plain, ...) and the medians compared.
//
//   node bench/build.mjs [--rounds 5]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';

const rounds = process.argv.includes('--rounds') ? Number(process.argv[process.argv.indexOf('--rounds') + 1]) : 5;
const which = (n) => spawnSync('sh', ['-c', `command -v ${n} || ls /usr/sbin/${n} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
for (const tool of ['php', 'composer', 'npm', 'mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb']) {
  if (!which(tool)) {
    console.log(`build benchmark skipped: ${tool} is not installed (bash scripts/setup.sh)`);
    process.exit(0);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (file, args) => {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

// ── a private MariaDB (the recipe of tests/harness/mariadb.ts) ──────────────────────────────────────────────
const work = mkdtempSync(join(tmpdir(), 'wsbb-'));
const dbDir = join(work, 'db');
const sock = join(dbDir, 'sock');
const port = 30000 + Math.floor(Math.random() * 20000);
const password = 'bench-Build-Pw-1';
sh(which('mariadb-install-db'), ['--no-defaults', '--user=root', `--datadir=${dbDir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db']);
const logFd = openSync(join(work, 'db.log'), 'a');
const server = spawn(which('mariadbd'), ['--no-defaults', '--user=root', `--datadir=${dbDir}/data`, `--socket=${sock}`, `--pid-file=${dbDir}/pid`,
  `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', '--innodb-buffer-pool-size=32M', '--performance-schema=OFF', '--skip-log-bin'],
{ stdio: ['ignore', logFd, logFd] });
closeSync(logFd);
process.on('exit', () => { try { server.kill('SIGKILL'); } catch { /* gone */ } });
for (let i = 0; i < 200 && spawnSync(which('mariadb-admin'), ['--no-defaults', `--socket=${sock}`, '-uroot', 'ping']).status !== 0; i++) await sleep(100);
sh(which('mariadb'), ['--no-defaults', `--socket=${sock}`, '-uroot', '-e',
  `CREATE DATABASE woosoo; CREATE USER 'woosoo'@'%' IDENTIFIED BY '${password}'; GRANT ALL ON woosoo.* TO 'woosoo'@'%';`]);

// ── a copy of the demo project (as tests/build/fixture.ts makes it) ─────────────────────────────────────────
const demoApps = join(root, 'examples', 'demo', 'apps');
const generated = (rel) => {
  const p = rel.split(sep).join('/');
  return /^(woosoo-nexus\/vendor|tablet-ordering-pwa\/node_modules|tablet-ordering-pwa\/\.output)(\/|$)/.test(p) || /(^|\/)\.env$/.test(p)
    || /^woosoo-nexus\/bootstrap\/cache\/.+\.php$/.test(p);
};
const project = join(work, 'project');
cpSync(demoApps, join(project, 'apps'), { recursive: true, filter: (src) => !generated(relative(demoApps, src)) });
const backend = join(project, 'apps', 'woosoo-nexus');
const pwa = join(project, 'apps', 'tablet-ordering-pwa');
writeFileSync(join(project, 'deployment.config.env'), ['ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'HTTP_PORT=8088', 'BACKEND_PORT=8001',
  'REVERB_PORT=8081', 'DB_HOST=127.0.0.1', `DB_PORT=${port}`, 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', `DB_PASSWORD='${password}'`,
  'REVERB_APP_KEY=bench-reverb-key', 'REVERB_APP_SECRET=bench-reverb-secret', ''].join('\n'));
writeFileSync(join(backend, '.env'), ['APP_ENV=production', 'APP_KEY=base64:YnVpbGQtdGVzdC1hcHAta2V5LTMyLWJ5dGVzLWxvbmc=', 'APP_DEBUG=false',
  'LOG_CHANNEL=single', 'DB_CONNECTION=mysql', 'DB_HOST=127.0.0.1', `DB_PORT=${port}`, 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo',
  `DB_PASSWORD="${password}"`, 'QUEUE_CONNECTION=database', ''].join('\n'));
writeFileSync(join(pwa, '.env'), ['NUXT_PUBLIC_API_BASE=http://127.0.0.1:8088/api', 'NUXT_PUBLIC_REVERB_HOST=127.0.0.1',
  'NUXT_PUBLIC_REVERB_PORT=8081', 'NUXT_PUBLIC_REVERB_KEY=bench-reverb-key', ''].join('\n'));

// ── the plain script: the same commands, in the same order, output appended to a log ───────────────────────
const plan = [
  [backend, [['composer', 'install', '--no-dev', '--optimize-autoloader', '--no-interaction'], ['php', 'artisan', 'migrate', '--force'],
    ['php', 'artisan', 'config:cache'], ['php', 'artisan', 'route:cache'], ['php', 'artisan', 'view:cache'], ['php', 'artisan', 'app:selftest']]],
  [pwa, [['npm', 'ci'], ['npm', 'run', 'build'], ['npm', 'test']]],
];
// Each variant returns its wall time and the time outside the commands themselves (wall − Σ command times): the
// orchestration overhead, which the load of a shared machine disturbs far less than the tools' own run times.
const plain = () => {
  const t0 = performance.now();
  let inCommands = 0;
  for (const [cwd, cmds] of plan) {
    const fd = openSync(join(work, 'plain.log'), 'w');
    for (const [file, ...args] of cmds) {
      const c0 = performance.now();
      const r = spawnSync(file, args, { cwd, stdio: ['ignore', fd, fd] });
      inCommands += performance.now() - c0;
      if (r.status !== 0) throw new Error(`plain: ${file} ${args.join(' ')} exited ${r.status}`);
    }
    closeSync(fd);
  }
  const wall = (performance.now() - t0) / 1000;
  return { wall, overhead: wall - inCommands / 1000 };
};
/** Σ of the command times the engine wrote to the build logs ("# exit code 0 after 1.23 s"). */
const loggedCommandSeconds = (items) => items.reduce((sum, i) => sum
  + [...readFileSync(i.LogPath, 'utf8').matchAll(/^# exit code \S+ after ([\d.]+) s$/gm)].reduce((a, m) => a + Number(m[1]), 0), 0);

const engine = startEngine();
await engine.call('initialize', { protocolVersion: '1.0', client: { name: 'bench', version: '0' } });
const woosoo = async (parallel) => {
  const t0 = performance.now();
  const r = await engine.call('build.run', { path: project, apps: ['backend', 'pwa'], parallel });
  const wall = (performance.now() - t0) / 1000;
  const bad = r.error ? r.error.message : (r.result.items ?? []).filter((i) => i.Status !== 'Succeeded').map((i) => i.Message).join('\n');
  if (bad) throw new Error(`build.run failed: ${bad}`);
  return { wall, overhead: parallel ? NaN : wall - loggedCommandSeconds(r.result.items) };
};

try {
  plain(); // warm-up: first composer install, first migration, npm cache
  await woosoo(false);
  const t = { plain: [], seq: [], par: [] };
  for (let i = 0; i < rounds; i++) {
    t.plain.push(plain());
    t.seq.push(await woosoo(false));
    t.par.push(await woosoo(true));
  }
  const w = (xs) => median(xs.map((x) => x.wall));
  const [p, s, q] = [w(t.plain), w(t.seq), w(t.par)];
  const f = (x) => `${x.toFixed(2)} s`;
  console.log(`Builds of the demo (backend + PWA, with tests), median of ${rounds} interleaved rounds:`);
  console.log(`  plain script, sequential       ${f(p)}   (baseline)`);
  console.log(`  build.run, sequential          ${f(s)}   ${(s / p).toFixed(3)}× the baseline (target ≤ 1.05×)`);
  console.log(`  build.run, parallel            ${f(q)}   ${(q / p).toFixed(3)}× the baseline; ${(s / q).toFixed(2)}× faster than sequential`);
  // Paired ratios (each round against the plain run just before it) resist the load drift of a shared machine.
  const paired = (xs) => median(xs.map((x, i) => x.wall / t.plain[i].wall));
  console.log(`  paired per-round ratios (median): sequential ${paired(t.seq).toFixed(3)}×, parallel ${paired(t.par).toFixed(3)}×`);
  const ms = (x) => `${(x * 1000).toFixed(0)} ms`;
  console.log(`  time outside the 9 commands (median): plain script ${ms(median(t.plain.map((x) => x.overhead)))}, build.run sequential ${ms(median(t.seq.map((x) => x.overhead)))}`
    + ` (includes the RPC call, loading and validating the configuration, the plan, the logs)`);
  const all = (xs) => xs.map((x) => f(x.wall)).join(', ');
  console.log(`  all rounds: plain ${all(t.plain)}; seq ${all(t.seq)}; par ${all(t.par)}`);
} finally {
  await engine.close();
  spawnSync(which('mariadb-admin'), ['--no-defaults', `--socket=${sock}`, '-uroot', 'shutdown']);
  rmSync(work, { recursive: true, force: true });
}
