// REVERB_ENABLED=false, for an app without Reverb (issue 15: "the Reverb service cannot be turned off"): no Reverb
// service, health check, port check or nginx location; its keys are not required; the backend broadcasts to the log.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../core/config';
import { validateConfig } from '../../core/config/validate';
import { healthSpecs } from '../../core/health';
import { stackDefinitions } from '../../core/services';
import { syncConfig } from '../../core/sync';
import { testContext } from '../sync/fixtures';

const BASE = ['ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'DB_HOST=127.0.0.1', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', "DB_PASSWORD='Reverb-off-Pw#1'",
  'HTTP_PORT=8088', 'BACKEND_PORT=8001'];

describe('REVERB_ENABLED=false', () => {
  let dir: string;
  const load = (lines: string[]) => {
    writeFileSync(join(dir, 'deployment.config.env'), `${[...BASE, ...lines].join('\n')}\n`);
    return loadProject(dir, { env: process.env as Record<string, string>, cwd: dir });
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsreverb-'));
    for (const app of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(dir, app), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('needs no Reverb keys, and REVERB_PORT may be any port then; with Reverb on they are required', () => {
    expect(validateConfig(load(['REVERB_ENABLED=false', 'REVERB_PORT=8001'])).filter((p) => p.severity === 'Error')).toEqual([]);
    const on = validateConfig(load([])).filter((p) => p.severity === 'Error').map((p) => `${p.rule} ${p.key}`);
    expect(on).toEqual(['Required REVERB_APP_KEY', 'Required REVERB_APP_SECRET']);
  });

  it('leaves the Reverb service, its health check and its port check out', () => {
    const cfg = load(['REVERB_ENABLED=false']);
    const env = process.env as Record<string, string>;
    expect(stackDefinitions(cfg, env).map((d) => d.key)).toEqual(['queue-worker', 'backend', 'nginx']);
    const names = healthSpecs(cfg, env).map((s) => s.name);
    expect(names).not.toContain('Reverb WebSocket');
    expect(names.filter((n) => /REVERB/.test(n))).toEqual([]);
  });

  it('renders nginx.conf without the websocket location, and the backend .env broadcasting to the log', async () => {
    const cfg = load(['REVERB_ENABLED=false']);
    const ctx = testContext(dir);
    const changes = await syncConfig(cfg, ctx, { whatIf: false, backup: false });
    expect(changes.map((c) => c.app)).toEqual(['backend', 'pwa', 'nginx']);
    const { readFileSync } = await import('node:fs');
    const nginx = readFileSync(join(dir, 'configs', 'nginx.conf'), 'utf8');
    expect(nginx).not.toContain('location ~ ^/apps?/');
    expect(nginx).toContain('location /api/');
    const env = readFileSync(join(dir, 'apps/woosoo-nexus/.env'), 'utf8');
    expect(env).toContain('BROADCAST_DRIVER=log\n');
    expect(env).not.toContain('REVERB_');
    expect(readFileSync(join(dir, 'apps/tablet-ordering-pwa/.env'), 'utf8')).not.toContain('REVERB');
  });
});
