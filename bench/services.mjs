// Services benchmark: Get-WoosooService's engine call (services.get) for the stack's four services, against the
// raw backend queries it issues, run the same way (concurrently) in the same run. Target: ratio <= 1.3x.
//   PM2:  one `pm2 jlist` (with the engine's PM2_HOME) — always run. services.get itself asks the daemon over its
//         RPC socket, so the ratio is far below 1.
//         Then a stop + start cycle (what a deploy's StopServices and StartServices do): services.stop then
//         services.start, which wait until the processes exited / stayed up SERVICE_THROTTLE_MS with their ports
//         open, against a plain script's `pm2 stop` per service (reverse order) then `pm2 start` per service (no wait).
//   NSSM: per service `nssm status` + 7 `nssm get` under Wine with the real nssm64.exe 2.24 — when wine and
//         .cache/nssm exist (bash scripts/setup.sh); the Wine prefix set-up (~12 s) is not timed.
//
// To compare engines in one sitting, run this same file from a clone of an older commit (its bin/ holds that
// engine): both print the same lines.
//
//   node bench/services.mjs [--runs 15] [--cycles 5] [--skip-nssm]
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { median, root, startEngine } from './lib/engine.mjs';

const arg = (name, dflt) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const runs = arg('--runs', 15);
const cycles = arg('--cycles', 5);
const pm2Bin = join(root, 'node_modules', 'pm2', 'bin', 'pm2');
const nssmExe = join(root, '.cache', 'nssm', '2.24', 'nssm64.exe');
const ms = (x) => `${x.toFixed(0)} ms`;

/** Runs a program to its end; resolves with {code, stdout}. stdio of Windows grandchildren is not waited for. */
function exec(file, args, env) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, stdout: out }));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function project(extra) {
  const dir = mkdtempSync('/tmp/wsbench-');
  mkdirSync(join(dir, 'backend'));
  mkdirSync(join(dir, 'configs'));
  mkdirSync(join(dir, 'logs'));
  copyFileSync(join(root, 'tests', 'services', 'fixtures', 'artisan'), join(dir, 'backend', 'artisan'));
  const http = await freePort();
  writeFileSync(join(dir, 'configs', 'nginx.conf'), `pid logs/nginx.pid;\nerror_log logs/nginx-error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log logs/access.log;\n  client_body_temp_path logs/tmp-body;\n  proxy_temp_path logs/tmp-proxy;\n  fastcgi_temp_path logs/tmp-fcgi;\n  uwsgi_temp_path logs/tmp-uwsgi;\n  scgi_temp_path logs/tmp-scgi;\n  server { listen 127.0.0.1:${http}; location / { return 200 "ok\\n"; } }\n}\n`);
  const keys = {
    ENVIRONMENT: 'production', APP_IP: '127.0.0.1', DB_DATABASE: 'woosoo', DB_USERNAME: 'woosoo', DB_PASSWORD: 'bench-Passw0rd-1',
    REVERB_APP_KEY: 'bench-key-1', REVERB_APP_SECRET: 'bench-secret-1', BACKEND_PATH: 'backend', PWA_PATH: 'backend',
    HTTP_PORT: String(http), REVERB_PORT: String(await freePort()), BACKEND_PORT: String(await freePort()), SERVICE_PREFIX: 'wsb', ...extra,
  };
  writeFileSync(join(dir, 'deployment.config.env'), Object.entries(keys).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
  return dir;
}

/** At most `max` of the given async jobs at once (the engine bounds its nssm calls the same way). */
async function bounded(jobs, max) {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: max }, async () => {
    while (queue.length) await queue.shift()();
  }));
}

/** Alternates the measurements so load changes hit all alike; prints medians and ratios against each baseline. */
async function compare(label, engineCall, baselines) {
  const times = { engine: [] };
  for (const name of Object.keys(baselines)) times[name] = [];
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(baselines)) {
      const t = performance.now();
      await fn();
      times[name].push(performance.now() - t);
    }
    const t = performance.now();
    await engineCall();
    times.engine.push(performance.now() - t);
  }
  const engine = median(times.engine);
  const against = Object.keys(baselines).map((name) => `${name} ${ms(median(times[name]))} (ratio ${(engine / median(times[name])).toFixed(2)}x)`);
  console.log(`${label}: services.get ${ms(engine)}; ${against.join('; ')} — median of ${runs}; target <= 1.3x`);
}

const SERVICES = ['wsb-queue-worker', 'wsb-backend', 'wsb-reverb', 'wsb-nginx'];

/** A changer over the wire that must leave every service in `status`. */
async function changeAll(engine, method, dir, status) {
  const r = await engine.call(method, { path: dir });
  const bad = r.error ?? (r.result.errors ?? [])[0] ?? r.result.items.find((i) => i.Status !== status);
  if (bad) throw new Error(`${method}: ${JSON.stringify(bad)}`);
}

/** services.stop + services.start against `pm2 stop` ×4 (reverse order) + `pm2 start` ×4, alternated. */
async function cyclePm2(engine, dir, env) {
  const times = { engine: [], plain: [], stop: [], start: [] };
  for (let i = 0; i < cycles; i++) {
    let t = performance.now();
    for (const s of [...SERVICES].reverse()) await exec(process.execPath, [pm2Bin, 'stop', s], env);
    for (const s of SERVICES) await exec(process.execPath, [pm2Bin, 'start', s], env);
    times.plain.push(performance.now() - t);
    await changeAll(engine, 'services.start', dir, 'Running'); // the plain script does not wait: let them settle
    t = performance.now();
    await changeAll(engine, 'services.stop', dir, 'Stopped');
    const mid = performance.now();
    await changeAll(engine, 'services.start', dir, 'Running');
    times.stop.push(mid - t);
    times.start.push(performance.now() - mid);
    times.engine.push(performance.now() - t);
  }
  const [e, p] = [median(times.engine), median(times.plain)];
  console.log(`PM2 stop + start of 4 services: services.stop ${ms(median(times.stop))} + services.start ${ms(median(times.start))} = ${ms(e)}; `
    + `plain pm2 stop x4 + pm2 start x4 ${ms(p)} (ratio ${(e / p).toFixed(2)}x) — median of ${cycles}; the start waits SERVICE_THROTTLE_MS (1500 ms) of stability`);
}

async function benchPm2() {
  const dir = await project({ SERVICE_MANAGER: 'pm2' });
  const engine = startEngine();
  await engine.call('initialize', { protocolVersion: '1.0' });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PM2_HOME: join(dir, '.pm2'), PM2_DISABLE_VERSION_CHECK: 'true', PM2_SILENT: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
  try {
    await engine.call('services.install', { path: dir });
    const started = await engine.call('services.start', { path: dir });
    const states = (started.result?.items ?? []).map((i) => `${i.Name}=${i.Status}`);
    console.log(`PM2: ${states.join(', ')}${started.result?.errors?.length ? ` (errors: ${started.result.errors.map((x) => x.message).join('; ')})` : ''}`);
    await compare('PM2 (4 running services)', async () => {
      const r = await engine.call('services.get', { path: dir });
      if (r.result?.items?.length !== SERVICES.length) throw new Error(JSON.stringify(r.error ?? r.result));
    }, {
      'raw pm2 jlist': async () => {
        const r = await exec(process.execPath, [pm2Bin, 'jlist'], env);
        JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('[')));
      },
    });
    if (cycles > 0) await cyclePm2(engine, dir, env);
  } finally {
    await engine.call('services.uninstall', { path: dir });
    await engine.close();
    await exec(process.execPath, [pm2Bin, 'kill'], env);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchNssm() {
  const base = mkdtempSync('/tmp/wsbwine-');
  const env = { ...process.env, WINEPREFIX: join(base, 'wp'), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', WOOSOO_NSSM_LAUNCHER: 'wine' };
  delete env.DISPLAY;
  const quiet = (file, args) => new Promise((res) => spawn(file, args, { env, stdio: 'ignore' }).on('close', res));
  // The recipe of shared/notes/nssm-under-wine.md: prefix, headless driver, warm service manager, a keeper process.
  await quiet('wineboot', ['-i']);
  await quiet('wineserver', ['-w']);
  await quiet('wine', ['reg', 'add', 'HKCU\\Software\\Wine\\Drivers', '/v', 'Graphics', '/d', 'null', '/f']);
  await quiet('wineserver', ['-w']);
  await quiet('wineserver', ['-p']);
  await quiet('wine', ['wineboot']);
  const keeper = spawn('wine', ['notepad'], { env, stdio: 'ignore', detached: true });
  const dir = await project({ SERVICE_MANAGER: 'nssm', NSSM_PATH: nssmExe });
  Object.assign(process.env, env); // the engine takes the session environment from its own at start
  const engine = startEngine();
  try {
    await engine.call('initialize', { protocolVersion: '1.0' });
    const inst = await engine.call('services.install', { path: dir });
    if (inst.error || inst.result.errors?.length) throw new Error(JSON.stringify(inst.error ?? inst.result.errors));
    const names = SERVICES;
    const params = ['Application', 'AppParameters', 'AppDirectory', 'AppStdout', 'AppStderr', 'Start', 'DisplayName'];
    await compare('NSSM under Wine (4 installed services, 32 nssm calls)', async () => {
      const r = await engine.call('services.get', { path: dir });
      if (r.result?.items?.length !== SERVICES.length) throw new Error(JSON.stringify(r.error ?? r.result));
    }, {
      // What services.get issues: status first, then the seven values, the services concurrently.
      'raw nssm calls, unbounded': () => Promise.all(names.map(async (n) => {
        await exec('wine', [nssmExe, 'status', n], env);
        await Promise.all(params.map((p) => exec('wine', [nssmExe, 'get', n, p], env)));
      })),
      'raw nssm calls, 6 at a time like the engine': async () => {
        await bounded(names.map((n) => () => exec('wine', [nssmExe, 'status', n], env)), 6);
        await bounded(names.flatMap((n) => params.map((p) => () => exec('wine', [nssmExe, 'get', n, p], env))), 6);
      },
    });
    await engine.call('services.uninstall', { path: dir });
  } finally {
    await engine.close();
    await quiet('wineserver', ['-k']);
    try { process.kill(keeper.pid, 'SIGKILL'); } catch { /* ended with the server */ }
    rmSync(base, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

await benchPm2();
if (process.argv.includes('--skip-nssm')) console.log('NSSM: skipped (--skip-nssm)');
else if (!existsSync(nssmExe)) console.log(`NSSM: skipped — ${nssmExe} is missing (bash scripts/setup.sh)`);
else await benchNssm();
