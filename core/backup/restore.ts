/**
 * Restoring a backup. In order, and nothing is touched before step 4:
 *  1. verify the backup (a backup that fails verification is refused);
 *  2. map every file back to its project path and reject any that would land outside the project (also through
 *     a symbolic link) or inside the backups folder;
 *  3. plan: Create / Replace / Unchanged per file, Import for the database (this is what -WhatIf returns);
 *  4. take a safety backup of everything that will be replaced (and the database), so the restore can be undone;
 *  5. replace each file atomically (copy next to it, check its size, rename), then import the database.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { chmod, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ProjectConfig } from '../config';
import { validateConfig } from '../config/validate';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { PARALLEL_COPIES, createBackupIn, insideProject } from './create';
import { clientTool, importDatabase } from './database';
import { hashFile, inParallel, replaceFileAtomically, restrictSecretFile } from './files';
import { METADATA_FILE, backupDir, backupRoot, projectPathFor } from './layout';
import { verifyDir } from './verify';
import { resolveKey, type KeySource, type Keyring } from './keyfile';
import { keyFor, makeStage, stagePart } from './parts';

export interface RestoreAction {
  kind: 'File' | 'Database';
  /** Absolute destination path (File) or the database name (Database). */
  target: string;
  /** Path inside the backup. */
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
  /** The backup of the state before the restore ('' when nothing had to change). */
  safetyBackupId: string;
  /** Tables and views the database import dropped: made since the backup (the safety backup holds them). */
  tablesDropped: string[];
}

export interface RestoreOptions {
  skipDatabase?: boolean;
  /** Only the database (a blue/green rollback: the files of the live release were never touched). */
  skipFiles?: boolean;
  whatIf?: boolean;
  /** Restore a backup taken in another environment (ENVIRONMENT, the overlay chosen) into this one. */
  force?: boolean;
  /** The key of an encrypted backup (else the project's .woosoo/backup.key); also encrypts the safety backup. */
  keys?: KeySource;
}

/** A backup goes back into the environment it was taken in; another one only with -Force (staging's database into production is rarely meant). */
function requireSameEnvironment(cfg: ProjectConfig, id: string, taken: string, force: boolean): void {
  const here = cfg.str('ENVIRONMENT');
  if (force || taken === '' || here === '' || taken.toLowerCase() === here.toLowerCase()) return;
  throw new WoosooError('BackupEnvironmentMismatch', `Backup ${id} was taken in ${taken}, and this is ${here}; nothing was restored.`, {
    category: 'InvalidOperation', target: id,
    fix: `Restore it into its own environment (-Environment ${taken}), or add -Force to put ${taken}'s files and database into ${here}.`,
  });
}

const DB_KEYS = ['DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USERNAME', 'DB_PASSWORD', 'MYSQL_PATH'];

/**
 * A restore must work when deployment.config.env is broken (putting it back is often the point): only the keys
 * this restore uses must be valid — BACKUP_PATH, and the database settings when the database is imported.
 */
export function requireKeys(cfg: ProjectConfig, keys: readonly string[], what: string, fix: string): void {
  const bad = validateConfig(cfg).filter((p) => p.severity === 'Error' && keys.includes(p.key));
  if (bad.length === 0) return;
  throw new WoosooError('ConfigInvalid', `${what} needs ${bad.map((p) => p.key).join(', ')} from ${cfg.location.file}, which have problems; nothing was changed:\n${bad.map((p) => `  - ${p.message}`).join('\n')}`, {
    category: 'InvalidData', target: cfg.location.file, fix,
  });
}

/** The deepest existing folder at or above p, with symbolic links resolved. */
function realAncestor(p: string): string {
  let dir = p;
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return realpathSync(dir);
}

function rejectedPath(rel: string, why: string): string {
  return `${rel}: ${why}`;
}

/** An action, and for an encrypted part the decrypted copy in the staging folder it is restored from. */
type Planned = RestoreAction & { from?: string };

interface Plan {
  dir: string;
  actions: Planned[];
  modes: Record<string, number>;
  /** The staging folder of decrypted parts (removed when the restore ends). */
  stage?: string;
}

/**
 * Decrypts the encrypted parts a restore needs into a staging folder, so that every tag has passed before anything
 * is written into the project; the plan compares the plaintext with the project's files.
 */
async function stageEncrypted(cfg: ProjectConfig, ctx: RequestContext, dir: string, ring: Keyring, files: { rel: string; target: string }[], dump: string | null): Promise<{ stage: string; actions: Planned[]; dump?: { path: string; bytes: number } }> {
  const stage = await makeStage(backupRoot(cfg));
  try {
    const actions: Planned[] = new Array<Planned>(files.length);
    // A few at a time, as the backup encrypted them: decryption is the cost, and it uses every core this way.
    await inParallel(files, PARALLEL_COPIES, async (f, i) => {
      // The plaintext is hashed only to compare it with a file already there.
      const exists = existsSync(f.target);
      const c = await stagePart(dir, stage, f.rel, ring, ctx, exists);
      let action: RestoreAction['action'] = 'Create';
      if (exists) {
        const same = statSync(f.target).size === c.bytes && (await hashFile(f.target, ctx.signal)).sha256 === c.sha256;
        action = same ? 'Unchanged' : 'Replace';
      }
      actions[i] = { kind: 'File', target: f.target, source: f.rel, action, sizeBytes: c.bytes, from: c.path };
    });
    const d = dump === null ? undefined : await stagePart(dir, stage, dump, ring, ctx, false);
    return { stage, actions, ...(d ? { dump: { path: d.path, bytes: d.bytes } } : {}) };
  } catch (err) {
    await rm(stage, { recursive: true, force: true });
    throw err;
  }
}

async function plan(cfg: ProjectConfig, ctx: RequestContext, id: string, opts: RestoreOptions): Promise<Plan> {
  const dir = backupDir(cfg, id);
  const v = await verifyDir(dir, id, ctx);
  if (!v.valid || !v.meta) {
    throw new WoosooError('BackupInvalid', `Backup ${id} failed verification; nothing was restored:\n${v.problems.map((p) => `  - ${p}`).join('\n')}`, {
      category: 'InvalidData', target: id, fix: 'Restore another backup (Get-WoosooBackup | Test-WoosooBackup shows which are valid).',
    });
  }
  const meta = v.meta;
  requireSameEnvironment(cfg, id, meta.environment, opts.force === true);
  // An encrypted backup: the key must be there and be this backup's before anything else (BackupKeyMissing/Wrong).
  const ring = meta.encryption ? await keyFor(meta, resolveKey(cfg, opts.keys ?? {}, ctx), `Backup ${id}`) : null;
  const encrypted = new Set(meta.encryption?.parts ?? []);
  const toStage: { rel: string; target: string }[] = [];
  const project = resolve(cfg.projectDir);
  const projectReal = realpathSync(project);
  const backups = resolve(backupRoot(cfg));
  const actions: Planned[] = [];
  const rejected: string[] = [];
  for (const [rel, sha256] of [...v.checksums].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (rel === METADATA_FILE || rel.startsWith('database/') || opts.skipFiles) continue;
    const mapped = projectPathFor(meta.mappings, rel);
    if (mapped === null) {
      rejected.push(rejectedPath(rel, 'no mapping in metadata.json says where it belongs'));
      continue;
    }
    const target = resolve(project, ...mapped.split('/'));
    if (insideProject(project, target) === null) {
      rejected.push(rejectedPath(rel, `would be written to ${target}, outside the project folder`));
      continue;
    }
    const real = realAncestor(dirname(target));
    if (real !== projectReal && insideProject(projectReal, real) === null) {
      rejected.push(rejectedPath(rel, `would be written through a symbolic link to ${real}, outside the project folder`));
      continue;
    }
    if (target === backups || insideProject(backups, target) !== null) {
      rejected.push(rejectedPath(rel, `would be written into the backups folder ${backups}`));
      continue;
    }
    if (encrypted.has(rel)) {
      toStage.push({ rel, target });
      continue;
    }
    const src = join(dir, ...rel.split('/'));
    const size = statSync(src).size;
    let action: RestoreAction['action'] = 'Create';
    if (existsSync(target)) {
      const same = statSync(target).size === size && (await hashFile(target, ctx.signal)).sha256 === sha256;
      action = same ? 'Unchanged' : 'Replace';
    }
    actions.push({ kind: 'File', target, source: rel, action, sizeBytes: size });
  }
  if (rejected.length > 0) {
    throw new WoosooError('BackupPathRejected', `Backup ${id} has entries that would land outside the project; nothing was restored:\n${rejected.map((r) => `  - ${r}`).join('\n')}`, {
      category: 'SecurityError', target: id, fix: 'Do not restore this backup: it was altered. Restore another one.',
    });
  }
  let dumpFile: string | null = null;
  if (meta.database && !opts.skipDatabase) {
    requireKeys(cfg, DB_KEYS, `Restoring the database of backup ${id}`, 'Fix those keys, or restore with -SkipDatabase first (it puts back deployment.config.env), then restore again.');
    clientTool(cfg, ctx.env); // before anything is touched: the client must exist
    dumpFile = meta.database.file;
  }
  let stage: string | undefined;
  let dump: { path: string; bytes: number } | undefined;
  // Under -WhatIf the dump is not decrypted (its size is the encrypted one); the key was checked above.
  const stageDump = dumpFile !== null && encrypted.has(dumpFile) && !opts.whatIf ? dumpFile : null;
  if (ring && (toStage.length > 0 || stageDump !== null)) {
    const staged = await stageEncrypted(cfg, ctx, dir, ring, toStage, stageDump);
    stage = staged.stage;
    dump = staged.dump;
    actions.push(...staged.actions);
    actions.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  }
  if (dumpFile !== null) {
    const size = dump ? dump.bytes : statSync(join(dir, ...dumpFile.split('/'))).size;
    actions.push({ kind: 'Database', target: cfg.str('DB_DATABASE'), source: dumpFile, action: 'Import', sizeBytes: size, ...(dump ? { from: dump.path } : {}) });
  }
  return { dir, actions, modes: meta.modes ?? {}, ...(stage ? { stage } : {}) };
}

const publicAction = ({ from: _from, ...a }: Planned): RestoreAction => a;

/** Gives the files whose bytes are already the backup's their recorded permissions back, where those differ (Unix). */
async function restoreModes(actions: Planned[], modes: Record<string, number>, ctx: RequestContext): Promise<void> {
  if (process.platform === 'win32') return;
  for (const a of actions) {
    const mode = modes[a.source];
    if (a.kind !== 'File' || a.action !== 'Unchanged' || mode === undefined) continue;
    const now = (await stat(a.target)).mode & 0o7777;
    if (now === mode) continue;
    await chmod(a.target, mode);
    ctx.log('verbose', `${a.target}: permissions ${now.toString(8)} back to ${mode.toString(8)} (as in the backup).`);
  }
}

export async function restoreFrom(cfg: ProjectConfig, ctx: RequestContext, id: string, opts: RestoreOptions): Promise<RestorePlan | RestoreResult> {
  const p = await plan(cfg, ctx, id, opts);
  try {
    return await restorePlanned(cfg, ctx, id, opts, p);
  } finally {
    if (p.stage) await rm(p.stage, { recursive: true, force: true });
  }
}

async function restorePlanned(cfg: ProjectConfig, ctx: RequestContext, id: string, opts: RestoreOptions, { dir, actions, modes }: Plan): Promise<RestorePlan | RestoreResult> {
  if (opts.whatIf) return { whatIf: true, id, actions: actions.map(publicAction) };
  const files = actions.filter((a) => a.kind === 'File' && a.action !== 'Unchanged');
  const database = actions.find((a) => a.kind === 'Database');
  await restoreModes(actions, modes, ctx);
  if (files.length === 0 && !database) return { whatIf: false, id, actions: actions.map(publicAction), safetyBackupId: '', tablesDropped: [] };

  ctx.progress({ id: 1, activity: `Restoring backup ${id}`, status: 'Safety backup of the current state', percent: 0 });
  const safety = await createBackupIn(cfg, ctx, {
    description: `Before restoring ${id}`, creator: 'Restore-WoosooBackup (safety)', includeDatabase: database !== undefined,
    extraFiles: files.filter((a) => a.action === 'Replace').map((a) => a.target), keys: opts.keys,
  });
  ctx.log('info', `Safety backup ${safety.id} holds the state before this restore (Restore-WoosooBackup -Id ${safety.id} undoes it).`);
  const undo = `The state before the restore is in backup ${safety.id}: Restore-WoosooBackup -Id ${safety.id} puts it back.`;
  let done = 0;
  let dropped: string[] = [];
  try {
    await inParallel(files, PARALLEL_COPIES, async (a) => {
      ctx.throwIfCancelled();
      await replaceFileAtomically(a.from ?? join(dir, ...a.source.split('/')), a.target, a.sizeBytes, modes[a.source], a.from !== undefined);
      await restrictSecretFile(a.target, ctx);
      if (++done % 50 === 0) ctx.progress({ id: 1, activity: `Restoring backup ${id}`, status: `${done} of ${files.length} files`, percent: (done / files.length) * 80 });
    });
    if (database) {
      ctx.progress({ id: 1, activity: `Restoring backup ${id}`, status: `Importing database ${database.target}`, percent: 80 });
      dropped = await importDatabase(cfg, ctx, database.from ?? join(dir, ...database.source.split('/')));
      if (dropped.length > 0) ctx.log('info', `Dropped ${dropped.length} table(s) created since backup ${id}: ${dropped.join(', ')} (the safety backup ${safety.id} holds them).`);
    }
  } catch (err) {
    if (err instanceof WoosooError && err.errorId !== 'Cancelled') {
      throw new WoosooError(err.errorId, `${err.message}\n${done} of ${files.length} files had been restored. ${undo}`, {
        category: err.category, target: err.targetObject, fix: err.recommendedAction,
      });
    }
    if (ctx.signal.aborted) throw err;
    throw new WoosooError('RestoreFailed', `Restoring backup ${id} failed after ${done} of ${files.length} files: ${(err as Error).message}. ${undo}`, {
      category: 'WriteError', target: id, fix: 'Fix the cause above, then restore again (or restore the safety backup).',
    });
  }
  ctx.progress({ id: 1, activity: `Restoring backup ${id}`, completed: true });
  return { whatIf: false, id, actions: actions.map(publicAction), safetyBackupId: safety.id, tablesDropped: dropped };
}
