/**
 * The service part of a blue/green switch with the REAL nssm64.exe 2.24 under Wine, driven by the engine's own code:
 * a ProjectConfig (DEPLOY_STRATEGY=BlueGreen, SERVICE_MANAGER=nssm, the WOOSOO_NSSM_LAUNCHER=wine seam), its colour
 * views from core/releases (slotConfig), the release folder from makeAppRelease, and installServices / startServices /
 * stopServices from core/services, which build the backend service's definition from the configuration.
 *
 * Real: nssm64.exe, Wine's service manager, the Windows node.exe supervised by NSSM, its TCP ports, the pollers
 * (bench/lib/poller.mjs). Stand-ins: PHP_PATH is the Windows node.exe and the project's backend/artisan is a JavaScript
 * stand-in for Laravel's (NSSM under Wine supervises Windows programs only): `artisan serve --port=N` answers 200 with
 * the release.txt of its folder, read once at start-up ("blue v1", "green v2"); with no release.txt it exits 3.
 * FAKE: the "switch" is a node:http proxy in this test process standing in for nginx's graceful reload (nginx for
 * Windows cannot run here): each request goes to the upstream chosen when it arrives, and switching is one assignment.
 *
 * Not provable here: Windows refuses to stop a service that a running one depends on (ERROR_DEPENDENT_SERVICES_RUNNING),
 * but Wine's service manager keeps no dependencies (nssm accepts DependOnService; `nssm get` shows nothing and the
 * dependent service's dependency stops freely). That nginx does not depend on a colour's services under blue/green is
 * checked on the definitions instead (the last describe, which needs no Wine).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPoller, type Summary } from '../../bench/lib/poller.mjs';
import { readProject, type ProjectConfig } from '../../core/config';
import { makeAppRelease, releaseDirs, slotConfig } from '../../core/releases';
import { installServices, startServices, stackDefinitions, stopServices } from '../../core/services';
import { freePort, portOpen } from '../harness/ports';
import { shortTmp } from '../harness/tools';
import { startWine, type Wine } from '../harness/wine';
import { describeWineNode, WINE_NODE_EXE } from '../harness/wine-node';
import { makeCtx, writeProject } from './support';


const ARTISAN = `// A stand-in for Laravel's artisan, run by node.exe under NSSM (tests/services/nssm-bluegreen.test.ts).
const fs = require('fs');
const http = require('http');
const port = Number((process.argv.find((a) => a.startsWith('--port=')) || '--port=0').slice(7));
let release;
try { release = fs.readFileSync('release.txt', 'utf8').trim(); } catch { console.error('stand-in: no release.txt in ' + process.cwd()); process.exit(3); }
if (process.argv[2] === 'serve') {
  http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(release + '\\n'); })
    .listen(port, '127.0.0.1', () => console.log(release + ' listening on ' + port));
} else setInterval(() => {}, 60000);
`;
const R1 = '20261203-030000-a1b1'; // the good release (green)
const R2 = '20261203-040000-b2c2'; // the broken release (blue, the failed deploy)

/**
 * FAKE nginx: forwards each request to the upstream chosen when it arrives; switchTo() is atomic (one assignment), as a
 * graceful reload is for new requests while the old workers finish theirs. Counts requests per upstream, in flight too.
 */
function startSwitch(first: number) {
  let upstream = first;
  const served = new Map<number, number>();
  const inFlight = new Map<number, number>();
  const add = (m: Map<number, number>, k: number, d: number) => m.set(k, (m.get(k) ?? 0) + d);
  const server = http.createServer((req, res) => {
    const port = upstream;
    // Counted as routed, not as answered: a request sent to blue just before the switch may be answered after it.
    add(served, port, 1);
    add(inFlight, port, 1);
    res.once('close', () => add(inFlight, port, -1));
    const up = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent: false }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(`fake nginx: upstream ${port}: ${e.message}\n`);
    });
    req.pipe(up);
  });
  const listening = new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as { port: number }).port)));
  return {
    listening,
    switchTo: (port: number) => void (upstream = port),
    served: (port: number) => served.get(port) ?? 0,
    inFlight: (port: number) => inFlight.get(port) ?? 0,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const get = (port: number) => new Promise<string>((ok, fail) => {
  http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d)).on('end', () => ok(`${res.statusCode} ${body.trim()}`));
  }).on('error', fail);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const polled: Record<string, string> = {};
const expectClean = (s: Summary, what: string) => {
  polled[what] = `${s.requests} requests, ${s.failed} failed`;
  expect(s.requests, what).toBeGreaterThan(20);
  expect(s.failed, `${what}: ${JSON.stringify(s.reasons)}`).toBe(0);
};

describeWineNode('blue/green services with the real nssm64.exe under Wine (node.exe stand-ins, a fake nginx switch)', { timeout: 240_000 }, () => {
  let wine: Wine;
  let dir: string;
  let cfg: ProjectConfig;
  let ports: { blue: number; green: number };
  let proxy: ReturnType<typeof startSwitch> | undefined;
  const ctx = () => makeCtx({ ...wine.env, WOOSOO_NSSM_LAUNCHER: 'wine' }, dir);
  const ms: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      ms[name] = Date.now() - t;
    }
  };
  /** `nssm status` as NSSM itself says it (not through the engine). */
  const nssmStatus = async (name: string) => (await wine.run(['status', name], { timeoutMs: 90_000 })).stdoutText.trim();
  const app = () => join(dir, 'backend');
  const makeRelease = (id: string, live: string) => makeAppRelease({
    app: 'backend', source: app(), live, dest: releaseDirs(cfg, id).backend, build: true, signal: new AbortController().signal,
  });

  beforeAll(async () => {
    ms.wineSetup = Date.now();
    wine = await startWine();
    // node.exe 20 refuses Wine's default Windows 7; the Windows tier's prefix is Windows 10 too.
    expect((await wine.wine(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'])).exitCode).toBe(0);
    ms.wineSetup = Date.now() - ms.wineSetup;
    dir = mkdtempSync(join(shortTmp(), 'wsbg-'));
    mkdirSync(join(dir, 'backend', 'storage', 'logs'), { recursive: true });
    writeFileSync(join(dir, 'backend', 'artisan'), ARTISAN);
    writeFileSync(join(dir, 'backend', 'release.txt'), 'blue v1\n');
    ports = { blue: await freePort(), green: await freePort() };
    writeProject(dir, {
      DEPLOY_STRATEGY: 'BlueGreen', SERVICE_MANAGER: 'nssm', NSSM_PATH: wine.nssm224, PHP_PATH: WINE_NODE_EXE, SERVICE_PREFIX: 'wsbg',
      SERVICE_DB_NAME: '', BACKEND_PATH: 'backend', PWA_PATH: 'backend', BACKEND_PORT: String(ports.blue), BACKEND_GREEN_PORT: String(ports.green),
      REVERB_PORT: String(await freePort()), REVERB_GREEN_PORT: String(await freePort()),
      SERVICE_THROTTLE_MS: '1500', SERVICE_START_TIMEOUT_SECONDS: '30', SERVICE_STOP_TIMEOUT_SECONDS: '60', LOG_ROTATE_BYTES: '0',
    });
    cfg = readProject(dir, { env: { ...wine.env, WOOSOO_NSSM_LAUNCHER: 'wine' }, cwd: dir });
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    console.info(`[nssm-bluegreen] ms: ${JSON.stringify(ms)}; pollers: ${JSON.stringify(polled)}`);
    await wine?.stop(); // wineserver -k: ends nssm and every node.exe of this prefix
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('blue: the engine installs and starts the blue view\'s backend (plain name, BACKEND_PORT, the app folder)', async () => {
    const blue = slotConfig(cfg, { colour: 'blue', releaseId: null });
    const inst = await timed('installBlue', () => installServices(blue, ctx(), ['backend']));
    expect(inst.errors).toEqual([]);
    expect(inst.items.map((i) => [i.name, i.status, i.backend, i.workingDirectory])).toEqual([['wsbg-backend', 'Stopped', 'NSSM', app()]]);
    expect(inst.items[0].arguments).toContain(`--port=${ports.blue}`);
    const started = await timed('startBlue', () => startServices(blue, ctx(), ['backend']));
    expect(started.errors).toEqual([]);
    expect(started.items[0].status).toBe('Running');
    expect(await get(ports.blue)).toBe('200 blue v1');
  });

  it('green: a release installed and started beside blue on BACKEND_GREEN_PORT, while a poller on blue counts 0 failed', async () => {
    const poller = startPoller({ url: `http://127.0.0.1:${ports.blue}/`, intervalMs: 50 });
    await sleep(500);
    // The new checkout, made into a release folder by the engine (storage/ linked, code copied).
    writeFileSync(join(app(), 'release.txt'), 'green v2\n');
    const made = await makeRelease(R1, app());
    expect(made.shared).toEqual(['storage']);
    const green = slotConfig(cfg, { colour: 'green', releaseId: R1 });
    const inst = await timed('installGreen', () => installServices(green, ctx(), ['backend']));
    expect(inst.errors).toEqual([]);
    expect(inst.items.map((i) => [i.name, i.workingDirectory])).toEqual([['wsbg-backend-green', releaseDirs(cfg, R1).backend]]);
    const started = await timed('startGreen', () => startServices(green, ctx(), ['backend']));
    expect(started.errors).toEqual([]);
    expect(started.items[0].status).toBe('Running');
    await sleep(500);
    const s = await poller.stop();
    expectClean(s, 'blue while green was installed and started');
    expect(await get(ports.green)).toBe('200 green v2');
    expect(await get(ports.blue)).toBe('200 blue v1'); // blue read its release.txt at start-up: still the old code
    expect(await nssmStatus('wsbg-backend')).toBe('SERVICE_RUNNING');
    expect(await nssmStatus('wsbg-backend-green')).toBe('SERVICE_RUNNING');
    // The service manager refuses a display name another service has (ERROR_DUPLICATE_SERVICE_NAME): green has its own.
    const shown = async (name: string) => (await wine.run(['get', name, 'DisplayName'], { timeoutMs: 90_000 })).stdoutText.trim();
    expect([await shown('wsbg-backend'), await shown('wsbg-backend-green')]).toEqual(['Woosoo HTTP backend', 'Woosoo HTTP backend (green)']);
  });

  it('the switch (fake nginx) moves new requests to green, then blue is stopped: 0 failed through it, green Running', async () => {
    proxy = startSwitch(ports.blue);
    const front = await proxy.listening;
    const poller = startPoller({ url: `http://127.0.0.1:${front}/`, intervalMs: 50 });
    await sleep(1000);
    expect(await get(front)).toBe('200 blue v1');
    proxy.switchTo(ports.green);
    const blueServed = proxy.served(ports.blue);
    expect(await get(front)).toBe('200 green v2');
    // The deploy stops the old colour after the health checks through nginx: by then nothing is in flight to it.
    for (let i = 0; i < 100 && proxy.inFlight(ports.blue) > 0; i++) await sleep(20);
    expect(proxy.inFlight(ports.blue)).toBe(0);
    const blue = slotConfig(cfg, { colour: 'blue', releaseId: null });
    const stopped = await timed('stopBlue', () => stopServices(blue, ctx(), ['backend']));
    expect(stopped.errors).toEqual([]);
    expect(stopped.items.map((i) => [i.name, i.status, i.processId])).toEqual([['wsbg-backend', 'Stopped', null]]);
    await sleep(1000);
    const s = await poller.stop();
    expectClean(s, 'through the switch and the stop of blue');
    expect(blueServed).toBeGreaterThan(5);
    expect(proxy.served(ports.blue)).toBe(blueServed); // nothing reached blue after the switch
    expect(proxy.served(ports.green)).toBeGreaterThan(10);
    expect(await portOpen(ports.blue)).toBe(false);
    expect(await nssmStatus('wsbg-backend')).toBe('SERVICE_STOPPED');
    expect(await nssmStatus('wsbg-backend-green')).toBe('SERVICE_RUNNING');
  });

  it('a failed deploy: a broken release on the idle blue colour crash-loops and is stopped; 0 failed through the switch', async () => {
    const poller = startPoller({ url: `http://127.0.0.1:${await proxy!.listening}/`, intervalMs: 50 });
    // The broken checkout (release.txt gone): the release is made from it, the live green release's deps carried over.
    unlinkSync(join(app(), 'release.txt'));
    await makeRelease(R2, releaseDirs(cfg, R1).backend);
    expect(existsSync(join(releaseDirs(cfg, R2).backend, 'release.txt'))).toBe(false);
    const next = slotConfig(cfg, { colour: 'blue', releaseId: R2 });
    // As the deploy's StartRelease: the idle colour's services are stopped before they are pointed at the release.
    expect((await stopServices(next, ctx(), ['backend'])).errors).toEqual([]);
    const inst = await timed('installBroken', () => installServices(next, ctx(), ['backend']));
    expect(inst.errors).toEqual([]);
    expect(inst.items.map((i) => [i.name, i.workingDirectory])).toEqual([['wsbg-backend', releaseDirs(cfg, R2).backend]]);
    const started = await timed('startBroken', () => startServices(next, ctx(), ['backend']));
    expect(started.items).toEqual([]);
    expect(started.errors.map((e) => e.data.errorId)).toEqual(['ServiceCrashLoop']);
    expect(started.errors[0].message).toContain('stand-in: no release.txt');
    // The rollback: the new colour is stopped; the switch was never made.
    const stopped = await timed('stopBroken', () => stopServices(next, ctx(), ['backend']));
    expect(stopped.errors).toEqual([]);
    expect(stopped.items.map((i) => i.status)).toEqual(['Stopped']);
    const s = await poller.stop();
    expectClean(s, 'through the failed deploy');
    expect(await get(await proxy!.listening)).toBe('200 green v2');
    expect(await nssmStatus('wsbg-backend')).toBe('SERVICE_STOPPED');
    expect(await nssmStatus('wsbg-backend-green')).toBe('SERVICE_RUNNING');
    expect(readFileSync(join(dir, 'logs', 'wsbg-backend-green', 'output.log'), 'utf8')).toContain(`green v2 listening on ${ports.green}`);
  });
});

describe('nginx and the colours in the service definitions (why the old colour can be stopped under NSSM)', () => {
  const tmp = mkdtempSync(join(shortTmp(), 'wsbgdef-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const load = (name: string, strategy: string) => {
    const d = writeProject(join(tmp, name), { DEPLOY_STRATEGY: strategy, SERVICE_PREFIX: 'acme', SERVICE_DB_NAME: 'MariaDB', BACKEND_PATH: 'backend' });
    return readProject(d, { env: process.env as Record<string, string>, cwd: d });
  };
  const deps = (c: ProjectConfig) => Object.fromEntries(stackDefinitions(c, process.env as Record<string, string>).map((d) => [d.name, d.dependsOn]));

  it('BlueGreen: nginx (no colour) depends on no colour\'s service, in the loaded config and in both colour views', () => {
    const cfg = load('bg', 'BlueGreen');
    const blue = slotConfig(cfg, { colour: 'blue', releaseId: null });
    const green = slotConfig(cfg, { colour: 'green', releaseId: R1 });
    expect(deps(cfg)['acme-nginx']).toEqual(['MariaDB']);
    expect(deps(blue)['acme-nginx']).toEqual(['MariaDB']);
    expect(deps(green)).toEqual({
      'acme-queue-worker-green': ['MariaDB'], 'acme-backend-green': ['MariaDB'], 'acme-reverb-green': ['MariaDB'], 'acme-nginx': ['MariaDB'],
    });
    // Installed side by side, the colours need distinct display names (Windows refuses a duplicate one).
    const shown = (c: ProjectConfig) => stackDefinitions(c, process.env as Record<string, string>).map((d) => d.displayName);
    expect(shown(blue)).toEqual(['Woosoo queue worker', 'Woosoo HTTP backend', 'Woosoo Reverb websockets', 'Woosoo nginx']);
    expect(shown(green)).toEqual(['Woosoo queue worker (green)', 'Woosoo HTTP backend (green)', 'Woosoo Reverb websockets (green)', 'Woosoo nginx']);
  });

  it('InPlace: nginx depends on the backend and Reverb, as before blue/green deploys', () => {
    expect(deps(load('ip', 'InPlace'))['acme-nginx']).toEqual(['acme-backend', 'acme-reverb']);
  });
});
