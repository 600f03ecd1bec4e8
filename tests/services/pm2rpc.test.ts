/**
 * The PM2 RPC client (core/services/pm2rpc.ts) and the PM2 backend's use of it, against a real PM2 7 daemon: the AMP
 * framing, getMonitorData answering what `pm2 jlist` prints, the daemon's error replies, a missing or refusing socket
 * (the backend falls back to the CLI), and stop/restart/reset over the socket leaving PM2 exactly as the CLI does.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pm2Backend } from '../../core/services/pm2';
import { AmpReader, encodeMessage, pm2Call, Pm2RpcError, pm2RpcSocket, Pm2RpcUnavailable } from '../../core/services/pm2rpc';
import { pm2BinPath, startPm2Home, type Pm2Home } from '../harness/pm2';
import { pidAlive, shortTmp, skipUnless } from '../harness/tools';
import { defineService, settings } from './support';

describe('AMP framing', () => {
  it('encodes as amp does: version 1 and argc in the first byte, BE lengths, s:/j: prefixes', () => {
    const buf = encodeMessage([{ a: 1 }, 'id:1']);
    expect(buf[0]).toBe(0x12);
    expect(buf.readUInt32BE(1)).toBe('j:{"a":1}'.length);
    expect(buf.subarray(5, 5 + 9).toString()).toBe('j:{"a":1}');
    expect(buf.readUInt32BE(14)).toBe(6);
    expect(buf.subarray(18).toString()).toBe('s:id:1');
  });

  it('reads messages split anywhere and several in one chunk', () => {
    const one = encodeMessage([{ args: [[{ name: 'x' }]] }, 'w:1']);
    const two = encodeMessage([{ error: 'nope' }, 'w:2', Buffer.from([0xff, 0x00])]);
    const all = Buffer.concat([one, two]);
    for (let cut = 0; cut <= all.length; cut++) {
      const r = new AmpReader();
      const got = [...r.push(all.subarray(0, cut)), ...r.push(all.subarray(cut))];
      expect(got).toEqual([[{ args: [[{ name: 'x' }]] }, 'w:1'], [{ error: 'nope' }, 'w:2', Buffer.from([0xff, 0x00])]]);
    }
  });

  it('puts the socket where PM2 does: PM2_HOME/rpc.sock, the fixed named pipe on Windows', () => {
    expect(pm2RpcSocket('/srv/app/.pm2', 'linux')).toBe('/srv/app/.pm2/rpc.sock');
    expect(pm2RpcSocket('C:\\app\\.pm2', 'win32')).toBe('\\\\.\\pipe\\rpc.sock');
  });
});

describe('a socket that cannot be used', () => {
  let dir: string;
  let server: Server | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(shortTmp(), 'wsrpc-'));
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('absent: Pm2RpcUnavailable, nothing sent', async () => {
    const e = await pm2Call(join(dir, 'none.sock'), 'getMonitorData', [{}], { timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(Pm2RpcUnavailable);
    expect(e).toMatchObject({ code: 'ENOENT', sent: false });
  });

  it('a file that is not a socket: refused, nothing sent', async () => {
    writeFileSync(join(dir, 'file.sock'), '');
    const e = await pm2Call(join(dir, 'file.sock'), 'getMonitorData', [{}], { timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(Pm2RpcUnavailable);
    expect(e.sent).toBe(false);
  });

  it('a peer that hangs up without answering: Pm2RpcUnavailable after sending', async () => {
    const path = join(dir, 'hangup.sock');
    server = createServer((c) => c.once('data', () => c.destroy())).listen(path);
    await new Promise((r) => server!.once('listening', r));
    const e = await pm2Call(path, 'getMonitorData', [{}], { timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(Pm2RpcUnavailable);
    expect(e.sent).toBe(true);
  });

  it('cancelled: rejects with the signal\'s reason', async () => {
    const path = join(dir, 'silent.sock');
    const silent = createServer(() => undefined).listen(path);
    await new Promise((r) => silent.once('listening', r));
    const ac = new AbortController();
    const p = pm2Call(path, 'getMonitorData', [{}], { timeoutMs: 30_000, signal: ac.signal });
    ac.abort(new Error('stop it'));
    await expect(p).rejects.toThrow('stop it');
    silent.close();
  });
});

describe.skipIf(skipUnless(existsSync(pm2BinPath()), 'pm2 not installed (npm ci)'))('against a real PM2 daemon', { timeout: 120_000 }, () => {
  let pm2: Pm2Home;
  let dir: string;
  const sock = () => join(pm2.home, 'rpc.sock');
  const env = process.env as Record<string, string>;
  const jlist = async () => JSON.parse((await pm2.pm2(['jlist'])).stdout.split('\n').find((l) => l.startsWith('['))!) as { name: string; pid: number; pm2_env: Record<string, unknown> }[];
  const backend = (more: Partial<ConstructorParameters<typeof Pm2Backend>[0]> = {}) =>
    new Pm2Backend({ pm2: pm2BinPath(), home: pm2.home, projectDir: dir, env, ...more });
  const sleeper = (name: string) => defineService(dir, name, 10, '/bin/sleep', ['1000']);

  beforeAll(async () => {
    pm2 = startPm2Home();
    dir = mkdtempSync(join(shortTmp(), 'wsrpd-'));
    for (const name of ['rpc-a', 'rpc-b']) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ apps: [{ name, script: '/bin/sleep', args: ['1000'], interpreter: 'none', min_uptime: 1000, kill_timeout: 5000, autorestart: true }] }));
      expect((await pm2.pm2(['start', join(dir, `${name}.json`)])).exitCode).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    await pm2?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('getMonitorData answers what `pm2 jlist` prints', async () => {
    const [list] = (await pm2Call(sock(), 'getMonitorData', [{}], { timeoutMs: 10_000 })) as [{ name: string; pid: number; pm2_env: Record<string, unknown> }[]];
    const cli = await jlist();
    expect(list.map((e) => [e.name, e.pid, e.pm2_env.status, e.pm2_env.pm_id])).toEqual(cli.map((e) => [e.name, e.pid, e.pm2_env.status, e.pm2_env.pm_id]));
    expect(list.map((e) => e.name)).toEqual(['rpc-a', 'rpc-b']);
    expect(list.every((e) => pidAlive(e.pid))).toBe(true);
  });

  it('the daemon\'s error reply is a Pm2RpcError with its message', async () => {
    const e = await pm2Call(sock(), 'stopProcessId', [4242], { timeoutMs: 10_000 }).catch((x) => x);
    expect(e).toBeInstanceOf(Pm2RpcError);
    expect(e.message).toContain('id unknown');
    const m = await pm2Call(sock(), 'noSuchMethod', [], { timeoutMs: 10_000 }).catch((x) => x);
    expect(m.message).toContain('does not exist');
  });

  it('the backend queries over the socket, and through the CLI when the socket is missing: the same states', async () => {
    const defs = [sleeper('rpc-a'), sleeper('rpc-b')];
    const viaSocket = backend();
    const a = await viaSocket.query(defs);
    expect(viaSocket.transport).toBe('rpc');
    expect(viaSocket.pollMs()).toBe(100);
    const viaCli = backend({ rpcSocket: join(dir, 'missing.sock') });
    const b = await viaCli.query(defs);
    expect(viaCli.transport).toBe('cli');
    expect(viaCli.pollMs()).toBe(250);
    expect(a.map((s) => [s.name, s.status, s.processId, s.restarts])).toEqual(b.map((s) => [s.name, s.status, s.processId, s.restarts]));
    expect(a.map((s) => s.status)).toEqual(['Running', 'Running']);
  });

  it('stop over the socket returns once the process has exited, as `pm2 stop` does; the CLI fallback stops too', async () => {
    const b = backend();
    const [before] = await b.query([sleeper('rpc-a')]);
    await b.stop(sleeper('rpc-a'), settings());
    expect(pidAlive(before.processId!)).toBe(false);
    expect((await b.query([sleeper('rpc-a')]))[0].status).toBe('Stopped');
    expect(b.transport).toBe('rpc');

    const cli = backend({ rpcSocket: false });
    const [other] = await cli.query([sleeper('rpc-b')]);
    await cli.stop(sleeper('rpc-b'), settings());
    expect(cli.transport).toBe('cli');
    expect(pidAlive(other.processId!)).toBe(false);
  });

  it('restart over the socket changes the app as `pm2 restart` does (the same pm2_env keys, to the same values)', async () => {
    const volatile = ['pm_uptime', 'restart_time', 'created_at', 'prev_restart_delay', 'unstable_restarts', 'exit_code', '_tree_pids', 'axm_monitor', 'axm_actions', 'versioning'];
    const envOf = async (name: string) => (await jlist()).find((x) => x.name === name)!.pm2_env;
    /** What a restart changed in an app's pm2_env, times and pids aside. */
    const changes = (before: Record<string, unknown>, after: Record<string, unknown>) =>
      Object.fromEntries(Object.keys({ ...before, ...after }).filter((k) => !volatile.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, after[k]]));
    // Both were stopped by the test before: rpc-b is restarted by the CLI, rpc-a by the backend over the socket.
    const [a0, b0] = [await envOf('rpc-a'), await envOf('rpc-b')];
    expect((await pm2.pm2(['restart', 'rpc-b'])).exitCode).toBe(0);
    await backend().start(sleeper('rpc-a'), settings());
    const [byCli, bySocket] = [changes(b0, await envOf('rpc-b')), changes(a0, await envOf('rpc-a'))];
    expect(bySocket).toEqual(byCli);
    expect(bySocket.status).toBe('online');
    const states = await backend().query([sleeper('rpc-a'), sleeper('rpc-b')]);
    expect(states.map((s) => s.status)).toEqual(['Running', 'Running']);
  });

  it('reset over the socket clears the restart counter as `pm2 reset` does (resume = reset + restart)', async () => {
    const b = backend();
    await b.start(sleeper('rpc-a'), settings()); // restarts of a running app: restart_time + 1 each
    await b.start(sleeper('rpc-a'), settings());
    expect((await b.query([sleeper('rpc-a')]))[0].restarts).toBeGreaterThanOrEqual(2);
    await b.resume(sleeper('rpc-a')); // reset (restart_time 0), then the restart counts once
    const [after] = await b.query([sleeper('rpc-a')]);
    expect(after.status).toBe('Running');
    expect(after.restarts).toBe(1);
    expect(b.transport).toBe('rpc');
  });
});
