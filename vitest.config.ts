import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Real components (MariaDB, Wine, PM2) are shared per file; two cores: keep files in parallel but bounded.
    maxWorkers: 2,
    globalSetup: ['tests/global-setup.ts'],
    reporters: ['default'],
  },
});
