/**
 * Finding mkcert the way NSSM is found: MKCERT_PATH, then bin/mkcert/ (in the project, then in the Woosoo
 * module), then the session's PATH. And finding the session's CA folder (CAROOT).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { run } from '../process/run';
import { which } from '../process/which';
import { WoosooError } from '../kernel/errors';
import { describeMiss, locateTool, moduleRoot, toolQuery } from '../process/locate';

/** mkcert, mkcert.exe, or a release file name such as mkcert-v1.4.4-windows-amd64.exe. */
function inFolder(dir: string, env: Record<string, string>): string | null {
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir).filter((n) => /^mkcert(-v[\d.]+-[a-z0-9]+-[a-z0-9]+)?(\.exe)?$/i.test(n)).sort();
  const own = process.platform === 'win32' ? names.filter((n) => /\.exe$/i.test(n)) : names.filter((n) => !/\.exe$/i.test(n));
  for (const n of own) {
    const found = which(join(dir, n), env);
    if (found) return found;
  }
  return null;
}

export function findMkcert(cfg: ProjectConfig, env: Record<string, string>): string {
  const query = toolQuery(cfg, 'MKCERT_PATH', ['mkcert']);
  if (query.configured) {
    const found = locateTool(query, env);
    if (found.path !== null) return found.path;
    throw new WoosooError('MkcertNotFound', `${describeMiss(query, found)} (in ${cfg.location.file}).`, {
      category: 'NotInstalled', target: query.configured,
      fix: 'Set MKCERT_PATH to the full path of mkcert (mkcert.exe on Windows), or empty it to use bin/mkcert/ or PATH.',
    });
  }
  const dirs = [...new Set([join(cfg.projectDir, 'bin', 'mkcert'), join(moduleRoot(), 'bin', 'mkcert')])];
  for (const dir of dirs) {
    const found = inFolder(dir, env);
    if (found) return found;
  }
  // Release file names (mkcert-v1.4.4-windows-amd64.exe) in those folders need inFolder; PATH is the usual search.
  const onPath = locateTool(query, env).path;
  if (onPath) return onPath;
  throw new WoosooError('MkcertNotFound', `mkcert was not found: MKCERT_PATH is empty, ${dirs.join(' and ')} hold no mkcert, and it is not on PATH.`, {
    category: 'NotInstalled', target: 'mkcert',
    fix: 'Put mkcert (from its releases, or your package manager: apt install mkcert / choco install mkcert) in bin/mkcert/ or on PATH, or set MKCERT_PATH.',
  });
}

/** The session's CAROOT: $env:CAROOT, else what `mkcert -CAROOT` says (its default folder for this user). */
export async function findCaRoot(mkcert: string | null, env: Record<string, string>, signal?: AbortSignal): Promise<string | null> {
  if (env.CAROOT) return env.CAROOT;
  if (!mkcert) return null;
  const r = await run(mkcert, ['-CAROOT'], { env, signal, timeoutMs: 15_000 });
  if (r.cancelled && signal) throw signal.reason;
  const out = r.stdout.trim();
  return r.exitCode === 0 && out ? out : null;
}
