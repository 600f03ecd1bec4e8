// PWA_ENABLED=false, for a project without a PWA (issue 15: "a project with no PWA still gets a .env written into the
// missing PWA folder", and its build then fails): nothing is built, rendered or required there, and nginx serves only
// the API and websockets.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planBuilds } from '../../core/build';
import { loadProject } from '../../core/config';
import { validateConfig } from '../../core/config/validate';
import { evaluateFolders, probeFolders } from '../../core/preflight/app';
import { syncConfig } from '../../core/sync';
import { testContext } from '../sync/fixtures';

const BASE = ['ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'DB_HOST=127.0.0.1', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', "DB_PASSWORD='Pwa-off-Pw#1'",
  'HTTP_PORT=8088', 'BACKEND_PORT=8001', 'REVERB_PORT=8081', 'REVERB_APP_KEY=pwa-off-reverb-key', 'REVERB_APP_SECRET=pwa-off-reverb-secret', 'PWA_PATH=apps/no-pwa'];

describe('PWA_ENABLED=false', () => {
  let dir: string;
  const env = process.env as Record<string, string>;
  const load = (lines: string[]) => {
    writeFileSync(join(dir, 'deployment.config.env'), `${[...BASE, ...lines].join('\n')}\n`);
    return loadProject(dir, { env, cwd: dir });
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsnopwa-'));
    mkdirSync(join(dir, 'apps/woosoo-nexus'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the missing PWA folder is fine: no PathMissing, the app folders check passes; with the PWA on it fails', async () => {
    const off = load(['PWA_ENABLED=false']);
    expect(validateConfig(off).map((p) => p.rule)).not.toContain('PathMissing');
    const pc = { cfg: off } as Parameters<typeof probeFolders>[0];
    expect(evaluateFolders(await probeFolders(pc), pc).status).toBe('Pass');
    const on = load([]);
    const pcOn = { cfg: on } as Parameters<typeof probeFolders>[0];
    expect(evaluateFolders(await probeFolders(pcOn), pcOn)).toMatchObject({ status: 'Fail', actual: 'missing: PWA_PATH' });
  });

  it('no PWA build, no PWA .env, and nginx answers 404 outside the API', async () => {
    const cfg = load(['PWA_ENABLED=false']);
    const pwa = planBuilds(cfg, { env, skipTests: true }).find((p) => p.app === 'pwa')!;
    expect(pwa.skipped).toBe('PWA_ENABLED is false: the project has no PWA.');
    const changes = await syncConfig(cfg, testContext(dir), { whatIf: false, backup: false });
    expect(changes.map((c) => c.app)).toEqual(['backend', 'nginx']);
    expect(existsSync(join(dir, 'apps/no-pwa'))).toBe(false);
    const nginx = readFileSync(join(dir, 'configs', 'nginx.conf'), 'utf8');
    expect(nginx).not.toMatch(/^\s*root /m);
    expect(nginx).toMatch(/location \/ \{\s*return 404;\s*\}/);
    expect(nginx).toContain('location /api/');
  });
});
