/**
 * What other domains use of backups (Sync-WoosooConfig before it overwrites, deploy for rollback):
 * createBackup, listBackups, verifyBackup, restoreBackup. The RPC methods in ./methods.ts are thin wrappers.
 */
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../rpc/context';
import { WoosooError } from '../rpc/errors';

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
}

export interface BackupVerification {
  id: string;
  path: string;
  valid: boolean;
  filesChecked: number;
  problems: string[];
}

export interface CreateBackupOptions {
  description?: string;
  includeDatabase?: boolean;
  includeFiles?: boolean;
  /** Absolute paths inside the project to include as well (e.g. files about to be overwritten). */
  extraFiles?: string[];
  /** Who made it: 'New-WoosooBackup', 'Sync-WoosooConfig', 'Restore-WoosooBackup (safety)', … */
  creator?: string;
}

export interface RestoreOptions {
  skipDatabase?: boolean;
  whatIf?: boolean;
}

/** One thing a restore would do / did (Woosoo.RestoreAction). */
export interface RestoreAction {
  kind: 'File' | 'Database';
  /** Absolute destination path (File) or database name (Database). */
  target: string;
  /** Relative path inside the backup. */
  source: string;
  action: 'Create' | 'Replace' | 'Unchanged' | 'Import';
  sizeBytes: number;
}

export interface RestorePlan {
  whatIf: true;
  id: string;
  actions: RestoreAction[];
}

export interface RestoreResult {
  whatIf: false;
  id: string;
  actions: RestoreAction[];
  /** Id of the safety backup taken before anything was replaced. */
  safetyBackupId: string;
}

function notYet(): never {
  throw new WoosooError('NotImplemented', 'Backups are being implemented.', { category: 'NotImplemented' });
}

export async function createBackup(_cfg: ProjectConfig, _ctx: RequestContext, _opts: CreateBackupOptions = {}): Promise<BackupInfo> {
  return notYet();
}

export function listBackups(_cfg: ProjectConfig): BackupInfo[] {
  return notYet();
}

export function verifyBackup(_cfg: ProjectConfig, _id: string): BackupVerification {
  return notYet();
}

export async function restoreBackup(_cfg: ProjectConfig, _ctx: RequestContext, _id: string, _opts: RestoreOptions = {}): Promise<RestorePlan | RestoreResult> {
  return notYet();
}
