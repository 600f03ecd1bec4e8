/**
 * Finding a tool, one way for every domain: its *_PATH key when set, else folders of Woosoo's own (bin/nssm, bin/mkcert
 * of the project, then of Woosoo), else the session's PATH, else a last resort. One meaning for a configured value:
 * - a bare program name (`php8.2`, `mariadb`) is looked up on the session's PATH, as a shell would;
 * - a path (`C:\php\php.exe`, `tools/php/php`) is taken as is when absolute, else relative to the project folder
 *   (never to the engine's own working folder, which is Woosoo's).
 * Callers turn a miss into their own error (they know the fix); `describeMiss` words the common part.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { which } from './which';

export interface ToolQuery {
  /** The *_PATH key (for messages) and its configured value; '' or undefined = not set. */
  key?: string;
  configured?: string;
  /** The project folder: a configured relative path is relative to it. */
  projectDir: string;
  /** Program names to look for in `dirs` and on PATH, in order (`mariadb`, then `mysql`). */
  names: readonly string[];
  /** Folders looked in before PATH. */
  dirs?: readonly string[];
  /** Full paths tried after PATH (Debian's /usr/sbin/nginx). */
  fallbacks?: readonly string[];
  /**
   * 'exists' for a file that is not run directly but handed to a launcher or to node (nssm.exe under Wine, the pm2
   * script); default 'executable'.
   */
  check?: 'executable' | 'exists';
}

export type ToolLocation =
  | { path: string; via: string }
  | { path: null; via: null; configured?: ConfiguredMiss };

/** A configured *_PATH value that gave no tool: a program name not on PATH, or a path that is missing or not runnable. */
export interface ConfiguredMiss {
  key: string;
  value: string;
  /** The path it was read as (absolute), or the name itself. */
  resolved: string;
  isName: boolean;
  exists: boolean;
}

/** What is wrong with a configured value: "is not on PATH", "does not exist" or "is not an executable file". */
export function configuredMiss(c: ConfiguredMiss): string {
  if (c.isName) return 'is not on PATH';
  return c.exists ? 'is not an executable file' : 'does not exist';
}

/** What locateTool needs of a project's configuration (ProjectConfig has it). */
export interface ToolSettings {
  str(key: string): string;
  readonly projectDir: string;
}

/** The query for a tool that has a *_PATH key in the project's configuration. */
export function toolQuery(cfg: ToolSettings, key: string, names: readonly string[], more: Pick<ToolQuery, 'dirs' | 'fallbacks' | 'check'> = {}): ToolQuery {
  return { key, configured: cfg.str(key), projectDir: cfg.projectDir, names, ...more };
}

/** A configured *_PATH value as Woosoo reads it: a bare name stays a name (PATH), a path is absolute or project-relative. */
export function resolveConfiguredTool(value: string, projectDir: string): string {
  const v = value.trim();
  if (isAbsolute(v) || /[\\/]/.test(v)) return isAbsolute(v) ? v : join(projectDir, v);
  return v;
}

function usable(path: string, check: ToolQuery['check'], env: Record<string, string>): string | null {
  if (check === 'exists') return existsSync(path) ? path : null;
  return which(path, env);
}

export function locateTool(q: ToolQuery, env: Record<string, string>): ToolLocation {
  const configured = (q.configured ?? '').trim();
  if (configured) {
    const resolved = resolveConfiguredTool(configured, q.projectDir);
    const isName = resolved === configured && !isAbsolute(configured);
    const found = isName ? which(resolved, env) : usable(resolved, q.check, env);
    if (found) return { path: found, via: q.key ?? 'configured' };
    return { path: null, via: null, configured: { key: q.key ?? 'configured', value: configured, resolved, isName, exists: !isName && existsSync(resolved) } };
  }
  for (const dir of q.dirs ?? []) {
    for (const name of q.names) {
      const found = usable(join(dir, name), q.check, env);
      if (found) return { path: found, via: dir };
    }
  }
  for (const name of q.names) {
    const found = which(name, env);
    if (found) return { path: found, via: 'PATH' };
  }
  for (const p of q.fallbacks ?? []) {
    const found = usable(p, q.check, env);
    if (found) return { path: found, via: p };
  }
  return { path: null, via: null };
}

/** Why a tool was not found, naming the key or PATH: "PHP_PATH=php9 is not on PATH" / "php is not on PATH and PHP_PATH is empty". */
export function describeMiss(q: ToolQuery, miss: ToolLocation): string {
  if (miss.path !== null) return '';
  const c = miss.configured;
  if (c) return `${c.key}=${c.value}${c.resolved === c.value ? '' : ` (${c.resolved})`} ${configuredMiss(c)}`;
  const names = q.names.join(', ');
  const places = [...(q.dirs ?? []).map((d) => `not in ${d}`), `${q.names.length > 1 ? 'none' : 'not'} on PATH`];
  return `${names}: ${places.join(', ')}${q.key ? ` and ${q.key} is empty` : ''}`;
}

/** Woosoo's own folder (the one holding Woosoo.psd1): from the bundle in bin/, or from core/ in the tests. */
export function moduleRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'Woosoo.psd1'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return join(__dirname, '..');
    dir = parent;
  }
}
