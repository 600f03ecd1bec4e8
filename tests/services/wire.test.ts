/**
 * The services methods over the wire (the real engine bundle), with the definitions built from a real
 * deployment.config.env and run by real PM2: php (a stand-in artisan) for the queue worker, serve (with its child php -S) and reverb:start.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';
import { pm2BinPath } from '../harness/pm2';
import { freePort, portOpen } from '../harness/ports';
import { missingTools, pidAlive, shortTmp, skipUnless, logsBesidesWoosoo } from '../harness/tools';
import { EngineClient } from '../support/engine';
import { writeProject } from './support';

const missing = missingTools('php', 'nginx');

describe.skipIf(skipUnless(!missing && existsSync(pm2BinPath()), missing ?? 'pm2 not installed (npm ci)'))('services.* over the wire (PM2 backend, config-built definitions)', { timeout: 120_000 }, () => {
  let dir: string;
  let engine: EngineClient;
  let reverbPort: number;
  let backendPort: number;
  let servePid = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(shortTmp(), 'wswire-'));
    mkdirSync(join(dir, 'backend'));
    copyFileSync(join(__dirname, 'fixtures', 'artisan'), join(dir, 'backend', 'artisan'));
    reverbPort = await freePort();
    backendPort = await freePort();
    writeProject(dir, {
      SERVICE_MANAGER: 'pm2', SERVICE_PREFIX: 'wsw', BACKEND_PATH: 'backend', REVERB_PORT: String(reverbPort),
      BACKEND_PORT: String(backendPort), HTTP_PORT: String(await freePort()), SERVICE_START_TIMEOUT_SECONDS: '20', SERVICE_THROTTLE_MS: '800',
    });
    engine = await EngineClient.start({ cwd: dir });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await killPm2(new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env: process.env as Record<string, string> }));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('services.get lists the stack from the configuration, NotInstalled before install', async () => {
    const r = await engine.call('services.get', {});
    expect(r.items!.map((i) => [i.$type, i.Name, i.Status, i.Backend])).toEqual([
      ['Service', 'wsw-queue-worker', 'NotInstalled', 'PM2'],
      ['Service', 'wsw-backend', 'NotInstalled', 'PM2'],
      ['Service', 'wsw-reverb', 'NotInstalled', 'PM2'],
      ['Service', 'wsw-nginx', 'NotInstalled', 'PM2'],
    ]);
    expect(r.items![1]).toMatchObject({ Port: backendPort, WorkingDirectory: join(dir, 'backend'), Arguments: `artisan serve --host=127.0.0.1 --port=${backendPort} --no-reload` });
    expect(r.items![2]).toMatchObject({ Port: reverbPort, WorkingDirectory: join(dir, 'backend'), ProjectPath: dir, Arguments: `artisan reverb:start --host=0.0.0.0 --port=${reverbPort}` });
  });

  it('installs and starts the PHP services in order, waiting for the backend\'s and reverb\'s ports', async () => {
    const names = ['queue-worker', 'backend', 'reverb'];
    const inst = await engine.call('services.install', { path: dir, names });
    expect(inst.errors ?? []).toEqual([]);
    expect(inst.items!.map((i) => i.Status)).toEqual(['Stopped', 'Stopped', 'Stopped']);
    const r = await engine.call('services.start', { path: dir, names });
    expect(r.errors ?? []).toEqual([]);
    expect(r.items!.map((i) => [i.Name, i.Status])).toEqual([['wsw-queue-worker', 'Running'], ['wsw-backend', 'Running'], ['wsw-reverb', 'Running']]);
    expect(await portOpen(reverbPort)).toBe(true);
    // artisan serve answers through its child `php -S`, a process PM2 did not start itself.
    const health = await (await fetch(`http://127.0.0.1:${backendPort}/api/health`)).json() as { status: string; pid: number };
    expect(health.status).toBe('ok');
    expect(health.pid).not.toBe(r.items![1].ProcessId);
    servePid = health.pid;
    const progress = engine.notifications.filter((n) => n.method === '$/progress').map((n) => n.params!.status);
    expect(progress).toContain('wsw-reverb');
  });

  it('services.get with usage gives each running service\'s CPU % and memory from its process; without it they are null', async () => {
    const names = ['queue-worker', 'backend', 'reverb', 'nginx'];
    const plain = await engine.call('services.get', { names });
    expect(plain.items!.map((i) => [i.CpuPercent, i.MemoryBytes])).toEqual(names.map(() => [null, null]));
    const r = await engine.call('services.get', { names, usage: true });
    const [worker, backend, reverb, nginx] = r.items!;
    for (const s of [worker, backend, reverb]) {
      expect(s.Status).toBe('Running');
      expect(typeof s.CpuPercent).toBe('number');
      expect(s.CpuPercent as number).toBeGreaterThanOrEqual(0);
      // A PHP process's resident memory: megabytes, not kilobytes (the process list gives KiB).
      expect(s.MemoryBytes as number).toBeGreaterThan(4 * 1048576);
      expect(s.MemoryBytes as number).toBeLessThan(2 * 1024 ** 3);
    }
    expect(nginx).toMatchObject({ Status: 'NotInstalled', CpuPercent: null, MemoryBytes: null });
  });

  it('a wildcard that matches nothing is nothing; an unknown name is an error naming the services', async () => {
    expect((await engine.call('services.get', { names: ['zz*'] })).items).toEqual([]);
    const bad = await engine.request('services.get', { names: ['redis'] });
    expect(bad.error?.data?.errorId).toBe('ServiceNotFound');
    expect(bad.error?.message).toContain('wsw-queue-worker, wsw-backend, wsw-reverb, wsw-nginx');
  });

  it('per-service failures are non-terminating errors: suspend is not supported by PM2, starting an uninstalled service fails', async () => {
    const s = await engine.call('services.suspend', { names: ['reverb'] });
    expect(s.items).toEqual([]);
    expect((s.errors as { data: { errorId: string } }[]).map((e) => e.data.errorId)).toEqual(['PauseNotSupported']);
    const n = await engine.call('services.start', { names: ['nginx'] });
    expect((n.errors as { data: { errorId: string } }[]).map((e) => e.data.errorId)).toEqual(['ServiceNotInstalled']);
  });

  it('a missing tool fails that service\'s install with the key to fix, and writes nothing', async () => {
    const other = join(dir, 'other');
    writeProject(other, { SERVICE_MANAGER: 'pm2', SERVICE_PREFIX: 'wsx', PHP_PATH: 'tools/no-php' });
    const got = await engine.call('services.get', { path: other, names: ['queue-worker'] });
    expect(String(got.items![0].Remarks)).toContain('PHP_PATH=tools/no-php');
    const r = await engine.call('services.install', { path: other, names: ['queue-worker'] });
    expect(r.items).toEqual([]);
    expect((r.errors as { data: { errorId: string; targetObject: string } }[])[0].data).toMatchObject({ errorId: 'ToolNotFound', targetObject: 'PHP_PATH' });
    expect(existsSync(join(other, '.woosoo'))).toBe(false);
    expect(logsBesidesWoosoo(other)).toEqual([]);
    expect(existsSync(join(other, '.pm2', 'pm2.pid'))).toBe(false); // a query starts no PM2 daemon
  });

  it('never sends a secret of the configuration', () => {
    expect(engine.stdoutLines.join('\n')).not.toContain('test-reverb-secret-1');
  });

  it('stops in reverse order and the processes are gone; uninstall removes them', async () => {
    const pids = (await engine.call('services.get', { names: ['queue-worker', 'backend', 'reverb'] })).items!.map((i) => i.ProcessId as number);
    expect(pids.every((pid) => pid > 0)).toBe(true);
    const r = await engine.call('services.stop', {});
    expect(r.errors ?? []).toEqual([]);
    expect(r.items!.map((i) => [i.Name, i.Status])).toEqual([['wsw-nginx', 'NotInstalled'], ['wsw-reverb', 'Stopped'], ['wsw-backend', 'Stopped'], ['wsw-queue-worker', 'Stopped']]);
    // The whole tree is gone: artisan serve's child `php -S` too, so the backend's port is free again.
    for (const pid of [...pids, servePid]) expect(pidAlive(pid)).toBe(false);
    expect(await portOpen(backendPort)).toBe(false);
    expect(await portOpen(reverbPort)).toBe(false);
    const u = await engine.call('services.uninstall', {});
    expect(u.items!.map((i) => i.Status)).toEqual(['NotInstalled', 'NotInstalled', 'NotInstalled', 'NotInstalled']);
  });
});
