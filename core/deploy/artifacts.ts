/**
 * What the deploy tracks byte for byte: the files Sync writes (the apps' .env files, configs/nginx.conf) and the
 * small build outputs that carry configuration (the backend's bootstrap/cache, the PWA's .output/public, plus
 * DEPLOY_SNAPSHOT_PATHS). Before the deploy they are hashed (the manifest) and saved in the deploy's backup; the
 * PlaceArtifacts step reports which of them the build changed; a rollback puts them back and deletes the ones that
 * did not exist before. Large dependency folders (vendor/, node_modules/) are rebuilt in place and not tracked.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ProjectConfig } from '../config';
import { hashFile } from '../backup';
import { syncTargets } from '../sync';
import { WoosooError } from '../kernel/errors';

export interface Tracked {
  /** Project-relative paths (forward slashes) of every tracked file that may exist. */
  files: string[];
  /** Project-relative folders whose whole content is tracked. */
  dirs: string[];
}

const rel = (cfg: ProjectConfig, abs: string) => relative(cfg.projectDir, abs).split(/[\\/]/).join('/');

function inside(cfg: ProjectConfig, abs: string): boolean {
  const r = relative(resolve(cfg.projectDir), resolve(abs));
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(p, out);
    else if (st?.isFile()) out.push(p);
  }
}

export function snapshotDirs(cfg: ProjectConfig): string[] {
  const dirs = [join(cfg.path('BACKEND_PATH'), 'bootstrap', 'cache'), join(cfg.path('PWA_PATH'), '.output', 'public')];
  for (const p of cfg.str('DEPLOY_SNAPSHOT_PATHS').split(',').map((s) => s.trim()).filter(Boolean)) {
    const abs = resolve(cfg.projectDir, p);
    if (!inside(cfg, abs)) {
      throw new WoosooError('DeploySnapshotPathOutside', `DEPLOY_SNAPSHOT_PATHS names ${p}, which is outside the project folder ${cfg.projectDir}.`, {
        category: 'InvalidArgument', target: 'DEPLOY_SNAPSHOT_PATHS', fix: 'List only folders or files inside the project folder.',
      });
    }
    dirs.push(abs);
  }
  return dirs.filter((d) => inside(cfg, d));
}

/** The tracked files as they are now (existing files under the snapshot folders, plus every sync target). */
export function trackedNow(cfg: ProjectConfig): Tracked {
  const files = new Set<string>();
  for (const t of syncTargets(cfg)) if (inside(cfg, t.path)) files.add(rel(cfg, t.path));
  const dirs = snapshotDirs(cfg);
  for (const d of dirs) {
    if (existsSync(d) && statSync(d).isFile()) {
      files.add(rel(cfg, d));
      continue;
    }
    const found: string[] = [];
    walk(d, found);
    for (const f of found) files.add(rel(cfg, f));
  }
  return { files: [...files].sort(), dirs: dirs.map((d) => rel(cfg, d)) };
}

/** sha256 of each tracked file that exists; the others are listed as absent. */
export async function manifestOf(cfg: ProjectConfig, t: Tracked, signal?: AbortSignal): Promise<{ manifest: Record<string, string>; absent: string[] }> {
  const manifest: Record<string, string> = {};
  const absent: string[] = [];
  for (const f of t.files) {
    const abs = join(cfg.projectDir, f);
    if (existsSync(abs)) manifest[f] = (await hashFile(abs, signal)).sha256;
    else absent.push(f);
  }
  return { manifest, absent };
}

/** Files created, changed or removed since the manifest was taken (project-relative, with a +/~/- mark). */
export async function changesSince(cfg: ProjectConfig, before: Record<string, string>, dirs: string[], absentBefore: string[], signal?: AbortSignal): Promise<string[]> {
  const now = trackedNow(cfg);
  const paths = new Set([...now.files, ...Object.keys(before), ...absentBefore]);
  const after = await manifestOf(cfg, { files: [...paths].sort(), dirs }, signal);
  const out: string[] = [];
  for (const p of [...paths].sort()) {
    const was = before[p];
    const is = after.manifest[p];
    if (was === undefined && is !== undefined) out.push(`+ ${p}`);
    else if (was !== undefined && is === undefined) out.push(`- ${p}`);
    else if (was !== undefined && is !== was) out.push(`~ ${p}`);
  }
  return out;
}

/** Deletes tracked files that did not exist before the deploy (after the backup put the others back). */
export function removeNewFiles(cfg: ProjectConfig, before: Record<string, string>, dirs: string[], absentBefore: string[]): string[] {
  const removed: string[] = [];
  const candidates = new Set(absentBefore);
  for (const d of dirs) {
    const found: string[] = [];
    walk(join(cfg.projectDir, d), found);
    for (const f of found) candidates.add(rel(cfg, f));
  }
  for (const f of candidates) {
    if (before[f] !== undefined) continue;
    const abs = join(cfg.projectDir, f);
    if (!inside(cfg, abs) || !existsSync(abs)) continue;
    rmSync(abs, { force: true });
    removed.push(f);
  }
  return removed.sort();
}

/** A rename, or a copy and delete when DEPLOY_PATH is on another drive than the app. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

/** The app folders a deploy builds in (the relay only when enabled), project-relative. */
function appDirs(cfg: ProjectConfig): string[] {
  const keys = ['BACKEND_PATH', 'PWA_PATH', ...(cfg.flag('RELAY_ENABLED') ? ['RELAY_PATH'] as const : [])] as const;
  return keys.map((k) => cfg.path(k)).filter((d) => inside(cfg, d)).map((d) => rel(cfg, d));
}

/** The files directly in each app folder (not below: dependencies and uploads live there), by project-relative folder. */
export function appFilesNow(cfg: ProjectConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of appDirs(cfg)) {
    let names: string[] = [];
    try {
      names = readdirSync(join(cfg.projectDir, d), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    } catch {
      /* a missing app folder has no files */
    }
    out[d] = names;
  }
  return out;
}

/**
 * Moves the files a failed deploy made directly in an app folder (a composer.lock its composer install wrote) into
 * `keepDir`/<app folder>/, so the app folder is as it was and nothing is lost. Returns their project-relative paths.
 */
export function moveNewAppFiles(cfg: ProjectConfig, before: Record<string, string[]>, keepDir: string): string[] {
  const moved: string[] = [];
  const now = appFilesNow(cfg);
  for (const [d, names] of Object.entries(now)) {
    const was = before[d];
    if (was === undefined) continue;
    for (const name of names.filter((n) => !was.includes(n))) {
      const dest = join(keepDir, ...d.split('/'), name);
      mkdirSync(join(dest, '..'), { recursive: true });
      moveFile(join(cfg.projectDir, d, name), dest);
      moved.push(`${d}/${name}`);
    }
  }
  return moved;
}
