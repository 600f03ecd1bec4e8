/**
 * Runs scripts in the REAL PowerShell 7 (installed by scripts/setup.sh when the registry has it), with the
 * module imported. When there is no pwsh, `pwsh.available` is false and `pwsh.reason` says exactly why, so
 * the end-to-end suites skip with that reason instead of pretending.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  return { reason: 'PowerShell 7 is not installed (run scripts/setup.sh; see its output for the registry\'s answer)' };
}

const found = locate();
export const pwsh = { available: found.path !== undefined, path: found.path ?? '', reason: found.reason };

export interface PwshResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script after `Import-Module Woosoo.psd1`; the script's output should be JSON (ConvertTo-Json -Depth 20). */
export function runPwsh(script: string, opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): PwshResult {
  const full = `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'\nImport-Module '${join(ROOT, 'Woosoo.psd1')}' -Force\n${script}`;
  const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', full], {
    cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
