// Configuration sync benchmark. Ratios are against baselines measured in the same run:
//  (1) config.sync -WhatIf of the three built-in targets over the real wire, against its floor: one `nginx -t` of
//      the same rendered file run directly plus one engine.ping round trip;
//  (2) the same without the nginx target (render + merge + diff only), against config.test (load + validate);
//  (3) a second real sync (everything Unchanged: read, render, compare, nginx -t, no write);
//  (4) merge + unified diff of a large .env (20,000 lines, 1% of them managed and changed) inside the engine's
//      code, against GNU `diff -u` of the same two files.
//
//   node bench/sync.mjs [--runs 30]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineJs = join(root, 'bin', 'woosoo-engine.cjs');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(2)} ms`;

function startEngine() {
  const child = spawn(process.execPath, [engineJs], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  createInterface({ input: child.stdout }).on('line', (l) => {
    const m = JSON.parse(l);
    if (waiting.has(m.id)) waiting.get(m.id)(m);
  });
  let id = 0;
  const call = (method, params = {}) => new Promise((res, rej) => {
    const n = ++id;
    waiting.set(n, (m) => (m.error ? rej(new Error(`${method}: ${m.error.message}`)) : res(m.result)));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method, params })}\n`);
  });
  return { child, call };
}

async function timed(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

// A project like the demo's, with an existing backend .env that carries unmanaged keys.
const project = mkdtempSync(join(tmpdir(), 'woosoo-bench-sync-'));
for (const d of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(project, d), { recursive: true });
writeFileSync(join(project, 'deployment.config.env'), [
  'ENVIRONMENT=production', "APP_NAME='Woosoo Bench'", 'APP_IP=127.0.0.1', 'HTTP_PORT=8088', 'BACKEND_PORT=8001', 'REVERB_PORT=8081',
  'DB_HOST=127.0.0.1', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', "DB_PASSWORD='bench-Pa55 #1'",
  'REVERB_APP_KEY=bench-key-0001', 'REVERB_APP_SECRET=bench-secret-0001', '',
].join('\n'));
writeFileSync(join(project, 'apps/woosoo-nexus/.env'), 'APP_KEY=base64:benchbenchbench=\nAPP_DEBUG=true\nLOG_LEVEL=debug\n');

const hasNginx = spawnSync('sh', ['-c', 'command -v nginx || test -x /usr/sbin/nginx'], { encoding: 'utf8' }).status === 0;
const nginxBin = hasNginx ? (spawnSync('sh', ['-c', 'command -v nginx || echo /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim()) : '';

try {
  const e = startEngine();
  await e.call('initialize', { protocolVersion: '1.0' });
  const plan = () => e.call('config.sync', { path: project, whatIf: true });
  await plan(); // warm-up (loads handlebars)
  const ping = await timed(runs, () => e.call('engine.ping'));

  // (1) against nginx -t of the same file + ping
  const whatIf = await timed(runs, plan);
  let floor = ping;
  let nginxT = 0;
  if (hasNginx) {
    await e.call('config.sync', { path: project, apps: ['nginx'] });
    const prefix = mkdtempSync(join(tmpdir(), 'woosoo-bench-ngx-'));
    for (const d of ['conf', 'logs', 'temp']) mkdirSync(join(prefix, d));
    writeFileSync(join(prefix, 'conf', 'nginx.conf'), readFileSync(join(project, 'configs', 'nginx.conf')));
    nginxT = await timed(runs, () => spawnSync(nginxBin, ['-t', '-q', '-e', 'stderr', '-p', `${prefix}/`, '-c', join(prefix, 'conf', 'nginx.conf')]));
    rmSync(prefix, { recursive: true, force: true });
    floor = nginxT + ping;
    console.log(`(1) config.sync -WhatIf, 3 targets, median of ${runs}: ${ms(whatIf)}; floor = nginx -t ${ms(nginxT)} + ping ${ms(ping)} = ${ms(floor)}; ratio ${(whatIf / floor).toFixed(2)}x`);
  } else {
    console.log(`(1) config.sync -WhatIf, 3 targets: ${ms(whatIf)} (nginx not installed: not checked, no nginx -t baseline)`);
  }

  // (2) the two .env targets only
  const envOnly = await timed(runs, () => e.call('config.sync', { path: project, apps: ['backend', 'pwa'], whatIf: true }));
  const validate = await timed(runs, () => e.call('config.test', { path: project, quiet: true }));
  console.log(`(2) config.sync -WhatIf, the two .env targets: ${ms(envOnly)}; config.test (load + validate, which sync does first) ${ms(validate)}; sync adds ${ms(envOnly - validate)} (ratio ${(envOnly / validate).toFixed(2)}x)`);

  // (3) a real sync when everything is already in place
  await e.call('config.sync', { path: project });
  const unchanged = await timed(runs, () => e.call('config.sync', { path: project }));
  console.log(`(3) config.sync, all Unchanged (no backup, no write): ${ms(unchanged)}; ratio to (1)'s floor ${(unchanged / floor).toFixed(2)}x`);
  e.child.stdin.end();

  // (4) merge + diff of a large .env inside the engine's code vs GNU diff -u
  const out = join(project, 'bench-lib.cjs');
  await build({
    stdin: { contents: "export { mergeDotenv, splitLines } from './core/sync/envmerge'; export { unifiedDiff } from './core/sync/diff';", resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error',
  });
  const lib = createRequire(import.meta.url)(out);
  const lines = Array.from({ length: 20_000 }, (_, i) => (i % 10 === 0 ? `# section ${i}` : `KEY_${i}=value-${i}`));
  const oldText = `${lines.join('\n')}\n`;
  const rendered = Array.from({ length: 200 }, (_, i) => `KEY_${i * 97 + 1}=changed-${i}`).join('\n');
  const merged = lib.mergeDotenv(oldText, rendered).text;
  const oldFile = join(project, 'old.env');
  const newFile = join(project, 'new.env');
  writeFileSync(oldFile, oldText);
  writeFileSync(newFile, merged);
  const ours = await timed(Math.max(5, Math.floor(runs / 3)), () => {
    const m = lib.mergeDotenv(oldText, rendered).text;
    return lib.unifiedDiff(lib.splitLines(oldText), lib.splitLines(m), { fromFile: 'a', toFile: 'b' });
  });
  const gnu = await timed(Math.max(5, Math.floor(runs / 3)), () => spawnSync('diff', ['-u', oldFile, newFile]));
  const d = lib.unifiedDiff(lib.splitLines(oldText), lib.splitLines(merged), { fromFile: 'a', toFile: 'b' });
  console.log(`(4) merge + unified diff, 20,000-line .env, ${d.added} lines changed: ${ms(ours)}; GNU diff -u (spawn included) ${ms(gnu)}; ratio ${(ours / gnu).toFixed(2)}x`);
} finally {
  rmSync(project, { recursive: true, force: true });
}
