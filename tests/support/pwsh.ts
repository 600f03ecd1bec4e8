/**
 * Runs scripts in the REAL PowerShell 7 (installed by scripts/setup.sh), with the module imported, in one of two
 * tiers chosen by WOOSOO_E2E_TIER: `linux` (default; .tools/pwsh/pwsh) or `windows` (pwsh.exe for Windows under Wine,
 * the engine as node.exe: tests/support/winpwsh.ts). An end-to-end suite is written once and runs in both: it calls
 * runPwsh/runPwshAsync/pwshJson/runPwshFile, names paths it compares through tierPath(), and declares the components
 * it needs (`needs`); where the tier lacks one, the suite or test skips there with the reason (docs/testing.md).
 *
 * Objects come back through a file, never through the console: the script's pipeline output goes to a file
 * (`& { script } | Out-File`), while `What if:` lines, warnings and host text go to the console and are returned
 * apart (`console`). So a test's JSON is never mixed with what PowerShell prints for a person.
 *
 * Where pwsh is missing, `describePwsh` skips the suite with the reason, except under CI=true, where the missing
 * PowerShell is a failing test: CI must never pass with the end-to-end tier silently gone.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT } from './engine';
import { MODULE_WIN_PATH, runWinPwsh, runWinPwshAsync, startWinTier, stopWinTier, winConsoleCommand, winPath, winPwsh } from './winpwsh';

/** The tier this test run drives: `linux` (pwsh for Linux) or `windows` (pwsh.exe for Windows under Wine). */
export const TIER: 'linux' | 'windows' = process.env.WOOSOO_E2E_TIER === 'windows' ? 'windows' : 'linux';
const TIER_NAME = TIER === 'windows' ? 'Windows pwsh under Wine' : 'real pwsh';

/** Components an end-to-end suite or test can need beyond PowerShell, the module and the engine. */
export type Need = 'php' | 'composer' | 'mariadb' | 'nginx' | 'pm2' | 'mkcert' | 'npm' | 'unix-signals' | 'console-ctrl-c';

/** Why the Windows tier lacks each (the Linux tier has them all: scripts/setup.sh installs them). */
const WINDOWS_LACKS: Record<Need, string> = {
  php: 'no PHP for Windows here (Debian ships the Linux build only)',
  composer: 'no Composer for Windows here (it needs PHP for Windows)',
  mariadb: 'no MariaDB/MySQL for Windows here',
  nginx: 'no nginx for Windows here',
  pm2: 'PM2 is the Linux service backend; on Windows the engine uses NSSM (windows-tier-services.e2e.test.ts)',
  mkcert: 'no mkcert for Windows here',
  npm: 'no npm for Windows here (the tier has node.exe only)',
  'console-ctrl-c': 'Wine\'s console does not pass a Ctrl+C typed in the terminal to pwsh.exe while it reads a line (measured: the prompt never comes back); the Linux tier types it',
  'unix-signals': 'the test signals the engine the POSIX way (SIGINT/SIGKILL to a Linux pid); engine death in the Windows tier is windows-tier-more.e2e.test.ts',
};

/** Why this tier cannot run something that needs `needs`, or '' when it can. */
export function lacking(needs: readonly Need[] = []): string {
  if (TIER !== 'windows') return '';
  return needs.map((n) => WINDOWS_LACKS[n]).join('; ');
}

/** it() for one test that needs a component: skips in a tier without it, with the reason in the test's name. */
export function itNeeds(needs: readonly Need[], name: string, fn: () => unknown, timeout?: number): void {
  const why = lacking(needs);
  if (why) it.skip(`${name} — skipped in the ${TIER} tier: ${why}`, fn);
  else it(name, fn, timeout);
}

/** A Linux path as PowerShell in this tier reports it (Z:\… under Wine). For comparing paths the module returns. */
export function tierPath(path: string): string {
  return TIER === 'windows' ? winPath(path) : path;
}

/**
 * Configuration lines that give a project this tier's service manager: none on Linux (PM2, found by the engine), and
 * NSSM_PATH to the tier's nssm64.exe on Windows (a Windows server has NSSM in the project's bin\nssm or NSSM_PATH).
 */
export function tierServiceConfig(): string {
  return TIER === 'windows' ? `NSSM_PATH=${winPath(winPwsh.info.nssm ?? '')}\n` : '';
}

/** The module manifest as a script in this tier imports it. */
export const MODULE_MANIFEST = TIER === 'windows' ? MODULE_WIN_PATH : join(ROOT, 'Woosoo.psd1');

function locate(): { path?: string; reason: string } {
  const status = join(ROOT, '.cache', 'pwsh-status');
  if (existsSync(status)) {
    const text = readFileSync(status, 'utf8').trim();
    if (!text.startsWith('unavailable') && existsSync(text)) return { path: text, reason: '' };
    if (text.startsWith('unavailable')) return { reason: `PowerShell 7 is not installed: ${text}` };
  }
  try {
    const p = execFileSync('sh', ['-c', 'command -v pwsh'], { encoding: 'utf8' }).trim();
    if (p) return { path: p, reason: '' };
  } catch {
    /* not on PATH */
  }
  return { reason: 'PowerShell 7 is not installed (run scripts/setup.sh; its output says why)' };
}

const found = locate();
const linuxPwsh = { available: found.path !== undefined, path: found.path ?? '', reason: found.reason };
/** The PowerShell of this tier: whether it is there, its path (Linux tier) or Windows path (Windows tier), or why not. */
export const pwsh = TIER === 'windows' ? { available: winPwsh.available, path: winPwsh.exe, reason: winPwsh.reason } : linuxPwsh;
export const IN_CI = process.env.CI === 'true';

export interface DescribePwshOptions {
  /** Another real component the suite needs and does not have, as a reason. */
  missing?: string;
  /** Components the whole suite needs: it skips, with the reason, in a tier without them. */
  needs?: readonly Need[];
  timeout?: number;
}

/**
 * A describe() for a suite that needs the real pwsh of this tier: runs it where that pwsh exists; elsewhere skips it
 * with the reason, or, under CI=true, replaces it with one test that fails with the reason. A suite that `needs` a
 * component this tier lacks skips with that reason in both cases: that is what the tier is, not a broken set-up.
 */
export function describePwsh(title: string, body: () => void, opts: DescribePwshOptions = {}): void {
  const name = `${title} (${TIER_NAME})`;
  const why = lacking(opts.needs);
  if (why) {
    describe.skip(`${name} — skipped in the ${TIER} tier: ${why}`, body);
    return;
  }
  const reason = pwsh.available ? opts.missing : pwsh.reason;
  // A fresh pwsh costs ~1 s on a quiet machine and several on a loaded one (more under Wine): give each test room.
  const options = { timeout: opts.timeout ?? (TIER === 'windows' ? 240_000 : 120_000) };
  if (!reason) {
    describe(name, options, () => {
      if (TIER === 'windows') {
        beforeAll(() => void startWinTier(), 180_000);
        afterAll(() => stopWinTier());
      }
      body();
    });
  } else if (IN_CI) {
    describe(name, () => {
      it('has what it needs, which CI=true requires', () => {
        throw new Error(reason);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${reason}`, body);
  }
}

export interface PwshResult {
  status: number | null;
  /** The script's pipeline output (Out-File -Width 4096), read from the file it was written to. */
  stdout: string;
  /** What pwsh printed on the console: What if: lines, warnings, host text. */
  console: string;
  stderr: string;
}

export interface PwshOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The preamble every script gets: stop on errors, no progress bars, the module from this checkout. */
export function pwshPreamble(): string {
  return `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'\nImport-Module '${join(ROOT, 'Woosoo.psd1')}' -Force\n`;
}

/** The pwsh arguments for a script, and how to read its result (the pipeline output file) once pwsh has exited. */
function prepare(script: string, opts: PwshOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-pwsh-'));
  const out = join(dir, 'out.txt');
  const full = `${pwshPreamble()}& {\n${script}\n} | Out-File -LiteralPath '${out}' -Encoding utf8 -Width 4096\n`;
  return {
    args: ['-NoProfile', '-NonInteractive', '-Command', full],
    options: { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 120_000 },
    result(status: number | null, consoleText: string, stderr: string): PwshResult {
      try {
        const output = existsSync(out) ? readFileSync(out, 'utf8').replace(/^\uFEFF/, '') : '';
        return { status, stdout: output, console: consoleText, stderr };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs a script after `Import-Module Woosoo.psd1`; its pipeline output comes back in `stdout`. */
export function runPwsh(script: string, opts: PwshOptions = {}): PwshResult {
  if (TIER === 'windows') return runWinPwsh(script, opts);
  const p = prepare(script, opts);
  const r = spawnSync(pwsh.path, p.args, { ...p.options, encoding: 'utf8' });
  return p.result(r.status, r.stdout ?? '', r.stderr ?? '');
}

/**
 * runPwsh without blocking this process: for tests whose servers (HTTP, WebSocket) run in the test process itself.
 * Under runPwsh's spawnSync they still accept connections (the kernel does that) but never answer a request.
 */
export function runPwshAsync(script: string, opts: PwshOptions = {}): Promise<PwshResult> {
  if (TIER === 'windows') return runWinPwshAsync(script, opts);
  const p = prepare(script, opts);
  return new Promise((resolve) => {
    let consoleText = '';
    let stderr = '';
    const child = spawn(pwsh.path, p.args, p.options);
    child.stdout.setEncoding('utf8').on('data', (d: string) => { consoleText += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err) => { stderr += String(err); });
    child.on('close', (code) => resolve(p.result(code, consoleText, stderr)));
  });
}

/** Runs a script whose pipeline output is JSON (`… | ConvertTo-Json -Depth 20 -Compress`) and parses it. */
export function pwshJson<T = any>(script: string, opts: PwshOptions = {}): T {
  const r = runPwsh(script, opts);
  if (r.status !== 0) throw new Error(`pwsh exited ${r.status}:\n${r.stderr}\n${r.console}\n${r.stdout}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`pwsh output is not JSON (${(e as Error).message}):\n${r.stdout}\n--- console:\n${r.console}\n--- stderr:\n${r.stderr}`);
  }
}

export interface FileRun {
  /** pwsh's own exit code (null when killed at the timeout). */
  code: number | null;
  /** What the script printed (its pipeline output and host text, as on a console). */
  out: string;
  err: string;
}

/**
 * Runs `body` as a script file with `pwsh -NoProfile -NonInteractive -File`, as Task Scheduler does: no preamble, no
 * module import unless the body has one (use MODULE_MANIFEST), the exit code pwsh's own.
 */
export function runPwshFile(body: string, opts: PwshOptions = {}): Promise<FileRun> {
  if (TIER === 'windows') {
    return runWinPwshAsync(body, { ...opts, preamble: false }).then((r) => ({ code: r.status, out: r.console, err: r.stderr }));
  }
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-pwsh-file-'));
  const file = join(dir, 'script.ps1');
  writeFileSync(file, body + '\n');
  return new Promise((resolve) => {
    const child = spawn(pwsh.path, ['-NoProfile', '-NonInteractive', '-File', file], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 120_000,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('error', (e) => { err += String(e); });
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, out, err });
    });
  });
}

/**
 * The shell command of an interactive PowerShell of this tier, for a terminal (tmux): pwsh, or pwsh.exe under Wine.
 * `cleanup` removes what it needed on disk.
 */
export function consoleCommand(): { command: string; cleanup: () => void } {
  if (TIER !== 'windows') return { command: `'${pwsh.path}' -NoProfile -NoLogo`, cleanup: () => {} };
  const c = winConsoleCommand();
  return { command: c.command, cleanup: () => rmSync(c.dir, { recursive: true, force: true }) };
}
