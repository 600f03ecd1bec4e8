/**
 * Once per test run: builds the engine bundle (wire and end-to-end tests spawn bin/woosoo-engine.cjs); in the Windows
 * tier also the Windows executable, staged in a copy of the module that tier imports (tests/support/winmodule.ts).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// @ts-expect-error a plain .mjs module
import { packageTarget } from '../scripts/package.mjs';
import { stageWindowsModule, WINDOWS_TIER_EXECUTABLE } from './support/winmodule';

export default function setup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.env.WOOSOO_E2E_TIER === 'windows' && WINDOWS_TIER_EXECUTABLE) {
    stageWindowsModule(packageTarget('win-x64', (m: string) => console.error(`global setup: ${m}`)));
  }
}
