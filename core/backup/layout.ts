/**
 * Where backups live and what a backup folder holds: ids, folder names, metadata.json and its schema, and the
 * mapping from a path inside a backup to the project path it came from. Every path read from a backup passes
 * `isSafeRelative` before it is used: a backup is data, and data may have been tampered with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';

export const METADATA_FILE = 'metadata.json';
export const CHECKSUM_FILE = 'checksums.sha256';
/** Folder prefixes of backups under construction (engine pid inside) and of backups being deleted. */
export const TEMP_PREFIX = '.tmp-';
export const TRASH_PREFIX = '.trash-';
export const OWNER_FILE = '.owner';
export const FORMAT_VERSION = 1;

/** yyyy-MM-dd_HH-mm-ss, with -2, -3 … when several backups are made in one second. */
export const ID_RE = /^(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})(?:-(\d{1,4}))?$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The id stem for a moment, in the server's local time (what the admin sees in Explorer). */
export function idStem(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

export function idWithSuffix(stem: string, n: number): string {
  return n <= 1 ? stem : `${stem}-${n}`;
}

/** Sort key: newest first by stem, then by suffix number (…-10 after …-9). */
export function compareIdsNewestFirst(a: string, b: string): number {
  const ma = ID_RE.exec(a);
  const mb = ID_RE.exec(b);
  // The stem is the first 19 characters (yyyy-MM-dd_HH-mm-ss); the optional -N suffix follows it.
  const stemA = a.slice(0, 19);
  const stemB = b.slice(0, 19);
  if (stemA !== stemB) return stemA < stemB ? 1 : -1;
  return Number(mb?.[7] ?? 1) - Number(ma?.[7] ?? 1);
}

export function checkId(id: string): string {
  if (!ID_RE.test(id)) {
    throw new WoosooError('BackupIdInvalid', `"${id}" is not a backup id: ids look like 2026-02-15_14-30-00 (or …-2).`, {
      category: 'InvalidArgument', target: id, fix: 'Use an Id shown by Get-WoosooBackup.',
    });
  }
  return id;
}

export function backupRoot(cfg: ProjectConfig): string {
  return cfg.path('BACKUP_PATH');
}

/** The folder of an existing backup; throws BackupNotFound when there is none. */
export function backupDir(cfg: ProjectConfig, id: string): string {
  const dir = join(backupRoot(cfg), checkId(id));
  if (!existsSync(join(dir, METADATA_FILE)) && !existsSync(join(dir, CHECKSUM_FILE))) {
    throw new WoosooError('BackupNotFound', `There is no backup ${id} in ${backupRoot(cfg)}.`, {
      category: 'ObjectNotFound', target: id, fix: 'Run Get-WoosooBackup to list the backups, or check BACKUP_PATH in deployment.config.env.',
    });
  }
  return dir;
}

/**
 * A path relative to a backup or project folder, written with forward slashes, that stays inside it:
 * no absolute paths, drive letters, UNC, backslashes, `.`/`..` segments, empty segments or control characters.
 */
export function isSafeRelative(p: string): boolean {
  if (p === '' || p.length > 4096) return false;
  if (p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p) || /[\x00-\x1f]/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Where a prefix of the backup goes back to, relative to the project folder ('' = the project folder). */
export const mappingSchema = z.object({ from: z.string(), to: z.string() });
export type Mapping = z.infer<typeof mappingSchema>;

export const metadataSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  id: z.string().regex(ID_RE),
  created_at: z.string().datetime(),
  description: z.string(),
  environment: z.string(),
  version: z.string(),
  includes: z.object({ configs: z.boolean(), database: z.boolean(), files: z.boolean() }),
  size_bytes: z.number().int().nonnegative(),
  file_count: z.number().int().nonnegative(),
  creator: z.string(),
  project: z.string(),
  database: z.object({ name: z.string(), file: z.string(), tool: z.string() }).optional(),
  mappings: z.array(mappingSchema),
  /** What the backup was asked for and could not hold (no uploads found, ...); absent in backups made before. */
  warnings: z.array(z.string()).optional(),
  /** Each file's permission bits as it was (Unix; e.g. 420 = 0644), restored with it; absent in backups made before. */
  modes: z.record(z.string(), z.number().int().min(0).max(0o7777)).optional(),
  /** Which parts are encrypted (AES-256-GCM, core/backup/crypto.ts) and with which key id; never the key. */
  encryption: z.object({
    algorithm: z.literal('AES-256-GCM'),
    part_format: z.literal(1),
    key_id: z.string().regex(/^[0-9a-f]{16}$/),
    key_source: z.enum(['KeyFile', 'Passphrase']),
    scrypt: z.object({ logN: z.number().int().min(10).max(22), r: z.number().int().min(1).max(255), p: z.number().int().min(1).max(255), salt: z.string() }).optional(),
    parts: z.array(z.string()),
  }).optional(),
});
export type BackupMetadata = z.infer<typeof metadataSchema>;

export type MetadataRead = { ok: true; meta: BackupMetadata } | { ok: false; problem: string };

/** Reads and checks metadata.json: schema, id = folder name, safe mapping and database paths. */
export function readMetadata(dir: string, id: string): MetadataRead {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, METADATA_FILE), 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read: ${(err as Error).message}`;
    return { ok: false, problem: `${METADATA_FILE} ${why}.` };
  }
  const r = metadataSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, problem: `${METADATA_FILE} is not valid backup metadata: ${issues}.` };
  }
  const meta = r.data;
  if (meta.id !== id) return { ok: false, problem: `${METADATA_FILE} says id ${meta.id} but the folder is ${id}.` };
  for (const m of meta.mappings) {
    if (!isSafeRelative(m.from) || (m.to !== '' && !isSafeRelative(m.to))) {
      return { ok: false, problem: `${METADATA_FILE} maps "${m.from}" to "${m.to}", which would leave the project folder: rejected.` };
    }
  }
  if (meta.database && (!isSafeRelative(meta.database.file) || !meta.database.file.startsWith('database/'))) {
    return { ok: false, problem: `${METADATA_FILE} names the dump "${meta.database.file}", which is not inside database/: rejected.` };
  }
  return { ok: true, meta };
}

/** The project-relative path a file of the backup goes back to (longest matching mapping), or null. */
export function projectPathFor(mappings: readonly Mapping[], rel: string): string | null {
  let best: Mapping | undefined;
  for (const m of mappings) {
    if ((rel === m.from || rel.startsWith(`${m.from}/`)) && (!best || m.from.length > best.from.length)) best = m;
  }
  if (!best) return null;
  const rest = rel.slice(best.from.length).replace(/^\//, '');
  if (best.to === '') return rest === '' ? null : rest;
  return rest === '' ? best.to : `${best.to}/${rest}`;
}
