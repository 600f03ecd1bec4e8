/**
 * File work for backups, all streamed (memory stays flat whatever the size): copy while hashing, hash a file
 * (async and sync), walk a tree, checksums.sha256 in sha256sum's own format, atomic replace of a file, and
 * restricted permissions for folders and files that hold secrets.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants as fsConstants, createReadStream, createWriteStream, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { icaclsArgs, runIcacls } from '../process/icacls';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { isSafeRelative } from './layout';

const CHUNK = 1024 * 1024;

/** A pass-through that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface Copied {
  sha256: string;
  bytes: number;
}

/** Copies src to dest (created with `mode`), hashing the bytes as they pass. */
export async function copyHashed(src: string, dest: string, mode: number, signal?: AbortSignal): Promise<Copied> {
  const h = new HashingStream();
  await pipeline(createReadStream(src, { highWaterMark: CHUNK }), h, createWriteStream(dest, { mode, flags: 'wx' }), { signal });
  return { sha256: h.digest(), bytes: h.bytes };
}

export async function hashFile(path: string, signal?: AbortSignal): Promise<Copied> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: CHUNK, signal });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function hashFileSync(path: string): Copied {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every regular file under dir, as paths relative to it with forward slashes, sorted; symlinks are reported, not followed. */
export function walkFiles(dir: string, onSkipped?: (rel: string, why: string) => void): string[] {
  const out: string[] = [];
  const visit = (abs: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(join(abs, e.name), r);
      else if (e.isFile()) out.push(r);
      else onSkipped?.(r, e.isSymbolicLink() ? 'a symbolic link' : 'not a regular file');
    }
  };
  visit(dir, '');
  return out;
}

/** Runs fn over items, at most `limit` at a time (file copies overlap reading, hashing and writing). */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ── checksums.sha256: "<hex>  <path>", sha256sum's escaping for \ and newline ────────────────────────────────

export function formatChecksums(entries: ReadonlyMap<string, string>): string {
  const lines: string[] = [];
  for (const rel of [...entries.keys()].sort()) {
    const escaped = /[\\\n]/.test(rel);
    const name = rel.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    lines.push(`${escaped ? '\\' : ''}${entries.get(rel)}  ${name}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface ParsedChecksums {
  entries: Map<string, string>;
  problems: string[];
}

export function parseChecksums(text: string, file: string): ParsedChecksums {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) {
      problems.push(`${file} line ${i + 1} is not "<sha256>  <path>".`);
      return;
    }
    const rel = m[1] ? m[3].replace(/\\(\\|n)/g, (_x, c: string) => (c === 'n' ? '\n' : '\\')) : m[3];
    if (!isSafeRelative(rel)) {
      problems.push(`${file} line ${i + 1} names "${rel}", a path outside the backup folder: rejected.`);
      return;
    }
    if (entries.has(rel)) problems.push(`${file} line ${i + 1} lists ${rel} a second time.`);
    entries.set(rel, m[2].toLowerCase());
  });
  return { entries, problems };
}

// ── writing into the project: atomic, with the right permissions ──────────────────────────────────────────────

/** Names of files that hold secrets: 0600 on Unix. */
export function holdsSecrets(path: string): boolean {
  const name = basename(path).toLowerCase();
  return name === '.env' || name.startsWith('.env.') || name.endsWith('.env') || /\.(pem|key)$/.test(name);
}

/**
 * Replaces target with a copy of src (already verified), atomically: the copy is made next to the target by the
 * operating system's own file copy (copy_file_range / CopyFileEx: no bytes through the engine), its size checked,
 * then renamed over the target. An existing target keeps its permissions; a new one gets 0600 when it holds
 * secrets, else 0644.
 */
/**
 * Puts `src` in place of `target` (a temporary copy renamed over it). Its permissions: `mode` when the backup
 * recorded it, else the existing file's, else 0600 for a file that holds secrets and 0644 for another.
 */
export async function replaceFileAtomically(src: string, target: string, expectedBytes: number, recordedMode?: number, move = false): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  let mode = holdsSecrets(target) ? 0o600 : 0o644;
  try {
    mode = (await stat(target)).mode & 0o777;
  } catch {
    /* a new file */
  }
  if (recordedMode !== undefined) mode = recordedMode;
  const tmp = join(dirname(target), `.${basename(target)}.woosoo-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    // move: src is a decrypted copy of our own (a restore's staging folder): renamed when on the same disk.
    const moved = move && (await rename(src, tmp).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'EXDEV') return false;
      throw err;
    }));
    if (!moved) await copyFile(src, tmp, fsConstants.COPYFILE_EXCL);
    if ((await stat(tmp)).size !== expectedBytes) {
      throw new WoosooError('BackupChanged', `${src} changed after it was verified; ${target} was left as it was.`, {
        category: 'InvalidData', target: src, fix: 'Run Test-WoosooBackup; restore from another backup if this one is damaged.',
      });
    }
    if (process.platform !== 'win32') await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Restricts a backup folder to its owner: 0700 on Unix; on Windows an ACL without inheritance for
 * Administrators, SYSTEM and the current user, inherited by everything inside (icacls).
 */
export async function restrictFolder(dir: string, ctx: Pick<RequestContext, 'env' | 'signal' | 'log'>): Promise<void> {
  if (process.platform !== 'win32') {
    await chmod(dir, 0o700);
    return;
  }
  // The file ACL of Sync-WoosooConfig, with (OI)(CI) so that files and folders created inside inherit it.
  const args = icaclsArgs(dir, ctx.env).map((a) => (/:F$/.test(a) ? `${a.slice(0, -2)}:(OI)(CI)F` : a));
  await icacls(args, dir, ctx);
}

/** On Windows, a restored file that holds secrets gets the same ACL Sync-WoosooConfig gives it. */
export async function restrictSecretFile(file: string, ctx: Pick<RequestContext, 'env' | 'signal' | 'log'>): Promise<void> {
  if (process.platform === 'win32' && holdsSecrets(file)) await icacls(icaclsArgs(file, ctx.env), file, ctx);
}

async function icacls(args: string[], target: string, ctx: Pick<RequestContext, 'env' | 'signal' | 'log'>): Promise<void> {
  const why = await runIcacls(args, ctx, 60_000);
  if (why) ctx.log('warning', `Could not restrict access to ${target}: ${why}`);
}
