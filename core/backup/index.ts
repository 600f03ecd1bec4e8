/**
 * What other domains use of backups (Sync-WoosooConfig before it overwrites, deploy for rollback):
 * createBackup, listBackups, verifyBackup, restoreBackup. The RPC methods in ./methods.ts are thin wrappers.
 */
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { createBackupIn, type CreateOptions } from './create';
import { backupDir, type BackupMetadata } from './layout';
import { restoreFrom, type RestoreOptions, type RestorePlan, type RestoreResult } from './restore';
import { listDirs, removeSelected, type ListedBackup } from './retention';
import { authenticateParts, verifyDir, verifyDirSync, type Verification } from './verify';
import { resolveKey, type KeySource } from './keyfile';

export type { RestoreAction, RestoreOptions, RestorePlan, RestoreResult } from './restore';
// for deploy: artifact hashes and the database client the backup itself uses
export { hashFile } from './files';
export { clientTool, connection } from './database';
// for the methods whose backups the engine makes on its own (deploy, sync): the key parameters
export { keyParams, keysOf } from './keyparams';
export type { KeySource } from './keyfile';
export type CreateBackupOptions = CreateOptions;

export interface BackupIncludes {
  configs: boolean;
  database: boolean;
  files: boolean;
}

/** One backup as listed by Get-WoosooBackup (Woosoo.Backup). */
export interface BackupInfo {
  id: string;
  /** Absolute folder backups/<id>. */
  path: string;
  createdAt: string;
  description: string;
  environment: string;
  version: string;
  includes: BackupIncludes;
  sizeBytes: number;
  fileCount: number;
  creator: string;
  /** The key id of the encrypted parts ('' when none is) and those parts. */
  keyId: string;
  encryptedParts: string[];
  /** Set when metadata.json is missing or invalid (then the other fields are empty). */
  problem?: string;
  /** What it was asked for and could not hold (an -IncludeFiles that found no uploads). */
  warnings: string[];
}

export interface BackupVerification {
  id: string;
  path: string;
  valid: boolean;
  filesChecked: number;
  problems: string[];
  encrypted: boolean;
  /** Every encrypted part passed its authentication tags (checked only when a key was available). */
  authenticated: boolean;
}

export function toBackupInfo(b: { id: string; path: string; meta?: BackupMetadata; problem?: string }): BackupInfo {
  const m = b.meta;
  return {
    id: b.id, path: b.path, createdAt: m?.created_at ?? '', description: m?.description ?? '', environment: m?.environment ?? '',
    version: m?.version ?? '', includes: m?.includes ?? { configs: false, database: false, files: false },
    sizeBytes: m?.size_bytes ?? 0, fileCount: m?.file_count ?? 0, creator: m?.creator ?? '', warnings: m?.warnings ?? [],
    keyId: m?.encryption?.key_id ?? '', encryptedParts: m?.encryption?.parts ?? [],
    ...(b.problem ? { problem: b.problem } : {}),
  };
}

function toVerification(v: Verification): BackupVerification {
  return {
    id: v.id, path: v.path, valid: v.valid, filesChecked: v.filesChecked, problems: v.problems,
    encrypted: (v.meta?.encryption?.parts.length ?? 0) > 0, authenticated: v.authenticated,
  };
}

/** Makes a verified backup of the project's configs and app .env files (plus database / uploads / extra files). */
export async function createBackup(cfg: ProjectConfig, ctx: RequestContext, opts: CreateBackupOptions = {}): Promise<BackupInfo> {
  const meta = await createBackupIn(cfg, ctx, opts);
  return toBackupInfo({ id: meta.id, path: backupDir(cfg, meta.id), meta });
}

/** Every backup, newest first (metadata only; verifyBackup checks the contents). */
export function listBackups(cfg: ProjectConfig): BackupInfo[] {
  return listDirs(cfg).map(toBackupInfo);
}

/** Verifies every checksum and the metadata (synchronously; verifyBackupAsync streams and can be cancelled). */
export function verifyBackup(cfg: ProjectConfig, id: string): BackupVerification {
  return toVerification(verifyDirSync(backupDir(cfg, id), id));
}

/**
 * Verifies the checksums (no key needed: they cover the ciphertext); with a key (given, or the project's key file)
 * also authenticates every encrypted part. A key given that is not the backup's is BackupKeyWrong; the project's
 * own key file that is not this backup's (made with an earlier key) only leaves it unauthenticated.
 */
export async function verifyBackupAsync(cfg: ProjectConfig, ctx: RequestContext, id: string, keys: KeySource = {}): Promise<BackupVerification> {
  const v = await verifyDir(backupDir(cfg, id), id, ctx);
  const enc = v.meta?.encryption;
  if (!v.valid || !enc || enc.parts.length === 0) return toVerification(v);
  const explicit = (keys.key !== undefined && keys.keyFromProject !== true) || keys.keyFile !== undefined || keys.passphrase !== undefined;
  const { ring } = resolveKey(cfg, keys, ctx);
  if (!ring) return toVerification(v);
  if (!explicit && !(await ring.open(enc.key_id, enc.scrypt).then(() => true, () => false))) return toVerification(v);
  return toVerification(await authenticateParts(v, ring, ctx));
}

/** Verifies, plans, and (unless whatIf) takes a safety backup and puts the files and the database back. */
export async function restoreBackup(cfg: ProjectConfig, ctx: RequestContext, id: string, opts: RestoreOptions = {}): Promise<RestorePlan | RestoreResult> {
  return restoreFrom(cfg, ctx, id, opts);
}

export type { ListedBackup };

/**
 * The configured retention (BACKUP_RETENTION_DAYS, BACKUP_KEEP_MINIMUM, BACKUP_KEEP_MAXIMUM), as the deploy applies it
 * after every run; `protect` are backups still needed (a deployment's rollback). Returns the ids removed.
 */
export async function applyRetention(cfg: ProjectConfig, ctx: RequestContext, protect: readonly string[]): Promise<string[]> {
  return (await removeSelected(cfg, ctx, { protect })).map((b) => b.id);
}
