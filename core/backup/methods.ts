/** RPC methods of backups: backup.create, backup.list, backup.test, backup.restore, backup.remove. Thin. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadValidProject, readProject, type ProjectConfig, type ProjectRef } from '../config';
import type { RequestContext } from '../kernel/context';
import { toItemError, WoosooError, type ItemError } from '../kernel/errors';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { createBackup, listBackups, restoreBackup, toBackupInfo, verifyBackupAsync, type BackupInfo, type RestoreAction } from './index';
import { defaultKeyFile, writeKeyFile } from './keyfile';
import { keyParams, keysOf } from './keyparams';
import { ID_RE } from './layout';
import { requireKeys } from './restore';
import { removeSelected } from './retention';

/**
 * The project for reading and restoring backups: the configuration need not be valid (restoring is how a broken
 * one is put back), but the backup keys used must be — a bad BACKUP_PATH would point into the project itself.
 */
function loadBackupProject(ref: ProjectRef, ctx: Pick<RequestContext, 'env' | 'cwd'>, more: string[] = []): ProjectConfig {
  const cfg = readProject(ref, ctx);
  requireKeys(cfg, ['BACKUP_PATH', ...more], 'Working with the backups', 'Fix the keys listed in deployment.config.env (Test-WoosooConfig shows them).');
  return cfg;
}

const idParam = z.string().regex(ID_RE, 'must be a backup id such as 2026-02-15_14-30-00');

const backupItem = typedSchema('Backup', {
  Id: z.string(), CreatedAt: z.string(), Description: z.string(), Environment: z.string(), Version: z.string(),
  Includes: z.array(z.enum(['Configs', 'Database', 'Files'])), SizeBytes: z.number(), FileCount: z.number(),
  Creator: z.string(), BackupPath: z.string(), ProjectPath: z.string(), Problem: z.string(), Warnings: z.array(z.string()),
  KeyId: z.string(), EncryptedParts: z.array(z.string()),
});

function backupObject(b: BackupInfo, projectPath: string) {
  const includes: ('Configs' | 'Database' | 'Files')[] = [];
  if (b.includes.configs) includes.push('Configs');
  if (b.includes.database) includes.push('Database');
  if (b.includes.files) includes.push('Files');
  return typed('Backup', {
    Id: b.id, CreatedAt: b.createdAt, Description: b.description, Environment: b.environment, Version: b.version,
    Includes: includes, SizeBytes: b.sizeBytes, FileCount: b.fileCount, Creator: b.creator, BackupPath: b.path,
    ProjectPath: projectPath, Problem: b.problem ?? '', Warnings: b.warnings, KeyId: b.keyId, EncryptedParts: b.encryptedParts,
  });
}

const actionItem = typedSchema('RestoreAction', {
  BackupId: z.string(), Kind: z.enum(['File', 'Database']), Action: z.enum(['Create', 'Replace', 'Unchanged', 'Import']),
  Target: z.string(), Source: z.string(), SizeBytes: z.number(),
});

const actionObject = (id: string, a: RestoreAction) =>
  typed('RestoreAction', { BackupId: id, Kind: a.kind, Action: a.action, Target: a.target, Source: a.source, SizeBytes: a.sizeBytes });

export const backupCreate = defineMethod({
  name: 'backup.create',
  summary: 'Makes a backup of deployment.config.env, configs/ and each app\'s .env (plus the database and the uploaded files when asked) and returns it as a Woosoo.Backup.',
  params: z.object({
    ...projectParams,
    description: z.string().max(500).default(''),
    includeDatabase: z.boolean().default(false),
    includeFiles: z.boolean().default(false),
    encrypt: z.boolean().default(false).describe('Encrypt every part, not only those holding secrets (a key is required)'),
    ...keyParams,
  }),
  item: backupItem,
  async handler(p, ctx) {
    const cfg = loadValidProject(p, ctx);
    const b = await createBackup(cfg, ctx, {
      description: p.description, includeDatabase: p.includeDatabase, includeFiles: p.includeFiles, creator: 'New-WoosooBackup', encryptAll: p.encrypt, keys: keysOf(p),
    });
    return { items: [backupObject(b, cfg.projectDir)] };
  },
});

export const backupList = defineMethod({
  name: 'backup.list',
  summary: 'Lists the backups newest first as Woosoo.Backup objects (metadata only).',
  params: z.object({ ...projectParams, ids: z.array(idParam).optional(), limit: z.number().int().positive().optional() }),
  item: backupItem,
  async handler(p, ctx) {
    const cfg = loadBackupProject(p, ctx);
    let list = listBackups(cfg);
    const errors: ItemError[] = [];
    if (p.ids && p.ids.length > 0) {
      for (const id of p.ids.filter((x) => !list.some((b) => b.id === x))) {
        errors.push(toItemError(new WoosooError('BackupNotFound', `There is no backup ${id} in ${cfg.path('BACKUP_PATH')}.`, {
          category: 'ObjectNotFound', target: id, fix: 'Run Get-WoosooBackup without -Id to list the backups.',
        })));
      }
      list = list.filter((b) => p.ids!.includes(b.id));
    }
    if (p.limit !== undefined) list = list.slice(0, p.limit);
    return { items: list.map((b) => backupObject(b, cfg.projectDir)), errors };
  },
});

export const backupTest = defineMethod({
  name: 'backup.test',
  summary: 'Verifies every checksum and the metadata of the given backups (all when none given), and with a key authenticates their encrypted parts: a Woosoo.BackupVerification each.',
  params: z.object({ ...projectParams, ids: z.array(idParam).optional(), ...keyParams }),
  item: typedSchema('BackupVerification', {
    Id: z.string(), Valid: z.boolean(), FilesChecked: z.number(), Problems: z.array(z.string()), BackupPath: z.string(),
    Encrypted: z.boolean(), Authenticated: z.boolean(),
  }),
  async handler(p, ctx) {
    const cfg = loadBackupProject(p, ctx);
    const ids = p.ids && p.ids.length > 0 ? p.ids : listBackups(cfg).map((b) => b.id);
    const items = [];
    const errors: ItemError[] = [];
    for (const id of ids) {
      try {
        const v = await verifyBackupAsync(cfg, ctx, id, keysOf(p));
        items.push(typed('BackupVerification', {
          Id: v.id, Valid: v.valid, FilesChecked: v.filesChecked, Problems: v.problems, BackupPath: v.path, Encrypted: v.encrypted, Authenticated: v.authenticated,
        }));
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        errors.push(toItemError(err));
      }
    }
    return { items, errors };
  },
});

export const backupRestore = defineMethod({
  name: 'backup.restore',
  summary: 'Verifies a backup, takes a safety backup and puts its files (and database) back. whatIf: the Woosoo.RestoreAction list, nothing changed.',
  params: z.object({
    ...projectParams, id: idParam, skipDatabase: z.boolean().default(false), whatIf: z.boolean().default(false),
    force: z.boolean().default(false).describe('Restore a backup taken in another environment into this one'),
    ...keyParams,
  }),
  item: z.union([actionItem, typedSchema('RestoreResult', {
    BackupId: z.string(), SafetyBackupId: z.string(), FilesRestored: z.number(), DatabaseRestored: z.boolean(), Actions: z.array(actionItem),
  })]),
  async handler(p, ctx) {
    // Not loadValidProject: restoring is how a broken deployment.config.env is put back.
    const cfg = loadBackupProject(p, ctx);
    const r = await restoreBackup(cfg, ctx, p.id, { skipDatabase: p.skipDatabase, whatIf: p.whatIf, force: p.force, keys: keysOf(p) });
    const actions = r.actions.map((a) => actionObject(r.id, a));
    if (r.whatIf) return { items: actions };
    return {
      items: [typed('RestoreResult', {
        BackupId: r.id, SafetyBackupId: r.safetyBackupId,
        FilesRestored: r.actions.filter((a) => a.kind === 'File' && (a.action === 'Create' || a.action === 'Replace')).length,
        DatabaseRestored: r.actions.some((a) => a.kind === 'Database'), Actions: actions,
      })],
    };
  },
});

export const backupRemove = defineMethod({
  name: 'backup.remove',
  summary: 'Removes the given backups, or by retention (older than olderThanSeconds, keeping keepMinimum and always the newest valid one). plan: list only.',
  params: z.object({
    ...projectParams,
    ids: z.array(idParam).optional(),
    olderThanSeconds: z.number().nonnegative().optional(),
    keepMinimum: z.number().int().nonnegative().optional(),
    plan: z.boolean().default(false),
  }),
  item: backupItem,
  async handler(p, ctx) {
    const cfg = loadBackupProject(p, ctx, ['BACKUP_RETENTION_DAYS', 'BACKUP_KEEP_MINIMUM']);
    const removed = await removeSelected(cfg, ctx, {
      ids: p.ids, olderThanMs: p.olderThanSeconds === undefined ? undefined : p.olderThanSeconds * 1000, keepMinimum: p.keepMinimum, plan: p.plan,
    });
    return { items: removed.map((b) => backupObject(toBackupInfo(b), cfg.projectDir)) };
  },
});

export const backupNewKey = defineMethod({
  name: 'backup.newKey',
  summary: 'Writes a new backup key file (default .woosoo/backup.key; 0600 on Unix): a fresh random key, or the DPAPI-protected one the cmdlet made on Windows. A Woosoo.BackupKey.',
  params: z.object({
    ...projectParams,
    outFile: z.string().min(1).optional().describe('Where to write the key file (default: .woosoo/backup.key in the project)'),
    force: z.boolean().default(false).describe('Replace an existing key file'),
    protectedKey: z.object({
      scheme: z.enum(['dpapi-machine', 'dpapi-user']), keyId: z.string().regex(/^[0-9a-f]{16}$/), blob: z.string().min(1),
    }).optional().describe('The key as DPAPI protected it (Windows: New-WoosooBackupKey protects it before it reaches the engine)'),
  }),
  item: typedSchema('BackupKey', { KeyId: z.string(), Path: z.string(), Protection: z.enum(['None', 'DpapiMachine', 'DpapiUser']), ProjectPath: z.string() }),
  async handler(p, ctx) {
    const cfg = readProject(p, ctx);
    const file = p.outFile ? resolve(cfg.projectDir, p.outFile) : defaultKeyFile(cfg);
    const k = await writeKeyFile(file, p.force, ctx, p.protectedKey);
    return { items: [typed('BackupKey', { KeyId: k.keyId, Path: k.path, Protection: k.protection, ProjectPath: cfg.projectDir })] };
  },
});

export const backupMethods = [backupCreate, backupList, backupTest, backupRestore, backupRemove, backupNewKey];
