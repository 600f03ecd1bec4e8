/**
 * The `woosoo` command (woosoo.ps1 and its wrappers): the old woosoo-deploy-manager command lines, run as wrappers and
 * scheduled tasks run them, on a copy of the demo project: `pwsh -File woosoo.ps1 …`, a plain shell through the sh
 * wrapper, and `python deployment_manager/main.py …` through the shipped stand-in. Checks the text, the exit codes
 * (0 done, 1 failed, 2 bad usage), the deprecation line on stderr, and that a refused uninstall changes nothing.
 * The Windows tier runs the same command lines through pwsh.exe -File (legacy-cli-windows.e2e.test.ts adds cmd.exe).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';
import { pm2BinPath } from '../harness/pm2';
import { freePorts } from '../harness/ports';
import { hasTool, shortTmp } from '../harness/tools';
import { ROOT } from '../support/engine';
import { describePwsh, itNeeds, pwsh, runPwshFile, TIER, tierPath } from '../support/pwsh';
import { terminal, TERMINAL_MISSING } from '../support/terminal';

interface Run { code: number | null; out: string; err: string }

const SCRIPT = join(ROOT, 'woosoo.ps1');
const DEPRECATION = /^woosoo (\w+): deprecated, use (.+?) \(Get-Help ([\w-]+)\)/m;
const quiet = { WOOSOO_NO_DEPRECATION: '1' };
/** A critical check that fails on the demo copy: no database server in the Linux tier, no PHP in the Windows tier. */
const FAILING = TIER === 'windows' ? 'Tools/PHP' : 'Tools/Database login';

/** Runs a program the way a wrapper does: no console input (a scheduled task has none), the exit code its own. */
function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd, env: { ...process.env, NO_COLOR: '1', PATH: `${dirname(pwsh.path)}:${ROOT}:${process.env.PATH}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('error', (e) => { err += String(e); });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const psQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `pwsh -File woosoo.ps1 <line>` in the project folder (in the Windows tier: pwsh.exe -File, under Wine). */
function woosoo(line: string, cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const args = line.split(' ').filter(Boolean);
  if (TIER === 'windows') {
    const body = `Set-Location ${psQuote(tierPath(cwd))}\n& ${psQuote(tierPath(SCRIPT))} ${args.map(psQuote).join(' ')}\nexit $LASTEXITCODE`;
    return runPwshFile(body, { env });
  }
  return run(pwsh.path, ['-NoProfile', '-File', SCRIPT, ...args], cwd, env);
}

/** The same command line from a plain shell, through the sh wrapper found on PATH (the module folder). */
const fromShell = (line: string, cwd: string, env: Record<string, string> = {}) => run('sh', ['-c', `woosoo ${line}`], cwd, env);

let dir: string;
/** The sh wrapper and the python stand-in are run from a Linux shell; the Windows tier's shell is cmd.exe. */
const linuxOnly = TIER === 'linux' ? it : it.skip;

/** A copy of the demo with ports of its own (nothing else may be on them) and the stand-in artisan for the services. */
async function demoCopy(): Promise<string> {
  const copy = mkdtempSync(join(shortTmp(), 'wlegacy-'));
  cpSync(join(ROOT, 'examples', 'demo'), copy, { recursive: true });
  copyFileSync(join(ROOT, 'tests', 'services', 'fixtures', 'artisan'), join(copy, 'apps', 'woosoo-nexus', 'artisan'));
  const [http, backend, reverb, db, green1, green2] = await freePorts(6);
  const file = join(copy, 'deployment.config.env');
  const text = readFileSync(file, 'utf8').replace(/^HTTP_PORT=.*$/m, `HTTP_PORT=${http}`).replace(/^BACKEND_PORT=.*$/m, `BACKEND_PORT=${backend}`)
    .replace(/^REVERB_PORT=.*$/m, `REVERB_PORT=${reverb}`).replace(/^DB_PORT=.*$/m, `DB_PORT=${db}`);
  writeFileSync(file, `${text}\nBACKEND_GREEN_PORT=${green1}\nREVERB_GREEN_PORT=${green2}\nSERVICE_THROTTLE_MS=800\n`);
  return copy;
}

describePwsh('the woosoo command: old command lines', () => {
  beforeAll(async () => { dir = await demoCopy(); });
  afterAll(async () => {
    if (!dir) return;
    if (TIER === 'linux') await killPm2(new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env: process.env as Record<string, string> }));
    // maxRetries: the engine of the closed test terminal's pwsh.exe (Windows tier) may still write its log here.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }, 60_000);

  it('--help and help print the usage with every command and exit 0, without a deprecation line', async () => {
    for (const line of ['--help', 'help']) {
      const r = await woosoo(line, dir);
      expect(r.code, r.err).toBe(0);
      for (const word of ['check', 'install <service>', 'uninstall <service> --confirm', 'start', 'stop', 'restart', 'config', 'version']) {
        expect(r.out).toContain(word);
      }
      expect(r.out).toContain('Exit codes: 0 done, 1 failed, 2 bad usage');
      expect(r.err).not.toMatch(DEPRECATION);
    }
  });

  it('an unknown command, service or option is bad usage: exit 2, the reason and the usage on stderr', async () => {
    const cases: [string, RegExp][] = [
      ['deploy-everything', /unknown command 'deploy-everything'/], ['start redis', /unknown service 'redis'/],
      ['check --bogus', /unknown option '--bogus'/], ['stop', /stop needs one service/], ['version --confirm', /--confirm goes with uninstall/],
    ];
    for (const [line, reason] of cases) {
      const r = await woosoo(line, dir, quiet);
      expect(r.code, `${line}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(reason);
      expect(r.err).toContain('Usage: woosoo');
      expect(r.out).toBe('');
    }
  });

  it('version names the module version from the manifest and the engine, with the deprecation hint on stderr', async () => {
    const r = await woosoo('version', dir);
    const manifest = /ModuleVersion\s*=\s*'([^']+)'/.exec(readFileSync(join(ROOT, 'Woosoo.psd1'), 'utf8'))![1];
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Module: ${manifest}`);
    expect(r.out).toMatch(/^Engine: \d+\.\d+\.\d+/m);
    expect(r.err.trim().split(/\r?\n/)).toHaveLength(1);
    expect(r.err).toMatch(/^woosoo version: deprecated, use Get-Module Woosoo/);
  });

  it('config prints every key with secrets masked and says the configuration is valid', async () => {
    const r = await woosoo('config', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^\s+APP_NAME\s+= Woosoo Demo$/m);
    expect(r.out).toMatch(/^\s+DB_PASSWORD\s+= \*{8}$/m);
    expect(r.out).not.toContain('demo-Passw0rd#1');
    expect(r.out).toContain('Configuration is valid');
    expect(r.err).toMatch(/^woosoo config: deprecated, use Get-WoosooConfig \(Get-Help Get-WoosooConfig\)/);
  });

  it('check --verbose lists every check and fails with exit 1 when a critical one fails (no database or no PHP in the tier)', async () => {
    const r = await woosoo('check --verbose', dir);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^\[PASS\] Configuration\/Configuration rules - /m);
    expect(r.out).toContain(`\n[FAIL] ${FAILING} - `);
    expect(r.out).toMatch(/^Total: \d+ \| Passed: \d+ \| Warnings: \d+ \| Failed: [1-9]\d* \| Critical: [1-9]\d* \| Configuration errors: 0$/m);
    expect(r.out).toContain('Critical checks failed - cannot proceed');
    const hint = DEPRECATION.exec(r.err);
    expect(hint?.slice(1)).toEqual(['check', 'Test-WoosooPreflight', 'Test-WoosooPreflight']);
  });

  it('check without --verbose shows only the failures; WOOSOO_NO_DEPRECATION=1 leaves stderr empty', async () => {
    const r = await woosoo('check', dir, quiet);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^\\[FAIL\\] ${FAILING} - `, 'm'));
    expect(r.out).not.toMatch(/^\[PASS\]/m);
    expect(r.err).toBe('');
  });

  it('--project-root and WOOSOO_PROJECT_ROOT (the old tool\'s) name the project from another folder', async () => {
    const elsewhere = mkdtempSync(join(shortTmp(), 'wlegacy-cwd-'));
    try {
      const a = await woosoo(`--project-root ${tierPath(dir)} config`, elsewhere, quiet);
      const b = await woosoo('config', elsewhere, { ...quiet, WOOSOO_PROJECT_ROOT: tierPath(dir) });
      const none = await woosoo('config', elsewhere, quiet);
      expect([a.code, b.code], a.err + b.err).toEqual([0, 0]);
      expect(a.out).toContain('Woosoo Demo');
      expect(b.out).toContain('Woosoo Demo');
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/^FAILED .+: .*no deployment\.config\.env/m);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  (TERMINAL_MISSING ? it.skip : it)('uninstall without --confirm at a console asks the old question; No cancels with exit 1', async () => {
    const t = await terminal(`woosoo-legacy-${process.pid}`);
    try {
      await t.type(`Set-Location ${psQuote(tierPath(dir))}; & ${psQuote(tierPath(SCRIPT))} uninstall all; "exit code $LASTEXITCODE"`);
      await t.answer('Are you sure you want to uninstall all? [y/N]:', 'n');
      await t.see('Cancelled; nothing was changed.');
      await t.see('exit code 1');
    } finally {
      t.close();
    }
  });

  itNeeds(['pm2'], 'install all, start all, restart queue, stop nginx, a refused uninstall all, uninstall all --confirm (PM2)', async () => {
    const services = ['woosoo-queue-worker', 'woosoo-backend', 'woosoo-reverb', 'woosoo-nginx'];
    const install = await woosoo('install all', dir, quiet);
    expect(install.code, install.err).toBe(0);
    for (const s of services) expect(install.out).toContain(`OK   ${s}: Stopped`);

    // No configs/nginx.conf in the copy (the sync step writes it): nginx cannot start, the PHP services do.
    const start = await woosoo('start all', dir, quiet);
    expect(start.code).toBe(1);
    expect(start.out).toMatch(/^OK {3}woosoo-queue-worker: Running \(pid \d+\)$/m);
    expect(start.err).toMatch(/^FAILED woosoo-nginx: /m);
    expect(start.err).toMatch(/^ {2}-> /m);

    const restart = await fromShell('restart queue', dir, quiet);
    expect(restart.code, restart.err).toBe(0);
    expect(restart.out).toMatch(/^OK {3}woosoo-queue-worker: Running/m);
    const stop = await woosoo('stop nginx', dir, quiet);
    expect(stop.code, stop.err).toBe(0);
    expect(stop.out).toContain('OK   woosoo-nginx: Stopped');

    // Nobody can answer the old tool's question here: refused, exit 2, and every service is still installed.
    const refused = await fromShell('uninstall all', dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(DEPRECATION);
    expect(refused.err).toContain('uninstall all needs --confirm when nobody can answer the question; nothing was changed');
    expect(refused.out).toBe('');
    const after = await woosoo('dashboard', dir, quiet);
    expect(after.code, after.err).toBe(0);
    for (const s of services.slice(0, 3)) expect(after.out).toMatch(new RegExp(`^${s}\\s+Running\\s`, 'm'));
    expect(after.out).toMatch(/^woosoo-nginx\s+Stopped\s/m);

    const removed = await woosoo('uninstall all --confirm', dir, quiet);
    expect(removed.code, removed.err).toBe(0);
    for (const s of services) expect(removed.out).toContain(`OK   ${s}: NotInstalled`);
  }, 400_000);

  linuxOnly('from a plain shell through the sh wrapper: the same text and exit codes', async () => {
    const help = await fromShell('--help', dir);
    const bad = await fromShell('start everything', dir, quiet);
    const check = await fromShell('check --verbose', dir);
    expect([help.code, bad.code, check.code]).toEqual([0, 2, 1]);
    expect(help.out).toContain('Usage: woosoo');
    expect(bad.err).toContain("unknown service 'everything'");
    expect(check.out).toMatch(/^\[FAIL\] Tools\/Database login/m);
    expect(DEPRECATION.exec(check.err)?.[1]).toBe('check');
  });

  (hasTool('python3') ? linuxOnly : it.skip)('python deployment_manager/main.py …: the shipped stand-in, copied into the project, forwards the command line', async () => {
    mkdirSync(join(dir, 'deployment_manager'), { recursive: true });
    copyFileSync(join(ROOT, 'deployment_manager', 'main.py'), join(dir, 'deployment_manager', 'main.py'));
    const version = await run('python3', ['deployment_manager/main.py', 'version'], dir, quiet);
    const check = await run('python3', ['deployment_manager/main.py', 'check', '--verbose'], dir);
    const bad = await run('python3', ['deployment_manager/main.py', 'start', 'redis'], dir, quiet);
    expect([version.code, check.code, bad.code], version.err + check.err + bad.err).toEqual([0, 1, 2]);
    expect(version.out).toMatch(/^Module: /m);
    expect(check.out).toMatch(/^\[FAIL\] Tools\/Database login/m);
    expect(DEPRECATION.exec(check.err)?.[1]).toBe('check');
    // Without woosoo on PATH (nor WOOSOO_CMD) it says so and exits 1.
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const lost = await run(python, ['deployment_manager/main.py', 'version'], dir, { PATH: dirname(python) });
    expect(lost.code).toBe(1);
    expect(lost.err).toContain('the woosoo command was not found');
  });
});
