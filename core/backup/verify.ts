/**
 * Verifying a backup: checksums.sha256 must list every file of the folder and nothing else, each file must have
 * its listed hash, metadata.json must be valid and name this backup, and no path (in the checksums or the
 * metadata) may point outside the backup or the project. All problems are collected, none stops the check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import type { Keyring } from './keyfile';
import { authenticate } from './parts';
import { hashFile, hashFileSync, inParallel, parseChecksums, walkFiles } from './files';
import { CHECKSUM_FILE, METADATA_FILE, readMetadata, type BackupMetadata } from './layout';

export interface Verification {
  id: string;
  path: string;
  valid: boolean;
  filesChecked: number;
  problems: string[];
  /** The metadata when it could be read and is valid. */
  meta?: BackupMetadata;
  /** rel → sha256 of every listed file. */
  checksums: Map<string, string>;
  /** Every encrypted part passed its tags with the key given (false: not encrypted, or not checked). */
  authenticated: boolean;
}

/** Everything but the hashing: the listing, the metadata, the paths. */
function inspect(dir: string, id: string): { v: Verification; toHash: string[] } {
  const v: Verification = { id, path: dir, valid: false, filesChecked: 0, problems: [], checksums: new Map(), authenticated: false };
  const toHash: string[] = [];
  const sumsFile = join(dir, CHECKSUM_FILE);
  if (!existsSync(sumsFile)) {
    v.problems.push(`${CHECKSUM_FILE} is missing: the backup cannot be verified.`);
  } else {
    const parsed = parseChecksums(readFileSync(sumsFile, 'utf8'), CHECKSUM_FILE);
    v.problems.push(...parsed.problems);
    v.checksums = parsed.entries;
  }
  const onDisk = new Set(walkFiles(dir, (rel, why) => v.problems.push(`${rel} is ${why}; a backup holds only regular files.`)));
  onDisk.delete(CHECKSUM_FILE);
  for (const rel of v.checksums.keys()) {
    if (onDisk.has(rel)) toHash.push(rel);
    else v.problems.push(`${rel} is listed in ${CHECKSUM_FILE} but missing.`);
  }
  for (const rel of onDisk) {
    if (!v.checksums.has(rel)) v.problems.push(`${rel} is in the backup folder but not in ${CHECKSUM_FILE}.`);
  }
  if (existsSync(sumsFile) && !v.checksums.has(METADATA_FILE)) v.problems.push(`${METADATA_FILE} is not listed in ${CHECKSUM_FILE}.`);
  const m = readMetadata(dir, id);
  if (m.ok) {
    v.meta = m.meta;
    for (const part of m.meta.encryption?.parts ?? []) {
      if (!v.checksums.has(part)) v.problems.push(`The encrypted part ${part} named in ${METADATA_FILE} is not in ${CHECKSUM_FILE}.`);
    }
    if (m.meta.database && !v.checksums.has(m.meta.database.file)) {
      v.problems.push(`The database dump ${m.meta.database.file} named in ${METADATA_FILE} is not in ${CHECKSUM_FILE}.`);
    }
  } else {
    v.problems.push(m.problem);
  }
  return { v, toHash };
}

function compare(v: Verification, rel: string, actual: string): void {
  v.filesChecked++;
  if (actual !== v.checksums.get(rel)) v.problems.push(`${rel} does not match its checksum: it was changed or damaged after the backup was made.`);
}

function finish(v: Verification): Verification {
  v.valid = v.problems.length === 0;
  if (!v.valid) v.meta = v.problems.some((p) => p.startsWith(METADATA_FILE)) ? undefined : v.meta;
  return v;
}

/** Verifies synchronously (small backups, or callers that cannot await). */
export function verifyDirSync(dir: string, id: string): Verification {
  const { v, toHash } = inspect(dir, id);
  for (const rel of toHash) compare(v, rel, hashFileSync(join(dir, ...rel.split('/'))).sha256);
  return finish(v);
}

/** Verifies with streamed hashing, progress and cancellation. */
export async function verifyDir(dir: string, id: string, ctx: Pick<RequestContext, 'signal' | 'progress'>): Promise<Verification> {
  const { v, toHash } = inspect(dir, id);
  let i = 0;
  for (const rel of toHash) {
    compare(v, rel, (await hashFile(join(dir, ...rel.split('/')), ctx.signal)).sha256);
    if (++i % 50 === 0) ctx.progress({ id: 2, activity: `Verifying backup ${id}`, status: `${i} of ${toHash.length} files`, percent: (i / toHash.length) * 100 });
  }
  ctx.progress({ id: 2, activity: `Verifying backup ${id}`, completed: true });
  return finish(v);
}

/**
 * With the key: decrypts every encrypted part to nowhere, so each chunk's tag is checked (a part changed and its
 * checksum line forged with it fails here). A wrong key is an error (BackupKeyWrong), a failed tag a problem.
 */
export async function authenticateParts(v: Verification, ring: Keyring, ctx: Pick<RequestContext, 'signal'>): Promise<Verification> {
  const parts = v.meta?.encryption?.parts ?? [];
  if (!v.meta || parts.length === 0) return v;
  await ring.open(v.meta.encryption!.key_id, v.meta.encryption!.scrypt);
  await inParallel(parts.filter((rel) => v.checksums.has(rel)), 4, async (rel) => {
    try {
      await authenticate(join(v.path, ...rel.split('/')), ring, rel, ctx.signal);
    } catch (err) {
      if (!(err instanceof WoosooError) || err.errorId !== 'BackupPartTampered') throw err;
      v.problems.push(err.message);
    }
  });
  v.problems.sort();
  v.authenticated = v.problems.length === 0;
  return finish(v);
}
