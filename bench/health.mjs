// Health benchmark: Get-WoosooHealth's wall time (every check in parallel) against the slowest single check, both
// measured over the wire with the real engine in the same run (target: all ≤ 1.2× the slowest). Real servers on
// 127.0.0.1: a node HTTP server as nginx, one as the backend answering after 150 ms (the designed slowest check),
// a `ws` WebSocket server as Reverb; the database port is closed (the real mariadb client runs and is refused); the
// services are queried with the real PM2 of node_modules (none installed; its daemon is killed at the end).
//
//   npm run build && node bench/health.mjs [--rounds 15] [--no-pm2]
// --no-pm2: no service manager (the services check answers Unknown at once), so the 150 ms backend is the slowest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { median, root, startEngine } from './lib/engine.mjs';

const noPm2 = process.argv.includes('--no-pm2');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;
const ms = (x) => `${x.toFixed(1)} ms`;

const listen = (server) => new Promise((res) => server.listen(0, '127.0.0.1', () => res(server.address().port)));
const freePort = async () => {
  const s = createTcp();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};
const body = JSON.stringify({ status: 'ok', db: true, queue: { pending: 0, failed: 0 } });
const nginx = createServer((_q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
const backend = createServer((_q, r) => setTimeout(() => r.writeHead(200, { 'Content-Type': 'application/json' }).end(body), 150));
const wsHttp = createServer((_q, r) => r.writeHead(426).end());
const wss = new WebSocketServer({ server: wsHttp });
wss.on('connection', (ws) => ws.on('error', () => {}));
const [httpPort, backendPort, reverbPort, dbPort] = [await listen(nginx), await listen(backend), await listen(wsHttp), await freePort()];

const pm2 = join(root, 'node_modules', 'pm2', 'bin', 'pm2');
const dir = mkdtempSync(join(tmpdir(), 'wsbench-health-'));
writeFileSync(join(dir, 'deployment.config.env'), [
  'ENVIRONMENT=production', 'APP_IP=127.0.0.1', `HTTP_PORT=${httpPort}`, `BACKEND_PORT=${backendPort}`, `REVERB_PORT=${reverbPort}`,
  'DB_HOST=127.0.0.1', `DB_PORT=${dbPort}`, 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', 'DB_PASSWORD=bench-Passw0rd',
  'REVERB_APP_KEY=bench-reverb-key', 'REVERB_APP_SECRET=bench-reverb-secret', 'HEALTH_TIMEOUT_SECONDS=5',
  ...(noPm2 ? ['SERVICE_MANAGER=nssm', 'NSSM_PATH=no-such-folder/nssm.exe'] : ['SERVICE_MANAGER=pm2', `PM2_PATH=${pm2}`]), '',
].join('\n'));

const engine = startEngine();
const { call } = engine;
const timed = async (params) => {
  const t0 = performance.now();
  const r = await call('health.get', { path: dir, ...params });
  if (r.error) throw new Error(r.error.message);
  return { ms: performance.now() - t0, items: r.result.items };
};

await call('initialize', { protocolVersion: '1.0' });
const first = await timed({}); // warm-up (also primes the CPU sampler)
// One name per check (the database check also gives the queue counts; the services check gives one per service).
const names = [...new Set(first.items.map((c) => (c.Name.startsWith('Service ') ? 'Service *' : c.Name)).filter((n) => !n.startsWith('Queue ')))];

const all = [];
for (let i = 0; i < rounds; i++) all.push((await timed({})).ms);
const single = {};
for (const name of names) {
  const xs = [];
  for (let i = 0; i < rounds; i++) xs.push((await timed({ names: [name] })).ms);
  single[name] = median(xs);
}
const ping = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  await call('engine.ping');
  ping.push(performance.now() - t0);
}
const [slowName, slowMs] = Object.entries(single).sort((a, b) => b[1] - a[1])[0];
const sum = Object.values(single).reduce((a, b) => a + b, 0);
const wall = median(all);

console.log(`health: ${names.length} checks (${first.items.length} results), ${rounds} rounds each, medians over the wire`);
for (const [n, t] of Object.entries(single).sort((a, b) => b[1] - a[1])) console.log(`  ${n.padEnd(20)} ${ms(t)}`);
console.log(`  engine.ping (wire floor) ${ms(median(ping))}`);
console.log(`all checks in parallel: ${ms(wall)}; slowest single check (${slowName}): ${ms(slowMs)}; ratio ${(wall / slowMs).toFixed(2)}x (target <= 1.2x)`);
console.log(`the same checks one after another would take ${ms(sum)}: parallel is ${(sum / wall).toFixed(1)}x faster`);

await engine.close();
for (const c of wss.clients) c.terminate();
wss.close();
for (const s of [nginx, backend, wsHttp]) {
  s.closeAllConnections();
  s.close();
}
spawnSync(process.execPath, [pm2, 'kill'], { env: { ...process.env, PM2_HOME: join(dir, '.pm2') }, stdio: 'ignore', timeout: 30_000 });
rmSync(dir, { recursive: true, force: true });
