/**
 * Finds a program the way the session would: on the PATH of the PowerShell session's environment (sent with
 * each request), with PATHEXT on Windows. Returns null when it is not there.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function envValue(env: Record<string, string>, name: string): string | undefined {
  if (process.platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

export function which(name: string, env: Record<string, string>): string | null {
  const exts = process.platform === 'win32'
    ? ['', ...(envValue(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
    : [''];
  if (isAbsolute(name) || name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    for (const ext of exts) if (isExecutableFile(name + ext)) return name + ext;
    return null;
  }
  for (const dir of (envValue(env, 'PATH') ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}
