// New-WoosooProject on a real Laravel app (the demo backend on Debian's php-laravel-framework, after an offline
// composer install): the test command comes from the real `php artisan list` (the app has `test`, not app:selftest),
// and the secrets it generates are in formats the app itself accepts: with the configuration synced into the app,
// `php artisan` boots, encrypts and decrypts with the generated APP_KEY, and `php artisan config:cache` passes with the
// generated database password and Reverb keys in it. Needs php and composer: under CI=true their absence fails.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidProject } from '../../core/config';
import { syncConfig } from '../../core/sync';
import { missingTools, skipUnless } from '../harness/tools';
import { ROOT } from '../support/engine';
import { testContext } from '../sync/fixtures';
import { newProjectDir, runNew, type NewProjectItem } from './fixtures';

const missing = missingTools('php', 'composer');
const TITLE = 'New-WoosooProject on a real Laravel app';
if (missing && process.env.CI === 'true') {
  describe(TITLE, () => it('has php and composer, which CI=true requires', () => { throw new Error(missing); }));
}

describe.skipIf(skipUnless(!missing, missing ?? ''))(TITLE, () => {
  let dir: string;
  let backend: string;
  let item: NewProjectItem;
  const env = { ...(process.env as Record<string, string>), COMPOSER_ALLOW_SUPERUSER: '1' };
  const artisan = (...args: string[]) => spawnSync('php', ['artisan', ...args, '--no-ansi'], { cwd: backend, env, encoding: 'utf8', timeout: 60_000 });
  beforeAll(async () => {
    dir = newProjectDir();
    cpSync(join(ROOT, 'examples', 'demo', 'apps'), join(dir, 'apps'), { recursive: true, filter: (s) => !/(vendor|node_modules|\.output|\.env)$/.test(s) });
    backend = join(dir, 'apps', 'woosoo-nexus');
    // The app's own test command is `php artisan test` here, not the demo's app:selftest.
    rmSync(join(backend, 'app', 'Console', 'Commands', 'SelfTest.php'));
    appendFileSync(join(backend, 'routes', 'console.php'), [
      "Artisan::command('test', function () { $this->info('tests pass'); });",
      "Artisan::command('app:encrypt-check', function () { $this->line(decrypt(encrypt('round trip'))); });", '',
    ].join('\n'));
    const r = spawnSync('composer', ['install', '--no-interaction', '--no-progress', '--quiet'], { cwd: backend, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    item = (await runNew(dir, { reveal: true })).item;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the artisan commands from php artisan list: the test command the app really has', () => {
    expect(item.Apps[0]).toMatch(/^laravel apps\/woosoo-nexus \(99 %: .*artisan commands: \d+ from php artisan list --format=json; Reverb: reverb:start \(php artisan list\).*tests: php artisan test \(php artisan list\)/);
    const text = readFileSync(join(dir, 'deployment.config.env'), 'utf8');
    expect(text).toContain("TEST_BACKEND_COMMAND='php artisan test'");
    expect(text).not.toContain('BUILD_BACKEND_COMMANDS'); // Laravel 8 has every artisan command of the default build
  });

  it('synced into the app, php artisan boots and encrypts with the generated APP_KEY, and config:cache passes', async () => {
    const ctx = testContext(dir);
    await syncConfig(loadValidProject(dir, { env, cwd: dir }), ctx, { apps: ['backend'], whatIf: false, backup: false });
    const dotenv = readFileSync(join(backend, '.env'), 'utf8');
    const secrets = item.Secrets ?? {};
    expect(secrets.APP_KEY).toMatch(/^base64:/);
    expect(dotenv).toContain(`APP_KEY=${secrets.APP_KEY}\n`);
    const boot = artisan();
    expect(boot.status, boot.stderr).toBe(0);
    expect(boot.stdout).toMatch(/Laravel Framework 8\./);
    const check = artisan('app:encrypt-check');
    expect(check.status, check.stderr + check.stdout).toBe(0);
    expect(check.stdout.trim()).toBe('round trip');
    const cache = artisan('config:cache');
    expect(cache.status, cache.stderr + cache.stdout).toBe(0);
    const cached = readFileSync(join(backend, 'bootstrap', 'cache', 'config.php'), 'utf8');
    for (const k of ['APP_KEY', 'DB_PASSWORD', 'REVERB_APP_ID', 'REVERB_APP_KEY', 'REVERB_APP_SECRET']) expect(cached, k).toContain(`'${secrets[k]}'`);
  }, 120_000);
});
