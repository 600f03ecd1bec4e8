// Smoke tests of the real-component harness: each piece starts the real thing, uses it once, and tears it down.
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from './mariadb';
import { makeNginxPrefix, nginxTest, startNginx, type NginxPrefix } from './nginx';
import { startPm2Home, type Pm2Home } from './pm2';
import { freePort, portOpen } from './ports';
import { hasNssm, hasTool, missingTools, pidAlive, pwshPath, shortTmp, skipUnless, waitFor } from './tools';
import { decodeNssmOutput, startWine, type Wine } from './wine';

describe('tools', () => {
  it('finds real executables and reports missing ones', () => {
    expect(hasTool('node')).toBe(true);
    expect(hasTool('no-such-tool-woosoo')).toBe(false);
    expect(missingTools('node', 'no-such-tool-woosoo')).toMatch(/no-such-tool-woosoo/);
    expect(skipUnless(true, 'never printed')).toBe(false);
  });

  it('pwshPath gives a path or a reason', () => {
    const r = pwshPath();
    if (r.path) expect(existsSync(r.path)).toBe(true);
    else expect(r.reason).toMatch(/PowerShell 7/);
  });

  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portOpen(port)).toBe(false);
  });
});

describe.skipIf(skipUnless(hasTool('mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb'), missingTools('mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb') ?? ''))(
  'mariadb',
  () => {
    let db: MariaDb;
    beforeAll(async () => {
      db = await startMariaDb({ database: 'ws_smoke', user: 'ws_user', password: "p'w\\d 1" });
      console.info(`[harness] mariadb ready in ${db.startMs} ms on port ${db.port}`);
    }, 120_000);
    afterAll(async () => {
      await db?.stop();
    }, 60_000);

    it('answers SELECT 1 as the password user over TCP', async () => {
      expect(db.host).toBe('127.0.0.1');
      expect(await db.query('SELECT 1')).toBe('1');
      expect(await db.query('SELECT DATABASE(), CURRENT_USER()')).toBe('ws_smoke\tws_user@%');
    });

    it('lets the user create and fill tables in its database', async () => {
      await db.query('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO t VALUES (1, "a"), (2, "b")');
      expect(await db.query('SELECT COUNT(*) FROM t')).toBe('2');
      expect(await db.rootQuery('SELECT COUNT(*) FROM ws_smoke.t')).toBe('2');
    });

    it('stop shuts the server down and removes its folder', async () => {
      await db.stop();
      expect(pidAlive(db.pid)).toBe(false);
      expect(existsSync(db.dir)).toBe(false);
      await db.stop(); // idempotent
    }, 60_000);

    it('stop kills a server that no longer answers (by pid) and still removes its folder', async () => {
      const hung = await startMariaDb();
      process.kill(hung.pid, 'SIGSTOP');
      await hung.stop();
      expect(pidAlive(hung.pid)).toBe(false);
      expect(existsSync(hung.dir)).toBe(false);
    }, 120_000);
  },
);

describe.skipIf(skipUnless(hasTool('nginx'), missingTools('nginx') ?? ''))('nginx', () => {
  let prefix: NginxPrefix;
  beforeAll(() => {
    prefix = makeNginxPrefix();
  });
  afterAll(() => prefix?.cleanup());

  it('nginx -t passes on a valid conf and the conf really serves', async () => {
    const port = await freePort();
    const conf = prefix.writeConf(
      `server {\n    listen 127.0.0.1:${port};\n    location / { return 200 "ok\\n"; }\n}`,
    );
    const r = await nginxTest(conf, prefix.dir);
    expect(r.output).toMatch(/test is successful/);
    expect(r.ok).toBe(true);
    const running = await startNginx(conf, prefix.dir, port);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok\n');
    } finally {
      await running.stop();
    }
    expect(pidAlive(running.pid)).toBe(false);
  }, 60_000);

  it('nginx -t fails with [emerg] on a broken conf', async () => {
    const conf = prefix.writeConf('server {\n    listen 127.0.0.1:8080;\n    no_such_directive on;\n}', 'broken.conf');
    const r = await nginxTest(conf, prefix.dir);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/\[emerg\]/);
    expect(r.output).toMatch(/no_such_directive/);
    expect(r.output).toMatch(/test failed/);
  });
});

const wineReason = missingTools('wine', 'wineserver', 'wineboot') ?? (hasNssm() ? '' : 'nssm64.exe missing (run bash scripts/setup.sh)');
describe.skipIf(skipUnless(!wineReason, wineReason))('wine + nssm', () => {
  let wine: Wine;
  const svc = 'WoosooHarness';
  beforeAll(async () => {
    wine = await startWine();
    console.info(`[harness] wine prefix ready in ${wine.setupMs} ms`);
  }, 240_000);
  afterAll(async () => {
    await wine?.stop();
  }, 120_000);

  it('nssm 2.24 installs, starts, queries, stops and removes a cmd.exe service', async () => {
    const out = 'C:\\woosoo-harness-out.txt';
    const inst = await wine.run(['install', svc, 'C:\\windows\\system32\\cmd.exe', '/c "echo started & ping -n 1000 127.0.0.1"']);
    expect(inst.exitCode, inst.stderrText).toBe(0);
    expect((await wine.run(['set', svc, 'AppStdout', out])).exitCode).toBe(0);
    expect((await wine.run(['set', svc, 'AppThrottle', '200'])).exitCode).toBe(0);

    const again = await wine.run(['install', svc, 'C:\\windows\\system32\\cmd.exe', '/c exit 0']);
    expect(again.exitCode).toBe(5); // service exists

    // nssm start and stop wait a bounded time for the service; on a loaded machine they can answer exit 1 with
    // "Unexpected status SERVICE_START_PENDING" (or STOP_PENDING) while the service is still changing. That is not
    // a failure of the service: what counts is the state it reaches (the product's own control checks the same way).
    const settle = async (verb: 'start' | 'stop', pending: string) => {
      const r = await wine.run([verb, svc], { timeoutMs: 60_000 });
      if (r.exitCode !== 0) expect(r.stdoutText + r.stderrText, `nssm ${verb} exit ${r.exitCode}`).toMatch(new RegExp(pending));
      let status = await wine.run(['status', svc]);
      for (let i = 0; i < 60 && status.stdoutText.trim() === pending; i++) {
        await new Promise((res) => setTimeout(res, 500));
        status = await wine.run(['status', svc]);
      }
      expect(status.exitCode).toBe(0);
      return status;
    };
    const status = await settle('start', 'SERVICE_START_PENDING');
    expect(status.stdoutText.trim()).toBe('SERVICE_RUNNING');
    // The service really runs: cmd.exe wrote its first line to AppStdout.
    const written = await waitFor(() => {
      try {
        return readFileSync(wine.unixPath(out), 'latin1').includes('started');
      } catch {
        return false;
      }
    }, 30_000);
    expect(written).toBe(true);

    // nssm 2.23 writes UTF-16LE without BOM.
    const old = await wine.run(['status', svc], { nssm: '2.23' });
    expect(old.exitCode).toBe(0);
    expect(old.stdout.length).toBeGreaterThan(2);
    expect(old.stdout[1]).toBe(0);
    expect(old.stdoutText.trim()).toBe('SERVICE_RUNNING');
    expect(status.stdout[1]).not.toBe(0); // 2.24: single-byte

    expect((await settle('stop', 'SERVICE_STOP_PENDING')).stdoutText.trim()).toBe('SERVICE_STOPPED');
    const rm = await wine.run(['remove', svc, 'confirm']);
    expect(rm.exitCode).toBe(0);
    const gone = await wine.run(['status', svc]);
    expect(gone.exitCode).toBe(3);
  }, 120_000);

  it('nssm 2.23 stderr is UTF-16LE too, and decodeNssmOutput reads both encodings', async () => {
    const r = await wine.run(['status', 'NoSuchWoosooService'], { nssm: '2.23' });
    expect(r.exitCode).toBe(3);
    expect(r.stderr[1]).toBe(0);
    expect(r.stderrText).toMatch(/OpenService/);
    expect(decodeNssmOutput(Buffer.from('SERVICE_RUNNING\r\n', 'utf16le'))).toBe('SERVICE_RUNNING\r\n');
    expect(decodeNssmOutput(Buffer.from('SERVICE_RUNNING\r\n', 'latin1'))).toBe('SERVICE_RUNNING\r\n');
  }, 120_000);

  it('a call that outlives its timeout is killed and reported', async () => {
    const r = await wine.wine(['cmd', '/c', 'ping -n 30 127.0.0.1 >nul'], { timeoutMs: 1_500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeUndefined();
  }, 60_000);
});

describe.skipIf(skipUnless(hasTool('node'), 'node missing'))('pm2', () => {
  let pm2: Pm2Home;
  let appDir: string;
  beforeAll(() => {
    pm2 = startPm2Home();
    appDir = mkdtempSync(join(shortTmp(), 'wsapp-'));
  });
  afterAll(async () => {
    await pm2?.kill();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps PM2_HOME short and quiet', () => {
    expect(join(pm2.home, 'rpc.sock').length).toBeLessThan(108);
    expect(pm2.env.PM2_DISABLE_VERSION_CHECK).toBe('true');
    expect(pm2.env.PM2_SILENT).toBe('true');
    expect(existsSync(pm2.pm2Bin)).toBe(true);
  });

  it('starts a process and kill() ends daemon and process', async () => {
    const script = join(appDir, 'app.js');
    writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const start = await pm2.pm2(['start', script, '--name', 'ws-harness', '--no-autorestart']);
    expect(start.exitCode, start.stderr).toBe(0);
    const online = await waitFor(async () => {
      const r = await pm2.pm2(['jlist']);
      const list = JSON.parse(r.stdout) as Array<{ name: string; pid: number; pm2_env: { status: string } }>;
      const app = list.find((a) => a.name === 'ws-harness');
      return app && app.pm2_env.status === 'online' && app.pid > 0 ? app.pid : 0;
    }, 15_000, 200);
    expect(online).toBeGreaterThan(0);
    expect(pidAlive(online)).toBe(true);
    const daemonPid = Number(readFileSync(join(pm2.home, 'pm2.pid'), 'utf8'));
    expect(pidAlive(daemonPid)).toBe(true);

    await pm2.kill();
    expect(await waitFor(() => !pidAlive(online) && !pidAlive(daemonPid), 10_000)).toBe(true);
    expect(existsSync(pm2.home)).toBe(false);
  }, 60_000);
});
