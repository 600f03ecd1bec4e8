// New-WoosooProject's detection on generated app folders: each variant's confidence and evidence, and that the file
// it writes holds only the services and build steps those apps have. "With vendor/" variants get a fake php on PATH
// whose `artisan list --format=json` prints the app's commands, so the list (not the files) decides.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadValidProject } from '../../core/config';
import { parseDotenv } from '../../core/config/dotenv';
import { WoosooError } from '../../core/kernel/errors';
import { detectApps } from '../../core/project/detect';
import { fakePhpBin, flutterApp, FRAMEWORK, laravelApp, newProjectDir, nodeApp, runNew, staticSite } from './fixtures';

describe('New-WoosooProject on generated app variants', () => {
  let dir: string;
  let php: string;
  const backend = () => join(dir, 'apps', 'api');
  const cfg = () => {
    loadValidProject(dir, { env: process.env as Record<string, string>, cwd: dir }); // throws when invalid
    return Object.fromEntries(parseDotenv(readFileSync(join(dir, 'deployment.config.env'), 'utf8')).entries.map((e) => [e.key, e.value]));
  };
  const apps = () => detectApps(dir, { env: process.env as Record<string, string> });
  beforeEach(() => {
    dir = newProjectDir();
    php = fakePhpBin();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(php, { recursive: true, force: true });
  });

  it('.env.example: the comment above a key is its help; an empty key is listed when its name or its comment says it is required', async () => {
    laravelApp(backend(), { envExample: [
      'APP_NAME=Shop', 'APP_KEY=', '# The payment provider\'s API token (required: checkout fails without it)', 'PAYMENT_TOKEN=',
      '# optional', 'SENTRY_DSN=', '', '# Outgoing mail', '#  through the LAN relay', 'MAIL_HOST=', 'DB_DATABASE=shop',
    ] });
    const { item } = await runNew(dir);
    const note = item.Notes.find((n: string) => n.includes('look required')) as string;
    expect(note).toContain("PAYMENT_TOKEN (The payment provider's API token (required: checkout fails without it))");
    expect(note).toContain('MAIL_HOST (Outgoing mail through the LAN relay)');
    expect(note).not.toContain('SENTRY_DSN');
    expect(note).not.toContain('APP_KEY');
  });

  it('Laravel without vendor/ and without Reverb, and a Nuxt PWA: file-based evidence, REVERB_ENABLED=false, no Reverb keys', async () => {
    laravelApp(backend(), { require: { php: '^8.2' }, files: { 'config/reverb.php': '<?php return [];\n', 'config/queue.php': "<?php return ['default' => env('QUEUE_CONNECTION', 'database')];\n" } });
    nodeApp(join(dir, 'apps', 'pwa'), { build: 'nuxt build', test: 'vitest' }, { nuxt: true, lock: true });
    const [api, pwa] = await apps();
    expect(api).toMatchObject({ kind: 'laravel', rel: 'apps/api', confidence: 0.95 });
    expect(api.evidence).toEqual(expect.arrayContaining([
      'PHP ^8.2 (composer.json require.php)',
      'artisan commands read from the files (composer.json, app/Console, routes), not listed: no vendor/ yet (composer install makes it)',
      'no Reverb: no reverb:start command (the files), no laravel/reverb although config/reverb.php',
      'queue: database (config/queue.php default)',
      'tests: none (no app:selftest, test or phpunit in the files)',
    ]));
    expect(pwa).toMatchObject({ kind: 'nuxt', rel: 'apps/pwa', confidence: 0.95 });
    const { item } = await runNew(dir);
    const c = cfg();
    expect(c).toMatchObject({ REVERB_ENABLED: 'false', PWA_PATH: 'apps/pwa', TEST_BACKEND_COMMAND: 'none' });
    for (const k of ['REVERB_PORT', 'REVERB_GREEN_PORT', 'REVERB_APP_KEY', 'REVERB_APP_SECRET', 'BUILD_PWA_COMMANDS', 'TEST_PWA_COMMAND', 'BUILD_BACKEND_COMMANDS', 'PWA_ENABLED']) expect(c).not.toHaveProperty(k);
    expect(item.Notes.join('\n')).toContain('REVERB_ENABLED=false');
  });

  it('Laravel with vendor/: the test command, Reverb, Horizon and build commands come from php artisan list, not the files', async () => {
    laravelApp(backend(), {
      commands: ['app:selftest'], // in the files, but not in what artisan lists: the list wins
      listed: [...FRAMEWORK.filter((c) => c !== 'view:cache'), 'test', 'reverb:start', 'horizon'],
      envExample: ['APP_NAME=Shop', 'APP_KEY=', 'QUEUE_CONNECTION=redis'],
    });
    const [api] = await (detectApps(dir, { env: { ...process.env as Record<string, string>, PATH: `${php}:${process.env.PATH}` } }));
    expect(api.confidence).toBe(0.99);
    expect(api.laravel).toMatchObject({ test: 'php artisan test', reverb: true, horizon: true, queue: 'redis', missingBuild: ['view:cache'] });
    expect(api.evidence).toEqual(expect.arrayContaining([
      'no PHP constraint in composer.json', `artisan commands: ${FRAMEWORK.length + 2} from php artisan list --format=json`,
      'Reverb: reverb:start (php artisan list)', 'Horizon: horizon (php artisan list)', 'queue: redis (QUEUE_CONNECTION in .env.example)',
      'tests: php artisan test (php artisan list)', 'no view:cache (php artisan list): left out of the build',
    ]));
    const { item } = await runNew(dir, {}, php);
    const c = cfg();
    expect(c.TEST_BACKEND_COMMAND).toBe('php artisan test');
    expect(c.BUILD_BACKEND_COMMANDS).toBe('composer install --no-dev --optimize-autoloader --no-interaction; php artisan migrate --force; php artisan config:cache; php artisan route:cache');
    expect(c.REVERB_ENABLED).toBe('true');
    expect(item.Notes.join('\n')).toContain('The backend has Horizon');
  });

  it('Laravel with vendor/ whose php artisan list has app:selftest keeps the default test; without vendor/ collision means php artisan test', async () => {
    laravelApp(backend(), { listed: [...FRAMEWORK, 'app:selftest'] });
    expect((await detectApps(dir, { env: { ...process.env as Record<string, string>, PATH: `${php}:${process.env.PATH}` } }))[0].laravel?.test).toBe('default');
    await runNew(dir, {}, php);
    expect(cfg()).not.toHaveProperty('TEST_BACKEND_COMMAND');
    rmSync(backend(), { recursive: true });
    laravelApp(backend(), { requireDev: { 'nunomaduro/collision': '^5.0', 'phpunit/phpunit': '^9.5' } });
    const [api] = await apps();
    expect(api.laravel?.test).toBe('php artisan test');
    expect(api.evidence).toContain('tests: php artisan test (the files)');
  });

  it('php artisan list failing (vendor/ there, artisan broken): falls back to the files and says why', async () => {
    laravelApp(backend(), { listed: [] });
    rmSync(join(backend(), 'artisan-list.json'));
    const [api] = await detectApps(dir, { env: { ...process.env as Record<string, string>, PATH: `${php}:${process.env.PATH}` } });
    expect(api.laravel?.commands).toBeNull();
    expect(api.evidence.find((e) => e.startsWith('artisan commands read from the files'))).toMatch(/not listed: ".*\/php artisan list --format=json --no-ansi --no-interaction" exited 1 without a command list \(cat: artisan-list\.json/);
  });

  it('no PWA: PWA_ENABLED=false and no PWA path, build or test', async () => {
    laravelApp(backend(), { commands: ['reverb:start', 'app:selftest'] });
    const { item } = await runNew(dir);
    const c = cfg();
    expect(c.PWA_ENABLED).toBe('false');
    for (const k of ['PWA_PATH', 'BUILD_PWA_COMMANDS', 'TEST_PWA_COMMAND', 'RELAY_PATH']) expect(c).not.toHaveProperty(k);
    expect(c.REVERB_ENABLED).toBe('true');
    expect(item.Apps).toHaveLength(1);
    expect(item.Notes.join('\n')).toContain('No PWA found');
  });

  it('two Node apps: the one with a build script is the PWA (its steps only), the other is named in a note and left out', async () => {
    laravelApp(backend());
    nodeApp(join(dir, 'apps', 'kiosk'), { build: 'vite build' });
    nodeApp(join(dir, 'apps', 'admin'), { start: 'node server.js' });
    const found = await apps();
    expect(found.map((a) => [a.kind, a.rel, a.confidence])).toEqual([['laravel', 'apps/api', 0.95], ['node', 'apps/kiosk', 0.8], ['node', 'apps/admin', 0.5]]);
    expect(found[1].evidence).toEqual(['package.json', 'scripts: build']);
    const { item } = await runNew(dir);
    const c = cfg();
    expect(c).toMatchObject({ PWA_PATH: 'apps/kiosk', BUILD_PWA_COMMANDS: 'npm install; npm run build', TEST_PWA_COMMAND: 'none' });
    expect(Object.values(c)).not.toContain('apps/admin'); // only in the header's list of what was detected
    expect(item.Notes.join('\n')).toContain('Another node app in apps/admin: Woosoo deploys one PWA (PWA_PATH=apps/kiosk)');
  });

  it('a Flutter app: the relay path with the relay off until Flutter is installed', async () => {
    laravelApp(backend());
    flutterApp(join(dir, 'apps', 'relay'));
    const [, relay] = await apps();
    expect(relay).toMatchObject({ kind: 'flutter', rel: 'apps/relay', confidence: 0.95, evidence: ['pubspec.yaml', 'depends on flutter'] });
    const { item } = await runNew(dir);
    expect(cfg()).toMatchObject({ RELAY_PATH: 'apps/relay', RELAY_ENABLED: 'false', PWA_ENABLED: 'false' });
    expect(item.Notes.join('\n')).toContain('A Flutter app in apps/relay: RELAY_ENABLED=false');
  });

  it('a plain static site: the PWA with nothing to build or test', async () => {
    laravelApp(backend());
    staticSite(join(dir, 'apps', 'menu'));
    const [, site] = await apps();
    expect(site).toMatchObject({ kind: 'static', rel: 'apps/menu', confidence: 0.6, evidence: ['index.html', 'no package.json: nothing to build'] });
    await runNew(dir);
    expect(cfg()).toMatchObject({ PWA_PATH: 'apps/menu', BUILD_PWA_COMMANDS: 'none', TEST_PWA_COMMAND: 'none' });
  });

  it('an empty folder: a Woosoo error naming the folder and the fix; nothing written', async () => {
    const err = await runNew(dir).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect(err).toMatchObject({ errorId: 'ProjectNoBackend' });
    expect((err as WoosooError).message).toContain(`in ${dir}, its subfolders or apps/*: the folder holds no app at all`);
    expect((err as WoosooError).recommendedAction).toContain(`Check the backend out under ${dir}`);
    expect(existsSync(join(dir, 'deployment.config.env'))).toBe(false);
  });
});
