/**
 * Service log files: rotation by size (for PM2, which has none of its own; NSSM rotates its own files) and pruning
 * of rotated files by count and age (NSSM never deletes them). Rotated files are named as NSSM names them:
 * <base>-YYYYMMDDTHHMMSS.mmm<ext>, e.g. output-20261122T030102.123.log.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ServiceDefinition, ServiceSettings } from './types';

const DAY_MS = 86_400_000;

export function rotatedName(file: string, at: Date): string {
  const ext = extname(file);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}T${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}.${p(at.getMilliseconds(), 3)}`;
  return join(dirname(file), `${basename(file, ext)}-${stamp}${ext}`);
}

/** The rotated files of one log, newest first (by the timestamp in the name). */
export function rotatedLogs(file: string): string[] {
  const dir = dirname(file);
  if (!existsSync(dir)) return [];
  const ext = extname(file);
  const base = basename(file, ext).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${base}-\\d{8}T\\d{6}(\\.\\d{3})?${ext.replace('.', '\\.')}$`, 'i');
  return readdirSync(dir).filter((f) => re.test(f)).sort().reverse().map((f) => join(dir, f));
}

/** Deletes rotated logs beyond the count and older than the age limit; returns what it deleted. */
export function pruneLogs(file: string, settings: Pick<ServiceSettings, 'retentionCount' | 'retentionDays'>, now = new Date()): string[] {
  const deleted: string[] = [];
  rotatedLogs(file).forEach((f, i) => {
    const tooMany = settings.retentionCount > 0 && i >= settings.retentionCount;
    const tooOld = settings.retentionDays > 0 && now.getTime() - statSync(f).mtimeMs > settings.retentionDays * DAY_MS;
    if (tooMany || tooOld) {
      rmSync(f, { force: true });
      deleted.push(f);
    }
  });
  return deleted;
}

/** Renames the log aside when it is larger than the limit; true when it did (the writer must reopen its file). */
export function rotateIfLarge(file: string, maxBytes: number, now = new Date()): boolean {
  if (maxBytes <= 0 || !existsSync(file) || statSync(file).size <= maxBytes) return false;
  renameSync(file, rotatedName(file, now));
  return true;
}

/** Creates the log folders (NSSM and PM2 create files, not folders). */
export function ensureLogDirs(def: ServiceDefinition): void {
  for (const f of [def.stdoutLog, def.stderrLog]) mkdirSync(dirname(f), { recursive: true });
}

/** Rotation (when Woosoo must do it) and pruning for a service's two logs; returns whether a file was rotated. */
export function maintainLogs(def: ServiceDefinition, settings: ServiceSettings, rotate: boolean): { rotated: boolean; deleted: string[] } {
  let rotated = false;
  const deleted: string[] = [];
  for (const f of new Set([def.stdoutLog, def.stderrLog])) {
    if (rotate && rotateIfLarge(f, settings.rotateBytes)) rotated = true;
    deleted.push(...pruneLogs(f, settings));
  }
  return { rotated, deleted };
}

/** One line for a whole install/start/restart: what retention deleted, or that nothing was due. */
export function retentionSummary(settings: Pick<ServiceSettings, 'retentionCount' | 'retentionDays'>, deleted: readonly string[]): string {
  const limits = `LOG_RETENTION_COUNT=${settings.retentionCount}, LOG_RETENTION_DAYS=${settings.retentionDays}`;
  if (settings.retentionCount <= 0 && settings.retentionDays <= 0) return `Log retention is off (${limits}): no rotated log is deleted.`;
  if (deleted.length === 0) return `Log retention (${limits}): no rotated log was due; nothing deleted.`;
  return `Log retention (${limits}): deleted ${deleted.length} rotated log${deleted.length === 1 ? '' : 's'}.`;
}

/** The last lines of a log (at most the last 8 KiB read), for error messages about a service that will not start. */
export function tailLines(file: string | undefined, count: number): string[] {
  if (!file || !existsSync(file)) return [];
  const size = statSync(file).size;
  const len = Math.min(size, 8192);
  const buf = Buffer.alloc(len);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, len, size - len);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8').split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean).slice(-count);
}

/**
 * The last lines of a service's stdout and stderr logs, for the error of a service that will not stay up: a crashing
 * PHP app says why on stdout, a Node app on stderr. NSSM rotates the logs each time it restarts the application, so
 * a live log still empty is read from its newest rotated file (its name carries the time). Says so when all are empty.
 */
export function lastOutput(files: readonly string[], count = 5): string {
  const unique = [...new Set(files)];
  const said = unique.map((f) => {
    const file = tailLines(f, 1).length > 0 ? f : rotatedLogs(f)[0] ?? f;
    const tail = tailLines(file, count);
    return tail.length > 0 ? ` Last lines of ${file}:\n  ${tail.join('\n  ')}` : '';
  });
  return said.join('') || ` ${unique.join(' and ')} ${unique.length > 1 ? 'are' : 'is'} empty.`;
}
