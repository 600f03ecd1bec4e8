/**
 * The module the Windows tier imports: the win-x64 release package itself (`npm run package`:
 * dist/release/win-x64/Woosoo.<version>.nupkg, woosoo-engine.exe in its bin/ and no bundle), unpacked as
 * Install-PSResource lays it out, its files checked against its SHA256SUMS. So every end-to-end suite in that tier,
 * NSSM's included, runs the Windows package as an installed Woosoo runs on Windows: the executable started by
 * PowerShell for Windows, over Windows pipes (issue 16). WOOSOO_WINDOWS_ENGINE=node keeps the source tree's module
 * (bin/woosoo-engine.cjs run by node.exe) instead. tests/global-setup.ts unpacks it once per run, after the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { ROOT } from './engine';

export const WINDOWS_MODULE_DIR = join(ROOT, '.cache', 'windows-tier', 'module', 'Woosoo');

/** Whether the Windows tier runs the package's executable (the default) or the bundle under node.exe. */
export const WINDOWS_TIER_EXECUTABLE = process.env.WOOSOO_WINDOWS_ENGINE !== 'node';

/** A nupkg's own files, which Install-PSResource does not install. */
const NUGET_METADATA = /^(\[Content_Types\]\.xml|_rels\/|package\/|[^/]+\.nuspec$)/;

/**
 * Unpacks `nupkg` into WINDOWS_MODULE_DIR (anew each run) as Install-PSResource does (entry names are
 * percent-encoded in a NuGet package), then checks every file against the package's SHA256SUMS. Returns the manifest.
 */
export function stageWindowsModule(nupkg: string): string {
  rmSync(WINDOWS_MODULE_DIR, { recursive: true, force: true });
  const entries = unzipSync(readFileSync(nupkg));
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/') || NUGET_METADATA.test(name)) continue;
    const file = join(WINDOWS_MODULE_DIR, ...decodeURIComponent(name).split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
  const sums = readFileSync(join(WINDOWS_MODULE_DIR, 'SHA256SUMS'), 'utf8').trim().split('\n');
  const wrong = sums.map((line) => /^([0-9a-f]{64}) {2}(.+)$/.exec(line)).filter((m) => !m
    || createHash('sha256').update(readFileSync(join(WINDOWS_MODULE_DIR, m[2]))).digest('hex') !== m[1]);
  if (wrong.length > 0 || sums.length < 50) throw new Error(`${nupkg}: ${wrong.length} file(s) differ from its SHA256SUMS (${sums.length} listed)`);
  return join(WINDOWS_MODULE_DIR, 'Woosoo.psd1');
}

/** The unpacked manifest when the Windows tier runs the package and global setup unpacked it, else null. */
export function stagedWindowsManifest(): string | null {
  const manifest = join(WINDOWS_MODULE_DIR, 'Woosoo.psd1');
  return WINDOWS_TIER_EXECUTABLE && existsSync(join(WINDOWS_MODULE_DIR, 'bin', 'woosoo-engine.exe')) ? manifest : null;
}
