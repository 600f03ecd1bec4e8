/**
 * Encrypted parts of a backup, as files: which parts are encrypted, encrypt while copying (the checksum is of the
 * ciphertext, so Test-WoosooBackup needs no key), decrypt into a staging folder (a restore writes nothing into the
 * project before every part it needs has passed its tags), and authenticate without writing (Test-WoosooBackup
 * with a key). All streamed.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { DecryptStream, EncryptStream, type MasterKey } from './crypto';
import { HashingStream, holdsSecrets, type Copied } from './files';
import { OWNER_FILE, TEMP_PREFIX, type BackupMetadata } from './layout';
import { headerLookup, keyMissing, type Keyring, type ResolvedKey } from './keyfile';

const CHUNK = 1024 * 1024;

/** The parts that hold secrets: every .env-like file (deployment.config.env and its overlays, apps' .env), keys, the dump. */
export function isSecretPart(rel: string): boolean {
  return rel.startsWith('database/') || holdsSecrets(rel);
}

/** Copies src to dest encrypted, hashing the ciphertext. `bytes` is the ciphertext's size. */
export async function copyEncrypted(src: string, dest: string, master: MasterKey, signal?: AbortSignal): Promise<Copied> {
  const h = new HashingStream();
  await pipeline(createReadStream(src, { highWaterMark: CHUNK }), new EncryptStream(master), h, createWriteStream(dest, { mode: 0o600, flags: 'wx' }), { signal });
  return { sha256: h.digest(), bytes: h.bytes };
}

/**
 * Decrypts an encrypted part into dest (0600), hashing the plaintext unless `hash` is false (sha256 is then '').
 * dest is removed when a tag fails.
 */
export async function decryptTo(src: string, dest: string, ring: Keyring, name: string, signal?: AbortSignal, hash = true): Promise<Copied> {
  const h = hash ? new HashingStream() : null;
  const decrypt = new DecryptStream(headerLookup(ring), name);
  const out = createWriteStream(dest, { mode: 0o600, flags: 'wx' });
  try {
    const read = createReadStream(src, { highWaterMark: CHUNK });
    await (h ? pipeline(read, decrypt, h, out, { signal }) : pipeline(read, decrypt, out, { signal }));
  } catch (err) {
    await rm(dest, { force: true });
    throw err;
  }
  return h ? { sha256: h.digest(), bytes: h.bytes } : { sha256: '', bytes: out.bytesWritten };
}

/** Checks every tag of a part, writing nothing. */
export async function authenticate(src: string, ring: Keyring, name: string, signal?: AbortSignal): Promise<void> {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  await pipeline(createReadStream(src, { highWaterMark: CHUNK }), new DecryptStream(headerLookup(ring), name), sink, { signal });
}

/** The keyring that opens this backup, checked against its metadata before any part is read; BackupKeyMissing/Wrong. */
export async function keyFor(meta: BackupMetadata, resolved: ResolvedKey, what: string): Promise<Keyring> {
  const enc = meta.encryption!;
  if (!resolved.ring) throw keyMissing(what, enc.key_id, resolved.unavailable ? ` (${resolved.unavailable})` : '');
  await resolved.ring.open(enc.key_id, enc.scrypt).catch((err: unknown) => {
    if (err instanceof WoosooError) throw new WoosooError(err.errorId, err.message.replace(/^It /, `${what} `), { category: err.category, target: err.targetObject, fix: err.recommendedAction });
    throw err;
  });
  return resolved.ring;
}

/** A staging folder in the backups root for decrypted parts (a .tmp- folder with an owner: cleared if abandoned). */
export async function makeStage(root: string): Promise<string> {
  const dir = join(root, `${TEMP_PREFIX}restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { mode: 0o700 });
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** Decrypts a part of backup `dir` into the stage at the same relative path (hashed only when asked). */
export async function stagePart(dir: string, stage: string, rel: string, ring: Keyring, ctx: Pick<RequestContext, 'signal'>, hash: boolean): Promise<Copied & { path: string }> {
  const dest = join(stage, ...rel.split('/'));
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  const c = await decryptTo(join(dir, ...rel.split('/')), dest, ring, rel, ctx.signal, hash);
  return { ...c, path: dest };
}
