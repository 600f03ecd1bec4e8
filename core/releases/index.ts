/**
 * The releases domain (DEPLOY_STRATEGY=BlueGreen): the live colour and release (live.ts), the release folders
 * (tree.ts), and the retention of old releases. The deploy builds on it; services, health and sync use liveConfig.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import { readLive, releasesRoot } from './live';
import { removeRelease } from './tree';

export { blueGreen, liveConfig, livePath, otherColour, readLive, releaseDirs, releasesRoot, slotConfig, writeLive } from './live';
export type { Colour, LiveState } from './live';
export { makeAppRelease, removeRelease, type AppRelease } from './tree';

/** The release folders on disk (named by their deployment's id: isId is the deploy domain's test), newest first. */
export function listReleases(cfg: ProjectConfig, isId: RegExp): string[] {
  const root = releasesRoot(cfg);
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((n) => isId.test(n)).sort().reverse();
}

/**
 * Keeps the newest DEPLOY_KEEP_RELEASES release folders and deletes the others, never the live one or those named
 * in keep (the release a switch back needs). Returns the ids deleted.
 */
export async function pruneReleases(cfg: ProjectConfig, keep: readonly string[], isId: RegExp): Promise<string[]> {
  const max = cfg.num('DEPLOY_KEEP_RELEASES');
  const live = readLive(cfg).releaseId;
  const protectedIds = new Set([...keep, ...(live ? [live] : [])]);
  const removed: string[] = [];
  for (const [i, id] of listReleases(cfg, isId).entries()) {
    if (i < max || protectedIds.has(id)) continue;
    await removeRelease(join(releasesRoot(cfg), id));
    removed.push(id);
  }
  return removed;
}
