// Sync on a fresh copy of the demo stack (examples/demo, tracked files only), read back by the real apps: Laravel 8
// (Debian's framework) loads the rendered .env with its own dotenv and config, the PWA's build reads its .env, and
// nginx -t passes on the rendered nginx.conf. New .env files start from each app's .env.example.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidProject } from '../../core/config';
import { syncConfig, type ConfigChange } from '../../core/sync';
import { ROOT } from '../support/engine';
import { hasTool, missingTools, skipUnless } from '../harness/tools';
import { testContext } from './fixtures';

const NASTY_PASSWORD = `demo P@ss #1 $HOME "q" \\ end`;

describe('sync on a fresh copy of the demo stack', () => {
  let dir: string;
  let changes: ConfigChange[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-sync-demo-'));
    const files = execFileSync('git', ['ls-files', 'examples/demo'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of files) {
      const to = join(dir, f.slice('examples/demo/'.length));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(ROOT, f), to);
    }
    const configFile = join(dir, 'deployment.config.env');
    const text = readFileSync(configFile, 'utf8').replace(/^DB_PASSWORD=.*$/m, `DB_PASSWORD='${NASTY_PASSWORD}'`);
    writeFileSync(configFile, text);
    const ctx = testContext(dir);
    changes = await syncConfig(loadValidProject(dir, ctx), ctx, { whatIf: false });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the three files, the .env files from the apps\' .env.example', () => {
    expect(changes.map((c) => [c.app, c.action])).toEqual([['backend', 'Create'], ['pwa', 'Create'], ['nginx', 'Create']]);
    const env = readFileSync(join(dir, 'apps/woosoo-nexus/.env'), 'utf8');
    // The example's order; its empty APP_KEY filled as key:generate would (32 random bytes), and masked in the diff.
    const key = /^APP_NAME='Woosoo Demo'\nAPP_ENV=production\nAPP_KEY=(base64:[A-Za-z0-9+/]{43}=)\n/.exec(env)?.[1];
    expect(key).toBeDefined();
    expect(Buffer.from(key!.slice(7), 'base64')).toHaveLength(32);
    expect(changes[0].diff).not.toContain(key!.slice(7));
    expect(env).toContain('LOG_CHANNEL=single\n');
    expect(env).toContain('QUEUE_CONNECTION=database\n');
    expect(changes[0].diff).not.toContain('P@ss');
  });

  const laravelReason = missingTools('php', 'composer') ?? '';
  it.skipIf(skipUnless(!laravelReason, laravelReason))('Laravel itself reads the values back exactly (its dotenv and config)', () => {
    const backend = join(dir, 'apps/woosoo-nexus');
    const composer = spawnSync('composer', ['install', '--no-interaction', '--no-progress', '--quiet'], {
      cwd: backend, env: { ...process.env, COMPOSER_ALLOW_SUPERUSER: '1' }, encoding: 'utf8', timeout: 120_000,
    });
    expect(composer.status, composer.stderr).toBe(0);
    const php = [
      "require 'vendor/autoload.php'; $app = require 'bootstrap/app.php';",
      '$app->make(Illuminate\\Contracts\\Console\\Kernel::class)->bootstrap();',
      "echo json_encode([config('app.name'), config('app.url'), config('database.connections.mysql.password'), config('database.connections.mysql.database'), config('database.connections.mysql.port'), env('REVERB_SERVER_PORT')]);",
    ].join(' ');
    const out = execFileSync('php', ['-r', php], { cwd: backend, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['Woosoo Demo', 'http://127.0.0.1:8088', NASTY_PASSWORD, 'woosoo_demo', '33306', '8081']);
  });

  it.skipIf(skipUnless(hasTool('node'), 'node missing'))('the PWA\'s build reads its .env and bakes in the API base and the websocket settings', () => {
    const pwa = join(dir, 'apps/tablet-ordering-pwa');
    const r = spawnSync(process.execPath, ['build.mjs'], { cwd: pwa, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const app = readFileSync(join(pwa, '.output/public/app.js'), 'utf8');
    expect(app).toContain('http://127.0.0.1:8088/api');
    expect(app).toContain('demo-reverb-key-0001');
    expect(app).not.toContain('demo-reverb-secret-0001');
  });

  it.skipIf(skipUnless(hasTool('nginx'), 'nginx missing'))('nginx -t passed on the rendered nginx.conf', () => {
    expect(changes[2].check).toBe('nginx -t passed');
  });
});
