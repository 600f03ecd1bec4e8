/**
 * The PM2 backend against real PM2 (the pm2 7 CLI of node_modules) with three real long-running processes: a PHP
 * worker loop, a websocket server on `ws`, and nginx as the web server. Crash → restart count, stop/start/restart,
 * logs written, a crash loop reported truthfully, the daemon's clean environment; `pm2 kill` after.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as control from '../../core/services/control';
import type { ServiceSet } from '../../core/services/control';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';
import { rotatedLogs } from '../../core/services/retention';
import { makeNginxPrefix, type NginxPrefix } from '../harness/nginx';
import { pm2BinPath } from '../harness/pm2';
import { freePort } from '../harness/ports';
import { missingTools, pidAlive, shortTmp, skipUnless, waitFor, which } from '../harness/tools';
import { defineService, makeCtx, settings } from './support';

const missing = missingTools('php', 'nginx');

function wsHello(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.once('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe.skipIf(skipUnless(!missing && existsSync(pm2BinPath()), missing ?? 'pm2 not installed (npm ci)'))('PM2 backend (real PM2, php, ws, nginx)', { timeout: 120_000 }, () => {
  let dir: string;
  let ngx: NginxPrefix;
  let backend: Pm2Backend;
  let set: ServiceSet;
  let wsPort: number;
  let webPort: number;
  const env = { ...(process.env as Record<string, string>), WOOSOO_TEST_SECRET: 'must-not-reach-the-apps' };
  const ctx = () => makeCtx(env);
  const byName = (o: control.Outcome, name: string) => o.items.find((i) => i.name === name)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(shortTmp(), 'wspm-'));
    ngx = makeNginxPrefix();
    wsPort = await freePort();
    webPort = await freePort();
    const wsScript = join(dir, 'ws-server.js');
    writeFileSync(wsScript, `const { WebSocketServer } = require(${JSON.stringify(require.resolve('ws'))});
const wss = new WebSocketServer({ host: '127.0.0.1', port: ${wsPort} });
wss.on('connection', (s) => s.send('hello'));
wss.on('listening', () => console.log('ws listening on ${wsPort}'));\n`);
    const conf = ngx.writeConf(`server { listen 127.0.0.1:${webPort}; location / { return 200 "web ok\\n"; } }`);
    backend = new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env });
    set = {
      backend, projectDir: dir, settings: settings({ throttleMs: 1000 }),
      defs: [
        defineService(dir, 'wst-worker', 10, which('php')!, ['-r', '$i = 0; while (true) { echo "job ", ++$i, "\\n"; usleep(200000); }']),
        defineService(dir, 'wst-ws', 20, process.execPath, [wsScript], { readyPort: wsPort }),
        defineService(dir, 'wst-web', 30, which('nginx')!, ['-p', `${ngx.dir}/`, '-c', conf, '-g', 'daemon off;'], { readyPort: webPort, dependsOn: ['wst-ws'] }),
      ],
    };
  }, 60_000);

  afterAll(async () => {
    if (backend) await killPm2(backend);
    ngx?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('uses a short project-local PM2_HOME', () => {
    expect(backend.home).toBe(join(dir, '.pm2'));
  });

  it('installs: defined but not started, NotInstalled before', async () => {
    expect((await control.queryServices(set)).items.map((i) => i.status)).toEqual(['NotInstalled', 'NotInstalled', 'NotInstalled']);
    const r = await control.installAll(set, ctx());
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => [i.name, i.status, i.backend])).toEqual([
      ['wst-worker', 'Stopped', 'PM2'], ['wst-ws', 'Stopped', 'PM2'], ['wst-web', 'Stopped', 'PM2'],
    ]);
    expect(existsSync(backend.processFile('wst-worker'))).toBe(true);
  });

  it('starts all three in order and waits until they are really up (ports open)', async () => {
    const r = await control.startAll(set, ctx());
    expect(r.errors).toEqual([]);
    for (const item of r.items) {
      expect(item.status).toBe('Running');
      expect(pidAlive(item.processId!)).toBe(true);
      expect(item.restarts).toBe(0);
      expect(item.startedAt).toBeInstanceOf(Date);
    }
    expect(await wsHello(wsPort)).toBe('hello');
    expect(await (await fetch(`http://127.0.0.1:${webPort}/`)).text()).toBe('web ok\n');
  });

  it('the apps do not inherit the session\'s environment (the daemon runs with a clean one)', async () => {
    const pid = byName(await control.queryServices(set), 'wst-worker').processId!;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(environ).toContain('PM2_HOME=');
    expect(environ).not.toContain('WOOSOO_TEST_SECRET');
  });

  it('writes the service logs', async () => {
    const out = join(dir, 'logs', 'wst-worker', 'output.log');
    expect(await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').includes('job 2'), 10_000)).toBe(true);
    expect(readFileSync(join(dir, 'logs', 'wst-ws', 'output.log'), 'utf8')).toContain(`ws listening on ${wsPort}`);
  });

  it('a crash is restarted by PM2 and counted', async () => {
    const before = byName(await control.queryServices(set), 'wst-worker');
    process.kill(before.processId!, 'SIGKILL');
    const after = await waitFor(async () => {
      const i = byName(await control.queryServices(set), 'wst-worker');
      return i.status === 'Running' && i.processId !== before.processId ? i : undefined;
    }, 15_000, 200);
    expect(after?.restarts).toBe(1);
    expect(pidAlive(before.processId!)).toBe(false);
  });

  it('starting running services is idempotent', async () => {
    const before = await control.queryServices(set);
    const r = await control.startAll(set, ctx());
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => i.processId)).toEqual(before.items.map((i) => i.processId));
  });

  it('restarts one service: a new process that serves again', async () => {
    const one = { ...set, defs: [set.defs[1]] };
    const before = (await control.queryServices(one)).items[0];
    const r = await control.restartAll(one, ctx());
    expect(r.errors).toEqual([]);
    expect(r.items[0].processId).not.toBe(before.processId);
    expect(pidAlive(before.processId!)).toBe(false);
    expect(await wsHello(wsPort)).toBe('hello');
  });

  it('re-installing a running service updates it and keeps it running', async () => {
    const one = { ...set, defs: [{ ...set.defs[0], arguments: ['-r', 'while (true) { echo "v2\\n"; usleep(200000); }'] }] };
    const r = await control.installAll(one, ctx());
    expect(r.errors).toEqual([]);
    expect(r.items[0].arguments).toContain('v2');
    const up = await control.startAll(one, ctx());
    expect(up.items[0].status).toBe('Running');
  });

  it('an app that dies at once is a crash loop with its own output, not "started"', async () => {
    // PHP on the command line prints its errors on stdout: the error must carry the stdout log too.
    const crasher = defineService(dir, 'wst-crasher', 40, which('php')!, ['-r', 'echo "boom-from-php\\n"; exit(3);']);
    const one: ServiceSet = { ...set, defs: [crasher] };
    await control.installAll(one, ctx());
    const r = await control.startAll(one, ctx());
    expect(r.errors.map((e) => e.data.errorId)).toEqual(['ServiceCrashLoop']);
    expect(r.errors[0].message).toContain('boom-from-php');
    const st = (await control.queryServices(one)).items[0];
    expect(['Throttled', 'Failed']).toContain(st.status);
    expect(st.processId).toBeNull();
    expect(st.lastExitCode).toBe(3);
    expect((await control.suspendAll(one, ctx())).errors[0].data.errorId).toBe('PauseNotSupported');
    expect((await control.uninstallAll(one, ctx())).items[0].status).toBe('NotInstalled');
  });

  it('rotates a PM2 log past LOG_ROTATE_BYTES and prunes rotated logs by count when restarting', async () => {
    const out = join(dir, 'logs', 'wst-worker', 'output.log');
    for (const day of [1, 2, 3]) writeFileSync(join(dir, 'logs', 'wst-worker', `output-2026010${day}T000000.000.log`), 'old');
    const one: ServiceSet = { ...set, defs: [set.defs[0]], settings: settings({ throttleMs: 1000, rotateBytes: 100, retentionCount: 2, retentionDays: 0 }) };
    // The worker writes 3 bytes ("v2\n") every 200 ms: let the log pass LOG_ROTATE_BYTES first (the services now start
    // and stop fast enough that it may not have yet).
    expect(await waitFor(() => existsSync(out) && statSync(out).size > 150, 20_000)).toBe(true);
    const r = await control.restartAll(one, ctx());
    expect(r.errors).toEqual([]);
    const rotated = rotatedLogs(out);
    expect(rotated).toHaveLength(2); // the one rotated now + the newest old one; two old ones pruned
    expect(rotated[1]).toBe(join(dir, 'logs', 'wst-worker', 'output-20260103T000000.000.log'));
    expect(readFileSync(rotated[0], 'utf8')).toContain('v2');
    expect(await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').includes('v2'), 10_000)).toBe(true);
  });

  it('stops in reverse order and waits until the processes have exited', async () => {
    const pids = (await control.queryServices(set)).items.map((i) => i.processId!);
    const c = ctx();
    const r = await control.stopAll(set, c);
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([['wst-web', 'Stopped'], ['wst-ws', 'Stopped'], ['wst-worker', 'Stopped']]);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    // wst-web depends on wst-ws: it is stopped first; wst-worker (nothing depends on it) is stopped at the same time.
    const stopping = c.logs.filter((l) => l.message.startsWith('Stopping')).map((l) => l.message);
    expect([...stopping].sort()).toEqual(['Stopping wst-web (PM2)', 'Stopping wst-worker (PM2)', 'Stopping wst-ws (PM2)']);
    expect(stopping.indexOf('Stopping wst-ws (PM2)')).toBeGreaterThan(stopping.indexOf('Stopping wst-web (PM2)'));
  });

  it('uninstalls: NotInstalled, process files gone, logs kept', async () => {
    const r = await control.uninstallAll(set, ctx());
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => i.status)).toEqual(['NotInstalled', 'NotInstalled', 'NotInstalled']);
    expect(existsSync(backend.processFile('wst-ws'))).toBe(false);
    expect(existsSync(join(dir, 'logs', 'wst-worker', 'output.log'))).toBe(true);
  });
});
