/**
 * One deploy per project at a time: deployments/deploy.lock, created with O_EXCL (two deploys racing cannot both
 * get it). It records host, PID, user, start time and the deployment id. A lock whose process is gone on this host
 * (or, from another host, older than DEPLOY_LOCK_STALE_MINUTES) is stale and taken over with a warning.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { currentUser, deployRoot } from './journal';
import { pidAlive } from '../process/pid';

export const LOCK_FILE = 'deploy.lock';

export interface LockInfo {
  host: string;
  pid: number;
  user: string;
  startedAt: string;
  deployId: string;
}

export function lockPath(cfg: ProjectConfig): string {
  return join(deployRoot(cfg), LOCK_FILE);
}

export function readLock(cfg: ProjectConfig): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath(cfg), 'utf8')) as LockInfo;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unreadable or half-written: treat as a lock of nobody (stale).
    return { host: hostname(), pid: 0, user: '', startedAt: '', deployId: '' };
  }
}

/** Why a lock is stale, or null when its deploy may still be running. */
export function staleReason(cfg: ProjectConfig, lock: LockInfo, now = Date.now()): string | null {
  if (lock.host === hostname()) {
    if (lock.pid === process.pid) return null;
    return pidAlive(lock.pid) ? null : `its process ${lock.pid || '(unknown)'} on ${lock.host} is gone`;
  }
  const ageMin = (now - Date.parse(lock.startedAt)) / 60_000;
  const limit = cfg.num('DEPLOY_LOCK_STALE_MINUTES');
  return Number.isNaN(ageMin) || ageMin > limit ? `it was taken on ${lock.host} more than ${limit} minute(s) ago (DEPLOY_LOCK_STALE_MINUTES)` : null;
}

function describe(l: LockInfo): string {
  return `deployment ${l.deployId || '(unknown)'} by ${l.user || '(unknown user)'} on ${l.host}, PID ${l.pid}, since ${l.startedAt || '(unknown)'}`;
}

/** Takes the lock or throws DeployLocked; a stale lock is taken over with a warning. Returns the stale lock taken over. */
export function acquireLock(cfg: ProjectConfig, ctx: Pick<RequestContext, 'env' | 'log'>, deployId: string): LockInfo | null {
  const file = lockPath(cfg);
  mkdirSync(deployRoot(cfg), { recursive: true, mode: 0o700 });
  const mine: LockInfo = { host: hostname(), pid: process.pid, user: currentUser(ctx.env), startedAt: new Date().toISOString(), deployId };
  let takenOver: LockInfo | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(mine, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      return takenOver;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(cfg);
    if (!held) continue;
    const why = staleReason(cfg, held);
    if (why === null) {
      throw new WoosooError('DeployLocked', `Another deploy holds ${file}: ${describe(held)}. Nothing was changed.`, {
        category: 'ResourceBusy', target: file,
        fix: 'Wait for it to finish (Get-WoosooDeployment shows it). If that process is really gone, delete the lock file.',
      });
    }
    // Move the stale lock aside (atomic), so two deploys taking it over at once cannot both win.
    try {
      renameSync(file, `${file}.stale-${process.pid}`);
      rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch {
      continue;
    }
    takenOver = held;
    ctx.log('warning', `Took over a stale deploy lock (${describe(held)}): ${why}.`);
  }
  throw new WoosooError('DeployLocked', `Could not take ${file}: other deploys keep taking it.`, { category: 'ResourceBusy', target: file, fix: 'Run the deploy again.' });
}

/** Releases the lock if this deployment holds it (or, for Undo, if its holder is gone). */
export function releaseLock(cfg: ProjectConfig, deployId: string): void {
  const held = readLock(cfg);
  if (held && (held.deployId === deployId || staleReason(cfg, held) !== null)) rmSync(lockPath(cfg), { force: true });
}
