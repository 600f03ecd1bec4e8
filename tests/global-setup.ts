/**
 * Once per test run: builds the engine bundle (wire and end-to-end tests spawn bin/woosoo-engine.cjs); in the Windows
 * tier also the win-x64 release package (its executable included), unpacked as the module that tier imports
 * (tests/support/winmodule.ts).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// @ts-expect-error a plain .mjs module
import { releasePlatform } from '../scripts/release.mjs';
import { stageWindowsModule, WINDOWS_TIER_EXECUTABLE } from './support/winmodule';

export default function setup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.env.WOOSOO_E2E_TIER === 'windows' && WINDOWS_TIER_EXECUTABLE) {
    stageWindowsModule(releasePlatform('win-x64', { log: (m: string) => console.error(`global setup: ${m}`) }).nupkg);
  }
}
