/**
 * Runs scripts in the REAL PowerShell 7 (installed by scripts/setup.sh), with the module imported.
 *
 * Objects come back through a file, never through the console: the script's pipeline output goes to a file
 * (`& { script } | Out-File`), while `What if:` lines, warnings and host text go to the console and are returned
 * apart (`console`). So a test's JSON is never mixed with what PowerShell prints for a person.
 *
 * Where pwsh is missing, `describePwsh` skips the suite with the reason, except under CI=true, where the missing
 * PowerShell is a failing test: CI must never pass with the end-to-end tier silently gone.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from './engine';

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
export const pwsh = { available: found.path !== undefined, path: found.path ?? '', reason: found.reason };
export const IN_CI = process.env.CI === 'true';

/**
 * A describe() for a suite that needs the real pwsh: runs it where pwsh exists; elsewhere skips it with the reason,
 * or, under CI=true, replaces it with one test that fails with the reason. `missing` names another real component
 * the suite needs and does not have.
 */
export function describePwsh(title: string, body: () => void, opts: { missing?: string; timeout?: number } = {}): void {
  const reason = pwsh.available ? opts.missing : pwsh.reason;
  // A fresh pwsh costs ~1 s on a quiet machine and several on a loaded one: give each test room.
  const options = { timeout: opts.timeout ?? 120_000 };
  if (!reason) {
    describe(`${title} (real pwsh)`, options, body);
  } else if (IN_CI) {
    describe(`${title} (real pwsh)`, () => {
      it('has what it needs, which CI=true requires', () => {
        throw new Error(reason);
      });
    });
  } else {
    describe.skip(`${title} (real pwsh) — skipped: ${reason}`, body);
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
  const p = prepare(script, opts);
  const r = spawnSync(pwsh.path, p.args, { ...p.options, encoding: 'utf8' });
  return p.result(r.status, r.stdout ?? '', r.stderr ?? '');
}

/**
 * runPwsh without blocking this process: for tests whose servers (HTTP, WebSocket) run in the test process itself.
 * Under runPwsh's spawnSync they still accept connections (the kernel does that) but never answer a request.
 */
export function runPwshAsync(script: string, opts: PwshOptions = {}): Promise<PwshResult> {
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
