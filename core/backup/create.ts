/**
 * Making a backup. Everything is written into backups/.tmp-<id>/ (with the engine's pid in .owner), hashed
 * while it is copied, then metadata.json and checksums.sha256 are written and the folder is renamed to
 * backups/<id>/ in one step. An interrupted backup is never a folder with a backup id: it is a .tmp- folder,
 * ignored by every listing and removed by the next backup once its engine is gone.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { KeyName, ProjectConfig } from '../config';
import { CONFIG_FILE, overlayName, overlaysIn } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { ENGINE_VERSION } from '../kernel/version';
import type { MasterKey } from './crypto';
import { dumpDatabase } from './database';
import { keyMissing, resolveKey, type KeySource } from './keyfile';
import { copyEncrypted, isSecretPart } from './parts';
import { copyHashed, formatChecksums, inParallel, restrictFolder, walkFiles } from './files';
import { pidAlive } from '../process/pid';
import {
  CHECKSUM_FILE, FORMAT_VERSION, METADATA_FILE, OWNER_FILE, TEMP_PREFIX, TRASH_PREFIX, backupRoot, idStem, idWithSuffix, isSafeRelative,
  type BackupMetadata, type Mapping,
} from './layout';

/** The uploads -IncludeFiles copies: BACKUP_STORAGE_PATH, else the backend's storage/app (wherever BACKEND_PATH is). */
export function storagePath(cfg: ProjectConfig): string {
  return cfg.str('BACKUP_STORAGE_PATH').trim() ? cfg.path('BACKUP_STORAGE_PATH') : join(cfg.path('BACKEND_PATH'), 'storage', 'app');
}

export interface CreateOptions {
  description?: string;
  includeDatabase?: boolean;
  includeFiles?: boolean;
  extraFiles?: string[];
  creator?: string;
  /** Where the key comes from; without one, the project's .woosoo/backup.key when it exists. */
  keys?: KeySource;
  /** Encrypt every part, not only those holding secrets (a key is then required). */
  encryptAll?: boolean;
}

/** What a backup encrypts with: the key (null: nothing encrypted) and which parts. */
interface Encryption {
  master: MasterKey | null;
  source: 'KeyFile' | 'Passphrase';
  all: boolean;
  parts: string[];
}

async function encryptionFor(cfg: ProjectConfig, ctx: RequestContext, opts: CreateOptions): Promise<Encryption> {
  const r = resolveKey(cfg, opts.keys ?? {}, ctx);
  if (!r.ring) {
    if (opts.encryptAll) throw keyMissing('-Encrypt was asked for, but the backup', 'none', r.unavailable ? ` (${r.unavailable})` : ' (run New-WoosooBackupKey, or give -KeyFile or -Passphrase)');
    if (r.unavailable) ctx.log('warning', `This backup is not encrypted: ${r.unavailable}.`);
    return { master: null, source: 'KeyFile', all: false, parts: [] };
  }
  return { master: await r.ring.forEncrypt(), source: r.ring.source, all: opts.encryptAll === true, parts: [] };
}

interface Source {
  abs: string;
  /** Path inside the backup. */
  rel: string;
}

export const PARALLEL_COPIES = 4;

/** Project-relative path with forward slashes, or null when p is outside the project. */
export function insideProject(projectDir: string, p: string): string | null {
  const rel = relative(resolve(projectDir), resolve(p));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(/[\\/]/).join('/');
}

function outsideProject(key: string, p: string, projectDir: string): WoosooError {
  return new WoosooError('BackupPathOutsideProject', `${key} (${p}) is outside the project folder ${projectDir}; backups only hold files of the project.`, {
    category: 'InvalidArgument', target: p, fix: `Point ${key} to a folder inside ${projectDir}.`,
  });
}

/** Removes .tmp-/.trash- folders left by engines that are gone (killed half-way through a backup or removal). */
export async function removeAbandoned(root: string, ctx: Pick<RequestContext, 'log'>): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) && !name.startsWith(TRASH_PREFIX)) continue;
    const dir = join(root, name);
    const owner = Number((await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => '')).trim());
    if (owner === process.pid || (owner > 0 && pidAlive(owner))) continue;
    // No owner yet: another engine may have just made the folder; only an old one is abandoned.
    if (!(owner > 0) && Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
    await rm(dir, { recursive: true, force: true });
    ctx.log('verbose', `Removed ${dir}, left by an interrupted backup or removal.`);
    removed.push(name);
  }
  return removed;
}

/** Reserves a fresh id by creating its .tmp- folder (mkdir is atomic: two callers never get the same id). */
async function reserveId(root: string, now: Date): Promise<{ id: string; tmp: string }> {
  const stem = idStem(now);
  for (let n = 1; n < 10_000; n++) {
    const id = idWithSuffix(stem, n);
    if (existsSync(join(root, id))) continue;
    const tmp = join(root, `${TEMP_PREFIX}${id}`);
    try {
      await mkdir(tmp, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await writeFile(join(tmp, OWNER_FILE), String(process.pid));
    return { id, tmp };
  }
  throw new WoosooError('BackupIdExhausted', `Too many backups in one second in ${root}.`, { category: 'LimitsExceeded', target: root });
}

/** What goes into the backup and where each part goes back to. */
async function collect(cfg: ProjectConfig, opts: CreateOptions, ctx: RequestContext, root: string) {
  const project = cfg.projectDir;
  const sources: Source[] = [];
  const mappings: Mapping[] = [];
  const warnings: string[] = [];
  const taken = new Set<string>();
  const add = (abs: string, rel: string) => {
    const key = resolve(abs);
    if (taken.has(key) || insideProject(root, key) !== null) return;
    if (!isSafeRelative(rel)) {
      // A name with a backslash or a control character could not be verified or restored safely.
      ctx.log('warning', `${abs} has a name a backup cannot hold (a backslash or a control character): not in the backup.`);
      return;
    }
    taken.add(key);
    sources.push({ abs: key, rel });
  };

  add(cfg.location.file, `configs/${CONFIG_FILE}`);
  mappings.push({ from: `configs/${CONFIG_FILE}`, to: insideProject(project, cfg.location.file) ?? CONFIG_FILE });
  // The environments' overlays beside it (deployment.config.<environment>.env), all of them: the configuration as a whole.
  for (const env of overlaysIn(cfg.projectDir)) {
    const overlay = join(cfg.projectDir, overlayName(env));
    add(overlay, `configs/${overlayName(env)}`);
    mappings.push({ from: `configs/${overlayName(env)}`, to: insideProject(project, overlay) ?? overlayName(env) });
  }
  const configsDir = join(project, 'configs');
  for (const rel of walkFiles(configsDir)) if (rel !== CONFIG_FILE) add(join(configsDir, rel), `configs/${rel}`);
  mappings.push({ from: 'configs', to: 'configs' });

  const apps: KeyName[] = ['BACKEND_PATH', 'PWA_PATH', ...(cfg.flag('RELAY_ENABLED') ? (['RELAY_PATH'] as const) : [])];
  for (const key of apps) {
    const appDir = cfg.path(key);
    const env = join(appDir, '.env');
    if (!existsSync(env)) continue;
    const rel = insideProject(project, appDir);
    if (rel === null) {
      ctx.log('warning', `${key} (${appDir}) is outside the project folder: its .env is not in the backup.`);
      continue;
    }
    const name = `apps/${basename(appDir)}`;
    if (mappings.some((m) => m.from === name)) continue;
    add(env, `${name}/.env`);
    mappings.push({ from: name, to: rel });
  }

  if (opts.includeFiles) {
    const storage = storagePath(cfg);
    const rel = insideProject(project, storage);
    if (rel === null) throw outsideProject('BACKUP_STORAGE_PATH', storage, project);
    const skipped = (r: string, why: string) => ctx.log('warning', `${join(storage, r)} is ${why}: not in the backup.`);
    const before = sources.length;
    for (const f of walkFiles(storage, skipped)) add(join(storage, f), `files/${f}`);
    if (sources.length === before) {
      // Asked for uploads and found none: said on the object (not Includes: Files) and now, never silently.
      const where = cfg.str('BACKUP_STORAGE_PATH').trim() ? 'BACKUP_STORAGE_PATH' : 'BACKUP_STORAGE_PATH is empty: BACKEND_PATH/storage/app';
      const warning = `-IncludeFiles found no files in ${storage} (${where}${existsSync(storage) ? '' : ', which does not exist'}): the backup holds no uploads.`;
      warnings.push(warning);
      ctx.log('warning', warning);
    } else {
      mappings.push({ from: 'files', to: rel });
    }
  }

  for (const extra of opts.extraFiles ?? []) {
    const rel = insideProject(project, extra);
    if (rel === null) throw outsideProject('An extra file', extra, project);
    if (existsSync(extra) && statSync(extra).isFile()) add(extra, `extra/${rel}`);
  }
  if (sources.some((s) => s.rel.startsWith('extra/'))) mappings.push({ from: 'extra', to: '' });
  return { sources, mappings, warnings };
}

/** Copies the sources into tmp, a few at a time, hashing each; fills `sums`. Returns the bytes copied. */
async function copyAll(sources: Source[], tmp: string, sums: Map<string, string>, modes: Record<string, number>, enc: Encryption, ctx: RequestContext): Promise<number> {
  let bytes = 0;
  let done = 0;
  await inParallel(sources, PARALLEL_COPIES, async (s) => {
    ctx.throwIfCancelled();
    const dest = join(tmp, ...s.rel.split('/'));
    await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
    // The permissions go back with the contents (a rollback once left a 0644 .env at 0600); Windows keeps ACLs.
    if (process.platform !== 'win32') modes[s.rel] = (await stat(s.abs)).mode & 0o7777;
    const encrypt = enc.master !== null && (enc.all || isSecretPart(s.rel));
    if (encrypt) enc.parts.push(s.rel);
    const c = encrypt ? await copyEncrypted(s.abs, dest, enc.master!, ctx.signal) : await copyHashed(s.abs, dest, 0o600, ctx.signal);
    sums.set(s.rel, c.sha256);
    bytes += c.bytes;
    if (++done % 50 === 0 || done === sources.length) {
      ctx.progress({ id: 1, activity: 'Creating backup', status: `${done} of ${sources.length} files`, percent: (done / sources.length) * 90 });
    }
  });
  return bytes;
}

function cannotWrite(err: unknown, root: string): WoosooError {
  const e = err as NodeJS.ErrnoException;
  const full = e.code === 'ENOSPC' || e.code === 'EDQUOT';
  const denied = e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' || e.code === 'ENOTDIR' || e.code === 'EEXIST';
  return new WoosooError(full ? 'BackupDiskFull' : 'BackupWriteFailed',
    `The backup could not be written to ${root}: ${e.message}. Nothing was changed; the partial backup was removed.`, {
      category: full ? 'QuotaExceeded' : denied ? 'PermissionDenied' : 'WriteError', target: root,
      fix: full ? 'Free space on that disk, or set BACKUP_PATH to a disk with room.' : 'Check that BACKUP_PATH is a folder you may write to.',
    });
}

export async function createBackupIn(cfg: ProjectConfig, ctx: RequestContext, opts: CreateOptions): Promise<BackupMetadata> {
  const root = backupRoot(cfg);
  try {
    await mkdir(root, { recursive: true });
    await restrictFolder(root, ctx);
  } catch (err) {
    // A recursive mkdir reports ENOENT for a read-only parent: ask once more without recursion for the real cause.
    throw cannotWrite(await mkdir(root).then(() => err, (plain: unknown) => plain), root);
  }
  await removeAbandoned(root, ctx);
  const now = new Date();
  let reserved: { id: string; tmp: string };
  try {
    reserved = await reserveId(root, now);
  } catch (err) {
    if (err instanceof WoosooError) throw err;
    throw cannotWrite(err, root);
  }
  const { id, tmp } = reserved;
  try {
    ctx.progress({ id: 1, activity: 'Creating backup', status: `${id}: collecting files`, percent: 0 });
    const { sources, mappings, warnings } = await collect(cfg, opts, ctx, root);
    const enc = await encryptionFor(cfg, ctx, opts);
    const sums = new Map<string, string>();
    const modes: Record<string, number> = {};
    let size = await copyAll(sources, tmp, sums, modes, enc, ctx);
    let database: BackupMetadata['database'];
    if (opts.includeDatabase) {
      ctx.progress({ id: 1, activity: 'Creating backup', status: `${id}: dumping database ${cfg.str('DB_DATABASE')}`, percent: 90 });
      const name = `${cfg.str('DB_DATABASE').replace(/[^A-Za-z0-9_.-]/g, '_')}_${id}.sql.gz`;
      const rel = `database/${name}`;
      await mkdir(join(tmp, 'database'), { mode: 0o700 });
      const d = await dumpDatabase(cfg, ctx, join(tmp, 'database', name), enc.master ?? undefined);
      if (enc.master) enc.parts.push(rel);
      sums.set(rel, d.sha256);
      size += d.bytes;
      database = { name: cfg.str('DB_DATABASE'), file: rel, tool: d.tool };
    }
    const meta: BackupMetadata = {
      format: FORMAT_VERSION, id, created_at: now.toISOString(), description: opts.description ?? '',
      environment: cfg.str('ENVIRONMENT'), version: ENGINE_VERSION,
      includes: { configs: true, database: database !== undefined, files: mappings.some((m) => m.from === 'files') },
      size_bytes: size, file_count: sums.size, creator: opts.creator ?? 'New-WoosooBackup', project: cfg.projectDir,
      ...(database ? { database } : {}), mappings, ...(warnings.length ? { warnings } : {}),
      ...(Object.keys(modes).length ? { modes: Object.fromEntries(Object.entries(modes).sort(([a], [b]) => a.localeCompare(b))) } : {}),
      ...(enc.master ? {
        encryption: {
          algorithm: 'AES-256-GCM' as const, part_format: 1 as const, key_id: enc.master.keyId, key_source: enc.source,
          ...(enc.master.scrypt ? { scrypt: enc.master.scrypt } : {}), parts: enc.parts.sort(),
        },
      } : {}),
    };
    const metaText = `${JSON.stringify(meta, null, 2)}\n`;
    await writeFile(join(tmp, METADATA_FILE), metaText, { mode: 0o600 });
    sums.set(METADATA_FILE, createHash('sha256').update(metaText).digest('hex'));
    await writeFile(join(tmp, CHECKSUM_FILE), formatChecksums(sums), { mode: 0o600 });
    await rm(join(tmp, OWNER_FILE));
    ctx.throwIfCancelled();
    await rename(tmp, join(root, id));
    ctx.progress({ id: 1, activity: 'Creating backup', completed: true });
    ctx.log('verbose', `Backup ${id}: ${sums.size} files, ${size} bytes in ${join(root, id)}.`);
    return meta;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    if (err instanceof WoosooError || ctx.signal.aborted) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code && /^E(NOSPC|DQUOT|ACCES|PERM|ROFS|NOTDIR|IO)$/.test(code)) throw cannotWrite(err, root);
    throw err;
  }
}
