/**
 * The release folders of blue/green deploys: releases/<id>/backend and /pwa, made from the app folders (what the
 * admin checked out) while the live release keeps serving.
 *
 * - Dependencies (vendor/, node_modules/) are not copied: their files are hard links to the live release's (or,
 *   the first time, the app folder's), so an unchanged vendor/ costs no space and little time. Composer and npm
 *   replace a package by deleting its folder and writing new files, which leaves the other release's links
 *   alone; the few files they rewrite in place (vendor/composer/, vendor/autoload.php, vendor/bin/,
 *   node_modules/.package-lock.json) are copied instead. Where links are impossible (another volume) files are copied.
 * - State that must survive releases is shared, not copied: the backend's storage/ (uploads, logs, sessions) is a
 *   link to the app folder's storage/, a symbolic link on Linux and a directory junction on Windows (junctions need
 *   no privilege; symbolic links do).
 * - The .env files come from the live release (what serves now, with any key set by hand), and the deploy's Sync
 *   step then renders the managed keys into them. They are files, and Windows cannot link a file for everyone, so
 *   each release has its own copy: switching back to a release gets the .env that went with its code.
 * - bootstrap/cache's *.php files are left out: they hold the absolute paths of the folder they were made in.
 */
import { copyFile, link, mkdir, readdir, readlink, rm, symlink, unlink } from 'node:fs/promises';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { WoosooError } from '../kernel/errors';

/** Top-level folders never copied from an app folder into a release. */
const NOT_COPIED = new Set(['.git', 'vendor', 'node_modules', 'storage']);
/** Dependency folders: hard links, not copies. */
export const DEPENDENCY_DIRS = ['vendor', 'node_modules'];
/** Files under the dependency folders that package managers rewrite in place: copied, never linked. */
const REWRITTEN = /^(vendor[\\/](composer[\\/]|autoload\.php$|bin[\\/])|node_modules[\\/]\.package-lock\.json$)/;

export interface TreeCount {
  copied: number;
  linked: number;
}

export interface AppRelease {
  app: 'backend' | 'pwa';
  /** Where the code came from (the app folder, or the live release for an app this deploy does not build). */
  from: string;
  /** Where its dependencies were linked from. */
  dependenciesFrom: string;
  dir: string;
  copied: number;
  linked: number;
  /** The shared folders linked into it (storage → the app folder's storage). */
  shared: string[];
}

async function copyTree(from: string, to: string, rel: string, count: TreeCount, opts: { linkDeps: boolean; skipTop?: Set<string> }, signal: AbortSignal): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    signal.throwIfAborted();
    const r = rel ? `${rel}${sep}${entry.name}` : entry.name;
    if (!rel && opts.skipTop?.has(entry.name)) continue;
    if (/^bootstrap[\\/]cache[\\/][^\\/]+\.php$/.test(r)) continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isSymbolicLink()) {
      await symlink(await readlink(src), dst).catch(async () => copyFile(src, dst));
      count.copied++;
    } else if (entry.isDirectory()) {
      await copyTree(src, dst, r, count, opts, signal);
    } else if (entry.isFile()) {
      const dep = DEPENDENCY_DIRS.some((d) => r.startsWith(`${d}${sep}`)) && !REWRITTEN.test(r);
      if (dep && opts.linkDeps) {
        try {
          await link(src, dst);
          count.linked++;
          continue;
        } catch {
          /* another volume, or a file system without hard links: copy */
        }
      }
      await copyFile(src, dst);
      count.copied++;
    }
  }
}

/** A link to a shared folder: a junction on Windows (no privilege needed), a symbolic link elsewhere. */
export async function linkShared(target: string, at: string): Promise<void> {
  try {
    await symlink(target, at, process.platform === 'win32' ? 'junction' : 'dir');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new WoosooError('ReleaseLinkFailed', `The release's ${basename(at)}/ could not be linked to the shared ${target} (${process.platform === 'win32' ? 'a directory junction' : 'a symbolic link'}): ${e.message}`, {
      category: 'WriteError', target: at,
      fix: process.platform === 'win32'
        ? 'Keep DEPLOY_RELEASES_PATH and the app folders on a local NTFS volume (junctions need one), or set DEPLOY_STRATEGY=InPlace.'
        : 'Keep DEPLOY_RELEASES_PATH on a file system with symbolic links, or set DEPLOY_STRATEGY=InPlace.',
    });
  }
}

export interface MakeAppOptions {
  app: 'backend' | 'pwa';
  /** The app folder as configured (the code to build, and the backend's shared storage/). */
  source: string;
  /** The live app folder (a release's, or the app folder itself). */
  live: string;
  dest: string;
  /** This deploy builds the app: its code comes from the app folder. Otherwise the live release's is carried over. */
  build: boolean;
  signal: AbortSignal;
}

export async function makeAppRelease(o: MakeAppOptions): Promise<AppRelease> {
  const count: TreeCount = { copied: 0, linked: 0 };
  const from = o.build || !existsSync(o.live) ? o.source : o.live;
  await copyTree(from, o.dest, '', count, { linkDeps: true, skipTop: NOT_COPIED }, o.signal);
  const depsFrom = existsSync(o.live) ? o.live : o.source;
  for (const d of DEPENDENCY_DIRS) {
    if (existsSync(join(depsFrom, d))) await copyTree(join(depsFrom, d), join(o.dest, d), d, count, { linkDeps: true }, o.signal);
  }
  // The live release's .env (keys set by hand survive), else the app folder's; Sync renders the managed keys next.
  for (const name of ['.env']) {
    const live = join(o.live, name);
    if (existsSync(live) && o.live !== from) await copyFile(live, join(o.dest, name));
  }
  const shared: string[] = [];
  if (o.app === 'backend' && existsSync(join(o.source, 'storage'))) {
    await linkShared(join(o.source, 'storage'), join(o.dest, 'storage'));
    shared.push('storage');
  }
  return { app: o.app, from, dependenciesFrom: depsFrom, dir: o.dest, ...count, shared };
}

/** Deletes a release folder; its links to shared folders are removed first, so nothing shared is touched. */
export async function removeRelease(root: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const app of readdirSync(root)) {
    for (const name of ['storage']) {
      const p = join(root, app, name);
      try {
        if (lstatSync(p).isSymbolicLink()) await unlink(p);
      } catch {
        /* not there */
      }
    }
  }
  await rm(root, { recursive: true, force: true });
}
