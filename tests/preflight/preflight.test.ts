// Preflight against the real tools of this machine: php-cli + extensions, composer, a MariaDB server started by the
// harness, nginx, mkcert, node. Failure paths change only what the engine sees (PATH, ports, config, folders);
// the two scripts in fixtures/ that stand in for a tool are named fake-* and used only for "too old" and "hangs".
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflightPassed } from '../../core/preflight';
import { freePort, portOpen } from '../harness/ports';
import { hasTool, missingTools, shortTmp, skipUnless, waitFor, which } from '../harness/tools';
import { FIXTURES, find, projectWithDatabase, type TestProject } from './project';
import { createInterface } from 'node:readline';
import type { CheckResult } from '../../core/preflight';
import { preflightObject } from '../../core/preflight/methods';
import type { PreflightCheck } from '../../core/preflight/types';
import { ENGINE } from '../support/engine';

const TOOLS = ['php', 'composer', 'mariadbd', 'mariadb', 'nginx', 'mkcert', 'node'];
const PASSWORD = 'Pre-flight#pw-1';


/** A listener the test opens on a free loopback port for the enclosing block (closed after it). */
function useListener(): { port: number } {
  const listener = { port: 0 };
  let server: Server;
  beforeAll(async () => {
    listener.port = await freePort();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(listener.port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return listener;
}

describe.skipIf(skipUnless(hasTool(...TOOLS), missingTools(...TOOLS) ?? ''))('preflight with the real tools', () => {
  let project: TestProject;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ project, stop } = await projectWithDatabase('pf', PASSWORD));
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  }, 60_000);

  it('passes every check with all tools present (only the 2-core Warn of this machine)', async () => {
    const checks = await project.run();
    // Elevation is the machine's, not the test's: CI here runs as root; elsewhere only that check may fail.
    const failed = checks.filter((c) => c.status === 'Fail' && !(c.name === 'Elevated' && process.getuid?.() !== 0));
    expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
    if (process.getuid?.() === 0) expect(preflightPassed(checks)).toBe(true);
    for (const c of checks) {
      expect(c.durationMs).toBeGreaterThanOrEqual(0);
      const wire = preflightObject(c);
      expect(wire.$type).toBe('PreflightCheck');
      expect(wire.Duration).toMatch(/^PT\d+\.\d{3}S$/);
      expect(c.message).not.toBe('');
    }
    expect(find(checks, 'Tools', 'PHP').actual).toMatch(/^8\.\d+\.\d+ \(/);
    expect(find(checks, 'Tools', 'Composer').actual).toMatch(/^2\.\d+\.\d+ \(/);
    expect(find(checks, 'Tools', 'Node.js').actual).toContain(process.versions.node);
    expect(find(checks, 'Tools', 'Database client').actual).toMatch(/^MariaDB 1\d\.\d+\.\d+/);
    const login = find(checks, 'Tools', 'Database login');
    expect(login.status).toBe('Pass');
    expect(login.actual).toMatch(/MariaDB/);
    expect(find(checks, 'Tools', 'nginx').actual).toMatch(/^1\.\d+\.\d+/);
    expect(find(checks, 'Tools', 'mkcert').status).toBe('Pass');
    expect(find(checks, 'Tools', 'Flutter').status).toBe('Skip');
    expect(find(checks, 'Tools', 'Service manager').actual).toMatch(/pm2/);
    for (const ext of ['mbstring', 'pdo_mysql', 'openssl', 'json', 'curl', 'bcmath', 'fileinfo', 'tokenizer']) {
      expect(find(checks, 'PhpExtensions', ext).status).toBe('Pass');
    }
    expect(find(checks, 'Configuration', 'Configuration rules').status).toBe('Pass');
    const dbPort = find(checks, 'Network', 'DB_PORT');
    expect(dbPort.status).toBe('Pass');
    expect(dbPort.message).toMatch(/our own service: the database server, mariadbd \(PID \d+\)/);
    expect(find(checks, 'Network', 'APP_IP').status).toBe('Pass');
    expect(checks.some((c) => c.name === 'HTTPS_PORT')).toBe(false); // HTTPS is off
    expect(find(checks, 'Permissions', 'logs/').status).toBe('Pass');
    expect(JSON.stringify(checks)).not.toContain(PASSWORD);
  });

  it('selects categories, and adds probe commands and raw output when detailed', async () => {
    const checks = await project.run({}, { categories: ['Tools'], detailed: true });
    expect(new Set(checks.map((c) => c.category))).toEqual(new Set(['Tools']));
    const php = find(checks, 'Tools', 'PHP');
    expect(php.probe).toMatch(/php -v$/);
    expect(php.rawOutput).toMatch(/PHP 8\.\d+\.\d+ \(cli\)/);
    const login = find(checks, 'Tools', 'Database login');
    expect(login.probe).toMatch(/--user=ws_pf_u /);
    expect(`${login.probe}${login.rawOutput}`).not.toContain(PASSWORD);
    expect(checks.every((c) => c.probe !== undefined)).toBe(true);
  });

  it('a PATH without php: PHP fails with where to set it, extensions are skipped', async () => {
    const bin = mkdtempSync(join(shortTmp(), 'wspath-'));
    try {
      for (const t of ['node', 'mariadb', 'mkcert', 'git']) symlinkSync(which(t)!, join(bin, t));
      const checks = await project.run({}, { env: { ...process.env, PATH: bin } as Record<string, string>, categories: ['Tools', 'PhpExtensions'] });
      const php = find(checks, 'Tools', 'PHP');
      expect(php.status).toBe('Fail');
      expect(php.critical).toBe(true);
      expect(php.actual).toBe('not found');
      expect(php.message).toMatch(/PHP_PATH is empty and php is not on PATH/);
      expect(php.fix).toMatch(/PHP_PATH/);
      expect(find(checks, 'PhpExtensions', 'mbstring').status).toBe('Skip');
      expect(find(checks, 'Tools', 'Composer').status).toBe('Fail');
      expect(find(checks, 'Tools', 'Node.js').status).toBe('Pass');
      expect(preflightPassed(checks)).toBe(false);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  describe('a port held by a listener the test opens', () => {
    const listener = useListener();

    it('is a critical Fail naming the program and its PID', async () => {
      const { port } = listener;
      const checks = await project.run({ BACKEND_PORT: String(port) }, { categories: ['Network'] });
      const c = find(checks, 'Network', 'BACKEND_PORT');
      expect(c.status).toBe('Fail');
      expect(c.critical).toBe(true);
      expect(c.actual).toMatch(new RegExp(`^held by \\S.* \\(PID ${process.pid}\\)$`));
      expect(c.message).toMatch(/held by another program, .*node/);
      expect(c.fix).toContain(`Stop-Process -Id ${process.pid}`);
      expect(c.fix).toContain('BACKEND_PORT');
    });
  });

  // The engine as an unprivileged user (nobody) cannot see which process of another user (root, the test) holds a
  // port — as a non-elevated session on Windows cannot see a service's. It may be our own service: Warn, not Fail.
  describe.skipIf(process.getuid?.() !== 0 || !which('setpriv'))('a port held by a process the engine may not identify (engine run as nobody)', () => {
    const listener = useListener();
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(shortTmp(), 'wspf-nobody-'));
      chmodSync(dir, 0o755);
      copyFileSync(ENGINE, join(dir, 'engine.cjs'));
      project.write({ BACKEND_PORT: String(listener.port) });
      copyFileSync(join(project.dir, 'deployment.config.env'), join(dir, 'deployment.config.env'));
      for (const d of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(dir, d), { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', dir]);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is a Warn that says the holder could not be identified and how to find it, not a critical Fail', async () => {
      // stdin stays open until the answer arrives (the engine cancels what is running when its input closes).
      const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(dir, 'engine.cjs')], {
        cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const reply = await new Promise<{ error?: unknown; result: { items: PreflightCheck[] } }>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          const m = JSON.parse(l);
          if (m.id === 2) resolve(m);
        });
        child.once('exit', (code) => reject(new Error(`engine exited ${code}: ${stderr}`)));
        for (const m of [
          { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '1.0' } },
          { jsonrpc: '2.0', id: 2, method: 'preflight.run', params: { path: dir, categories: ['Network'] } },
        ]) child.stdin.write(`${JSON.stringify(m)}\n`);
      }).finally(() => child.stdin.end());
      expect(reply.error, stderr).toBeUndefined();
      // The wire's Woosoo.PreflightCheck objects, as the engine sent them.
      const c = reply.result.items.find((x) => x.Category === 'Network' && x.Name === 'BACKEND_PORT')!;
      expect(c.Status).toBe('Warn');
      expect(c.Actual).toMatch(/not identified$/);
      expect(c.Message).toContain(`Port ${listener.port} (BACKEND_PORT)`);
      expect(c.Message).toContain('cannot tell whether it is our own service');
      expect(c.Fix).toMatch(/as Administrator/);
    });
  });

  describe('a port held by our own service (php artisan reverb:start from the backend folder)', () => {
    let reverb: ChildProcess;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      const backend = join(project.dir, 'apps', 'woosoo-nexus');
      copyFileSync(join(FIXTURES, 'fake-reverb-artisan.php'), join(backend, 'artisan'));
      reverb = spawn(which('php')!, ['artisan', 'reverb:start', `--port=${port}`], { cwd: backend, stdio: 'ignore' });
      expect(await waitFor(() => portOpen(port), 10_000)).toBe(true);
    });
    afterAll(() => {
      reverb?.kill('SIGKILL');
    });

    it('passes and says which service holds it', async () => {
      const checks = await project.run({ REVERB_PORT: String(port) }, { categories: ['Network'] });
      const c = find(checks, 'Network', 'REVERB_PORT');
      expect(c.status).toBe('Pass');
      expect(c.message).toContain(`our own service: Reverb (php artisan reverb:start)`);
      expect(c.message).toContain(`PID ${reverb.pid}`);
    });

    it('the same process on the backend port is foreign (it is not the backend)', async () => {
      const checks = await project.run({ BACKEND_PORT: String(port) }, { categories: ['Network'] });
      const c = find(checks, 'Network', 'BACKEND_PORT');
      expect(c.status).toBe('Fail');
      expect(c.message).toMatch(/artisan reverb:start/);
    });
  });

  it('a wrong DB password: the login fails with what to check, and no password in any field', async () => {
    const wrong = 'Wrong-password-123';
    const checks = await project.run({ DB_PASSWORD: wrong }, { categories: ['Tools'], detailed: true });
    const c = find(checks, 'Tools', 'Database login');
    expect(c.status).toBe('Fail');
    expect(c.critical).toBe(true);
    expect(c.message).toMatch(/refused the login ws_pf_u@127\.0\.0\.1:\d+\/ws_pf: wrong user name or password/);
    expect(c.fix).toMatch(/DB_USERNAME and DB_PASSWORD/);
    expect(c.rawOutput).toMatch(/ERROR 1045/);
    const text = JSON.stringify(checks);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(PASSWORD);
  });

  it('a database that is not running: cannot reach it, and the DB port warns', async () => {
    const port = await freePort();
    const checks = await project.run({ DB_PORT: String(port) }, { categories: ['Tools', 'Network'] });
    expect(find(checks, 'Tools', 'Database login').message).toMatch(/Cannot reach the database server/);
    expect(find(checks, 'Network', 'DB_PORT').status).toBe('Warn');
  });

  it('a config with problems: each rule is a result, errors critical, warnings not', async () => {
    const checks = await project.run(
      { HTTP_PORT: '8099', BACKEND_PORT: '8099', APP_DEBUG: 'true', ENVIRONMENT: 'production', PREFLIGHT_MIN_RAM_GB: 'lots' },
      { categories: ['Configuration', 'System'] },
    );
    const conflict = find(checks, 'Configuration', 'PortConflict BACKEND_PORT');
    expect(conflict.status).toBe('Fail');
    expect(conflict.critical).toBe(true);
    expect(conflict.message).toMatch(/HTTP_PORT and BACKEND_PORT are .*8099.*line \d+/);
    const debug = find(checks, 'Configuration', 'DebugInProduction APP_DEBUG');
    expect(debug.status).toBe('Warn');
    expect(debug.critical).toBe(false);
    expect(find(checks, 'Configuration', 'Type PREFLIGHT_MIN_RAM_GB').status).toBe('Fail');
    // The RAM check still runs, with the default threshold.
    expect(find(checks, 'System', 'Memory').expected).toBe('≥ 4 GB (8 GB recommended)');
    expect(preflightPassed(checks)).toBe(false);
  });

  describe('HTTPS certificate (the checks of core/certs, with a real mkcert)', () => {
    let caroot: string;
    beforeAll(() => {
      caroot = mkdtempSync(join(shortTmp(), 'wsca-'));
    });
    afterAll(() => {
      rmSync(caroot, { recursive: true, force: true });
      rmSync(join(project.dir, 'certs'), { recursive: true, force: true });
    });
    const https = { HTTPS_ENABLED: 'true', HTTPS_PORT: '443' };
    const env = () => ({ ...process.env, CAROOT: caroot }) as Record<string, string>;

    it('no certificate with HTTPS on: a critical Fail saying to create one', async () => {
      const checks = await project.run(https, { env: env(), categories: ['Network'] });
      const c = find(checks, 'Network', 'HTTPS certificate Present');
      expect(c.status).toBe('Fail');
      expect(c.critical).toBe(true);
      expect(c.fix).toMatch(/New-WoosooCertificate/);
    });

    it('a certificate made by mkcert for APP_IP and localhost passes; with HTTPS off there is no certificate check', async () => {
      mkdirSync(join(project.dir, 'certs'), { recursive: true });
      const made = spawnSync(which('mkcert')!, ['-cert-file', join(project.dir, 'certs', 'woosoo.pem'), '-key-file', join(project.dir, 'certs', 'woosoo-key.pem'), '127.0.0.1', 'localhost', '::1'], { env: env(), encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const checks = await project.run(https, { env: env(), categories: ['Network'] });
      const c = find(checks, 'Network', 'HTTPS certificate');
      expect(c.status, c.message).toBe('Pass');
      expect(find(checks, 'Network', 'HTTPS_PORT').status).not.toBe('Skip');
      const off = await project.run({}, { env: env(), categories: ['Network'] });
      expect(off.some((x) => x.name.startsWith('HTTPS'))).toBe(false);
    });
  });

  it('APP_IP that is not on any interface fails and lists the machine\'s addresses', async () => {
    const checks = await project.run({ APP_IP: '203.0.113.77' }, { categories: ['Network'] });
    const c = find(checks, 'Network', 'APP_IP');
    expect(c.status).toBe('Fail');
    expect(c.message).toMatch(/203\.0\.113\.77 is not assigned.*lo 127\.0\.0\.1/);
  });

  describe('folders Woosoo cannot write', () => {
    // root ignores file permissions: an immutable folder (chattr +i) refuses even root; and a folder name that is a file.
    const chattr = which('chattr');
    let logs: string;
    let immutable = false;
    beforeAll(() => {
      logs = join(project.dir, 'logs');
      mkdirSync(logs, { recursive: true });
      if (chattr) immutable = spawnSync(chattr, ['+i', logs]).status === 0;
      writeFileSync(join(project.dir, 'certs'), 'not a folder');
    });
    afterAll(() => {
      if (immutable) spawnSync(chattr!, ['-i', logs]);
      rmSync(join(project.dir, 'certs'), { force: true });
    });

    it.skipIf(skipUnless(!!chattr, 'chattr missing: cannot make a folder read-only for root'))('an immutable logs/ is a critical Fail with the fix', async () => {
      expect(immutable, 'chattr +i failed (file system without attributes?)').toBe(true);
      const checks = await project.run({}, { categories: ['Permissions'] });
      const c = find(checks, 'Permissions', 'logs/');
      expect(c.status).toBe('Fail');
      expect(c.critical).toBe(true);
      expect(c.message).toMatch(/cannot write in .*logs: .*operation not permitted/i);
      expect(c.fix).toMatch(/lsattr/);
      expect(find(checks, 'Permissions', 'Project folder').status).toBe('Pass');
    });

    it('a certs "folder" that is a file fails', async () => {
      const checks = await project.run({}, { categories: ['Permissions'] });
      const c = find(checks, 'Permissions', 'certs/');
      expect(c.status).toBe('Fail');
      expect(c.message).toMatch(/a file, not a folder/);
    });
  });

  it('a too-old PHP (fixtures/fake-old-php, a fake that only prints an old version) fails with the minimum', async () => {
    const checks = await project.run({ PHP_PATH: join(FIXTURES, 'fake-old-php') }, { categories: ['Tools'] });
    const c = find(checks, 'Tools', 'PHP');
    expect(c.status).toBe('Fail');
    expect(c.actual).toMatch(/^7\.4\.33 \(/);
    expect(c.message).toBe('PHP 7.4.33 is older than the required 8.2.');
    expect(c.fix).toMatch(/PREFLIGHT_MIN_PHP_VERSION/);
  });

  it('a configured minimum above the installed version fails (PREFLIGHT_MIN_NODE_VERSION)', async () => {
    const checks = await project.run({ PREFLIGHT_MIN_NODE_VERSION: '99.1' }, { categories: ['Tools'] });
    const c = find(checks, 'Tools', 'Node.js');
    expect(c.status).toBe('Fail');
    expect(c.expected).toBe('Node.js 99.1 or later');
  });

  it('a hanging tool (fixtures/fake-hanging-composer, a fake that sleeps) fails "timed out after 1 s" and the rest completes', async () => {
    const checks = await project.run(
      { COMPOSER_PATH: join(FIXTURES, 'fake-hanging-composer'), PREFLIGHT_PROBE_TIMEOUT_SECONDS: '1' },
      { categories: ['Tools'] },
    );
    const c = find(checks, 'Tools', 'Composer');
    expect(c.status).toBe('Fail');
    expect(c.message).toMatch(/fake-hanging-composer --version --no-ansi --no-interaction timed out after 1 s\./);
    expect(c.fix).toMatch(/PREFLIGHT_PROBE_TIMEOUT_SECONDS/);
    expect(find(checks, 'Tools', 'PHP').status).toBe('Pass');
  });

  it('a missing configured tool path names the key', async () => {
    const checks = await project.run({ MYSQL_PATH: '/nonexistent/mariadb' }, { categories: ['Tools'] });
    const c = find(checks, 'Tools', 'Database client');
    expect(c.status).toBe('Fail');
    expect(c.message).toBe('MYSQL_PATH=/nonexistent/mariadb does not exist.');
    expect(find(checks, 'Tools', 'Database login').status).toBe('Skip');
  });

  it('SERVICE_MANAGER=nssm on this Linux host: the NSSM probes are Skip with the reason', async () => {
    const checks = await project.run({ SERVICE_MANAGER: 'nssm' }, { categories: ['Tools', 'Permissions'] });
    for (const name of ['Service manager', 'Service manager access']) {
      const c = checks.find((x) => x.name === name)!;
      expect(c.status).toBe('Skip');
      expect(c.message).toMatch(/NSSM runs only on Windows/);
    }
  });
});
