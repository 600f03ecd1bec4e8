/**
 * Replacing a file so that a reader sees the old content or the new one, never half of it: write a temp file in
 * the same folder, flush it to disk, set its permissions, rename it over the target. Files that hold secrets get
 * 0600 on Unix; on Windows an ACL for Administrators, SYSTEM and the current user (icacls, through runIcacls in core/process/icacls.ts).
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { icaclsArgs, runIcacls } from '../process/icacls';
import { pidAlive } from '../process/pid';

export interface WriteOptions {
  /** The file holds secrets: owner-only permissions. */
  secret: boolean;
}

/** The file a write should replace: the target of a symlink, so the link stays a link. */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

export async function writeFileAtomic(path: string, content: string, opts: WriteOptions, ctx: Pick<RequestContext, 'env' | 'signal'>): Promise<void> {
  const target = resolveTarget(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.woosoo-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = opts.secret ? 0o600 : existingMode(target) ?? 0o644;
  try {
    mkdirSync(dir, { recursive: true });
    removeAbandonedTemps(dir, basename(target));
    const fd = openSync(tmp, 'wx', mode);
    try {
      if (process.platform !== 'win32') fchmodSync(fd, mode); // exactly this mode, whatever the umask
      const buf = Buffer.from(content, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (process.platform === 'win32' && opts.secret) await restrictWindowsAcl(tmp, ctx);
    await renameWithRetry(tmp, target);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* the folder itself is the problem: there is no temp file */
    }
    if (err instanceof WoosooError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new WoosooError('SyncWriteFailed', `Cannot write ${target}: ${e.message}`, {
      category: e.code === 'EACCES' || e.code === 'EPERM' ? 'PermissionDenied' : 'WriteError',
      target,
      fix: e.code === 'ENOSPC' ? 'Free disk space on that drive, then run the command again.' : 'Check that the folder exists and is writable by this user (and not read-only), then run the command again.',
      cause: err,
    });
  }
}

/** Temp files of an earlier write that was killed half-way (their process is gone): removed before writing. */
function removeAbandonedTemps(dir: string, name: string): void {
  const prefix = `.${name}.woosoo-`;
  for (const entry of readdirSync(dir)) {
    const m = entry.startsWith(prefix) ? /^(\d+)-[0-9a-f]+\.tmp$/.exec(entry.slice(prefix.length)) : null;
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    rmSync(join(dir, entry), { force: true });
  }
}

/**
 * On Windows a rename over a file that another process has open (an editor, a virus scanner, nginx reading it)
 * fails for a moment with EPERM/EACCES/EBUSY: retry for about a second before giving up.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 20 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function restrictWindowsAcl(file: string, ctx: Pick<RequestContext, 'env' | 'signal'>): Promise<void> {
  const why = await runIcacls(icaclsArgs(file, ctx.env), ctx, 30_000);
  if (why) {
    throw new WoosooError('SyncAclFailed', `icacls could not restrict ${file}: ${why}`, {
      category: 'PermissionDenied', target: file, fix: 'Run PowerShell as an administrator or as the owner of the project folder.',
    });
  }
}
