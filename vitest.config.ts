import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirst from './tests/support/sequencer';

// Two runs of this config (scripts/test.sh runs one after the other): the default one runs every suite, the end-to-end
// ones in the Linux tier (pwsh for Linux); WOOSOO_E2E_TIER=windows runs the end-to-end suites again in the Windows
// tier (pwsh.exe and node.exe under Wine; docs/testing.md), with the Windows-only ones.
const windows = process.env.WOOSOO_E2E_TIER === 'windows';
const windowsOnly = 'tests/e2e/windows-tier*.e2e.test.ts';

export default defineConfig({
  test: {
    include: windows ? ['tests/**/*.e2e.test.ts'] : ['tests/**/*.test.ts'],
    exclude: windows ? configDefaults.exclude : [...configDefaults.exclude, windowsOnly],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Real components (MariaDB, Wine, PM2) are shared per file; two cores: keep files in parallel but bounded (the
    // Windows tier runs after the Linux run, so it has the machine to itself).
    maxWorkers: 2,
    // The longest files first (tests/timings.json, from scripts/test-timings.mjs after a whole run).
    sequence: { sequencer: LongestFirst },
    globalSetup: ['tests/global-setup.ts'],
    reporters: ['default'],
  },
});
