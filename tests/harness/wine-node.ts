// The suites that run the Windows tier's node.exe (and nssm64.exe) in their own Wine prefix: what they need, and
// the describe() that skips with the reason where it is missing — or, under CI=true (where scripts/setup.sh provides
// all three), fails with it.
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { hasNssm, missingTools, skipUnless } from './tools';
import { IN_CI, prefixPath, winPwsh } from '../support/winpwsh';

/** The Windows tier's node.exe (scripts/setup-windows-tier.sh). */
export const WINE_NODE_EXE = winPwsh.available ? prefixPath('C:\\Program Files\\nodejs\\node.exe') : '';

/** Why Wine, nssm64.exe or the tier's node.exe is missing; undefined when all are there. */
export const wineNodeMissing = missingTools('wine', 'wineserver', 'wineboot')
  ?? (hasNssm() ? undefined : 'nssm64.exe missing (run bash scripts/setup.sh)')
  ?? (!winPwsh.available ? winPwsh.reason : existsSync(WINE_NODE_EXE) ? undefined : `node.exe missing at ${WINE_NODE_EXE} (run bash scripts/setup.sh)`);

export function describeWineNode(title: string, opts: { timeout: number }, body: () => void): void {
  if (wineNodeMissing && IN_CI) {
    describe(title, () => {
      it('has Wine, nssm64.exe and node.exe, which CI=true requires', () => {
        throw new Error(wineNodeMissing);
      });
    });
    return;
  }
  describe.skipIf(skipUnless(!wineNodeMissing, wineNodeMissing ?? ''))(title, opts, body);
}
