/**
 * Listing and removing backups. Retention removes backups older than a cut-off, but always keeps the newest
 * `keepMinimum` backups and never removes the newest valid backup (verified here, newest first, until one
 * passes). A removal renames the folder to .trash-<id> first, so a half-deleted backup never looks like one.
 */
import { readdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { removeAbandoned } from './create';
import { ID_RE, OWNER_FILE, TRASH_PREFIX, backupDir, backupRoot, compareIdsNewestFirst, readMetadata, type BackupMetadata } from './layout';
import { verifyDir } from './verify';

export interface ListedBackup {
  id: string;
  path: string;
  /** undefined when metadata.json is missing or invalid (the backup is listed, Test-WoosooBackup says why). */
  meta?: BackupMetadata;
  problem?: string;
}

/** Every backup folder (not .tmp-/.trash-), newest first. */
export function listDirs(cfg: ProjectConfig): ListedBackup[] {
  const root = backupRoot(cfg);
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && ID_RE.test(e.name)).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.sort(compareIdsNewestFirst).map((id) => {
    const path = join(root, id);
    const m = readMetadata(path, id);
    return m.ok ? { id, path, meta: m.meta } : { id, path, problem: m.problem };
  });
}

export interface RemoveOptions {
  /** Remove only these backups. */
  ids?: string[];
  /** Backups created longer ago than this are candidates (ms). */
  olderThanMs?: number;
  keepMinimum?: number;
  /** Backups beyond this many (newest first) are candidates too, however young; default BACKUP_KEEP_MAXIMUM. */
  keepMaximum?: number;
  /** Never removed by retention (the backups deployments still need for their rollback). */
  protect?: readonly string[];
  /** Return what would be removed, remove nothing. */
  plan?: boolean;
}

async function newestValidId(list: ListedBackup[], ctx: RequestContext): Promise<string | undefined> {
  for (const b of list) {
    if ((await verifyDir(b.path, b.id, ctx)).valid) return b.id;
  }
  return undefined;
}

/** The backups retention (or -Id) selects, then removed unless opts.plan. Returns the selected ones. */
export async function removeSelected(cfg: ProjectConfig, ctx: RequestContext, opts: RemoveOptions): Promise<ListedBackup[]> {
  const root = backupRoot(cfg);
  const list = listDirs(cfg);
  const protectedId = await newestValidId(list, ctx);
  let selected: ListedBackup[];
  if (opts.ids && opts.ids.length > 0) {
    selected = opts.ids.map((id) => {
      backupDir(cfg, id);
      const found = list.find((b) => b.id === id);
      if (!found) throw new WoosooError('BackupNotFound', `There is no backup ${id} in ${root}.`, { category: 'ObjectNotFound', target: id });
      if (id === protectedId) {
        throw new WoosooError('BackupIsNewestValid', `Backup ${id} is the newest valid backup; Woosoo never removes it.`, {
          category: 'InvalidOperation', target: id, fix: 'Make a newer backup first (New-WoosooBackup), then remove this one.',
        });
      }
      return found;
    });
  } else {
    const keep = opts.keepMinimum ?? cfg.num('BACKUP_KEEP_MINIMUM');
    // The count cap belongs to the configured retention; an explicit -OlderThan removes by age only.
    const cap = opts.keepMaximum ?? (opts.olderThanMs === undefined ? cfg.num('BACKUP_KEEP_MAXIMUM') : Infinity);
    const keepMaximum = Math.max(keep, cap);
    const cutoff = Date.now() - (opts.olderThanMs ?? cfg.num('BACKUP_RETENTION_DAYS') * 86_400_000);
    selected = list.slice(keep).filter((b, i) => {
      if (b.id === protectedId || opts.protect?.includes(b.id)) return false;
      if (keep + i >= keepMaximum) return true;
      // A backup without readable metadata is dated by its id.
      const created = b.meta ? Date.parse(b.meta.created_at) : idDate(b.id);
      return created < cutoff;
    });
  }
  if (opts.plan) return selected;
  await removeAbandoned(root, ctx);
  for (const b of selected) {
    const trash = join(root, `${TRASH_PREFIX}${b.id}`);
    await rename(b.path, trash);
    await writeFile(join(trash, OWNER_FILE), String(process.pid));
    await rm(trash, { recursive: true, force: true });
    ctx.log('verbose', `Removed backup ${b.id}.`);
  }
  return selected;
}

function idDate(id: string): number {
  const m = ID_RE.exec(id);
  if (!m) return Date.now();
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
}
