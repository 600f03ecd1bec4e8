/**
 * Where the logs are. The contract with the services domain is logs/<service>/output.log and error.log (plus
 * their rotated files, e.g. NSSM's output-20260215T143000.000.log or logrotate's output.log.1); nginx writes
 * logs/nginx-access.log and logs/nginx-error.log (the sync domain's template, prefix = the project) or
 * logs/nginx/access.log and error.log; Laravel writes
 * BACKEND_PATH/storage/logs/laravel.log (or laravel-YYYY-MM-DD.log with the daily channel); deployments write their
 * build logs to DEPLOY_REPORT_PATH/<id>/<app>.log (default logs/deployment).
 * A source is one family of files (the live file and its rotated predecessors) read with one parser.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogKind } from './entry';
import { wildcard } from '../util/wildcard';

export interface LogSource {
  service: string;
  kind: LogKind;
  dir: string;
  /** The live file's name; null when the newest file of the family is the live one (deployment logs). */
  base: string | null;
  /** Which file names of `dir` belong to the family. */
  match: (name: string) => boolean;
  /** Also the matching files one folder down (a deployment's build logs: <id>/<app>.log). */
  subdirs?: boolean;
}

export interface LogFile {
  path: string;
  ino: number;
  size: number;
  mtimeMs: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** base "output.log" → output.log, output.log.3, output-20260215T143000.000.log, output_1.log (never .gz). */
function familyOf(base: string): (name: string) => boolean {
  const stem = escape(base.replace(/\.log$/i, ''));
  const re = new RegExp(`^${stem}(?:\\.log(?:\\.\\d+)?|[-_.][^\\\\/]*\\.log)$`, 'i');
  return (name) => re.test(name);
}

function family(service: string, kind: LogKind, dir: string, base: string): LogSource {
  return { service, kind, dir, base, match: familyOf(base) };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every source of a project, by service name (folder names under logs/, plus laravel and deployment). */
export function discoverSources(projectDir: string, backendDir: string, deployDir = join(projectDir, 'logs', 'deployment')): LogSource[] {
  const sources: LogSource[] = [];
  const logsDir = join(projectDir, 'logs');
  const names = isDir(logsDir) ? readdirSync(logsDir).filter((n) => isDir(join(logsDir, n))).sort() : [];
  for (const name of names) {
    const dir = join(logsDir, name);
    if (resolve(dir) === resolve(deployDir) || name.toLowerCase() === 'deployment') continue; // deployments: below
    if (['audit', 'woosoo'].includes(name.toLowerCase())) continue; // Woosoo's own: the audit trail and the engine's log (core/audit, core/engine/log.ts)
    if (name.toLowerCase() === 'nginx') {
      sources.push(family(name, 'nginx-access', dir, 'access.log'), family(name, 'nginx-error', dir, 'error.log'));
    } else {
      sources.push(family(name, 'plain', dir, 'output.log'), family(name, 'plain', dir, 'error.log'));
    }
  }
  // nginx run with the project as its prefix (templates/nginx.conf.hbs) writes logs/nginx-access.log and nginx-error.log.
  for (const [base, kind] of [['nginx-access.log', 'nginx-access'], ['nginx-error.log', 'nginx-error']] as const) {
    const src = family('nginx', kind, logsDir, base);
    if (familyFiles(src).length > 0) sources.push(src);
  }
  if (isDir(deployDir)) sources.push({ service: 'deployment', kind: 'plain', dir: deployDir, base: null, match: (n) => /\.log$/i.test(n), subdirs: true });
  const laravelDir = join(backendDir, 'storage', 'logs');
  if (isDir(laravelDir)) sources.push(family('laravel', 'laravel', laravelDir, 'laravel.log'));
  return sources;
}

/** The family's files, oldest first, the live file last. */
export function familyFiles(src: LogSource): LogFile[] {
  const files: LogFile[] = [];
  const add = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (depth === 0 && !src.match(name)) continue;
      try {
        const st = statSync(join(dir, name));
        if (st.isFile() && src.match(name)) files.push({ path: join(dir, name), ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
        else if (st.isDirectory() && depth > 0) add(join(dir, name), depth - 1);
      } catch {
        /* rotated away between readdir and stat */
      }
    }
  };
  add(src.dir, src.subdirs ? 1 : 0);
  const live = src.base === null ? null : join(src.dir, src.base);
  return files.sort((a, b) => {
    if (a.path === live) return 1;
    if (b.path === live) return -1;
    return a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
}

/** The file new entries are written to: the base file if it exists, else the newest file of the family. */
export function livePath(src: LogSource): string | null {
  if (src.base !== null && existsSync(join(src.dir, src.base))) return join(src.dir, src.base);
  const files = familyFiles(src);
  if (files.length > 0) return files[files.length - 1].path;
  return src.base === null ? null : join(src.dir, src.base);
}

/**
 * The sources of the named services (wildcards; "all" or none = every service), and the names that matched nothing.
 * A name matches a service's full name (woosoo-backend) or, given SERVICE_PREFIX, its short name (backend): the names
 * Get-WoosooService -Name takes (core/services/definitions.ts selectDefinitions).
 */
export function selectSources(all: LogSource[], services: string[] | undefined, servicePrefix = ''): { sources: LogSource[]; unmatched: string[] } {
  const wanted = (services ?? []).filter((s) => s.trim() !== '');
  if (wanted.length === 0 || wanted.some((s) => s.toLowerCase() === 'all')) return { sources: all, unmatched: [] };
  const head = servicePrefix ? `${servicePrefix.toLowerCase()}-` : '';
  const hasShort = (service: string) => head !== '' && service.toLowerCase().startsWith(head);
  const patterns = wanted.map((s) => {
    const re = wildcard(s.trim());
    return { s, test: (service: string) => re.test(service) || (hasShort(service) && re.test(service.slice(head.length))) };
  });
  const unmatched = patterns.filter((p) => !all.some((src) => p.test(src.service))).map((p) => p.s);
  return { sources: all.filter((src) => patterns.some((p) => p.test(src.service))), unmatched };
}

export function serviceNames(all: LogSource[]): string[] {
  return [...new Set(all.map((s) => s.service))];
}
