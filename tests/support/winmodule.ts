/**
 * The module the Windows tier imports: a copy of the module folder whose bin/ holds woosoo-engine.exe (the single
 * executable, `npm run package`) and no bundle, so every end-to-end suite in that tier runs the engine as an installed
 * Woosoo runs it on Windows: the executable started by PowerShell for Windows, over Windows pipes (issue 16).
 * WOOSOO_WINDOWS_ENGINE=node keeps the source tree's module (bin/woosoo-engine.cjs run by node.exe) instead.
 * tests/global-setup.ts stages it once per run, after the build; the tests only read where it is.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './engine';

export const WINDOWS_MODULE_DIR = join(ROOT, '.cache', 'windows-tier', 'module', 'Woosoo');

/** Whether the Windows tier runs the executable (the default) or the bundle under node.exe. */
export const WINDOWS_TIER_EXECUTABLE = process.env.WOOSOO_WINDOWS_ENGINE !== 'node';

/** What of the source tree is not the module: the engine's sources, the tests, the build's and the tools' folders. */
const NOT_MODULE = new Set(['.git', '.cache', '.tools', '.ci', 'node_modules', 'dist', 'bin', 'core', 'tests', 'bench', 'examples',
  'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'vitest.config.ts']);

/** Copies the module with `exe` as its engine to WINDOWS_MODULE_DIR (anew each run: the module's files may have changed). */
export function stageWindowsModule(exe: string): string {
  rmSync(WINDOWS_MODULE_DIR, { recursive: true, force: true });
  mkdirSync(join(WINDOWS_MODULE_DIR, 'bin'), { recursive: true });
  for (const entry of readdirSync(ROOT)) {
    if (!NOT_MODULE.has(entry) && !entry.startsWith('.')) cpSync(join(ROOT, entry), join(WINDOWS_MODULE_DIR, entry), { recursive: true });
  }
  cpSync(join(ROOT, 'bin', 'engine-launch.json'), join(WINDOWS_MODULE_DIR, 'bin', 'engine-launch.json'));
  cpSync(exe, join(WINDOWS_MODULE_DIR, 'bin', 'woosoo-engine.exe'));
  return join(WINDOWS_MODULE_DIR, 'Woosoo.psd1');
}

/** The staged manifest when the Windows tier runs the executable and global setup staged it, else null. */
export function stagedWindowsManifest(): string | null {
  const manifest = join(WINDOWS_MODULE_DIR, 'Woosoo.psd1');
  return WINDOWS_TIER_EXECUTABLE && existsSync(join(WINDOWS_MODULE_DIR, 'bin', 'woosoo-engine.exe')) ? manifest : null;
}
