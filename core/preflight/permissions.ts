/**
 * The Permissions category: can Woosoo write where it must (the project folder, logs/, backups/, configs/, certs/)?
 * Tested by really creating and removing a file, because access() lies for Administrators/root and about ACLs,
 * read-only mounts and immutable folders.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Outcome, ProbeContext } from './types';

/** The folders Woosoo writes to, relative to the project folder ('' = the project folder itself). */
export const WRITABLE_FOLDERS = ['', 'logs', 'backups', 'configs', 'certs'] as const;

export interface WriteProbe {
  folder: string;
  /** The folder actually tested: the folder, or its nearest existing parent when it does not exist yet. */
  tested: string;
  exists: boolean;
  error?: string;
}

async function tryWrite(dir: string): Promise<string | undefined> {
  const file = join(dir, `.woosoo-preflight-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(file, 'preflight', { flag: 'wx' });
  } catch (err) {
    return (err as Error).message;
  }
  await unlink(file).catch(() => undefined);
  return undefined;
}

export function probeWrite(pc: ProbeContext, name: string): Promise<WriteProbe> {
  return probeWritable(name ? join(pc.cfg.projectDir, name) : pc.cfg.projectDir);
}

/** Creates and removes a file in the folder (or in its nearest existing parent, where it would be created). */
export async function probeWritable(folder: string): Promise<WriteProbe> {
  if (existsSync(folder)) {
    if (!statSync(folder).isDirectory()) return { folder, tested: folder, exists: true, error: 'it is a file, not a folder' };
    return { folder, tested: folder, exists: true, error: await tryWrite(folder) };
  }
  let parent = dirname(folder);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) return { folder, tested: parent, exists: false, error: `${parent} is a file, not a folder` };
  return { folder, tested: parent, exists: false, error: await tryWrite(parent) };
}

export function evaluateWrite(p: WriteProbe): Outcome {
  const expected = 'writable';
  if (!p.error) {
    return p.exists
      ? { status: 'Pass', expected, actual: 'writable', message: `${p.folder} is writable.` }
      : { status: 'Pass', expected, actual: 'will be created', message: `${p.folder} does not exist yet; it will be created in ${p.tested}, which is writable.` };
  }
  return {
    status: 'Fail', expected, actual: 'not writable',
    message: `Woosoo cannot write in ${p.tested}: ${p.error}.`,
    fix: process.platform === 'win32'
      ? `Give the account that runs Woosoo "Modify" rights on ${p.tested} (icacls "${p.tested}" /grant "%USERNAME%:(OI)(CI)M"), or run as Administrator.`
      : `Make ${p.tested} writable for the user running Woosoo (chown/chmod; check that the file system is not mounted read-only and the folder is not immutable: lsattr -d).`,
  };
}
