/**
 * runBuilds with the real tools on copies of the demo apps: composer + php artisan (Laravel 8 on Debian's framework)
 * against a real MariaDB for the migrations, npm for the PWA. Success sequential and parallel, a broken PWA build,
 * command overrides, the relay skip, and secrets kept out of the logs.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuilds } from '../../core/build';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { missingTools, skipUnless } from '../harness/tools';
import { DB_PASSWORD, goneSoon, makeBuildProject, noFlutterEnv } from './fixture';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-install-db');

describe.skipIf(skipUnless(!missing, missing ?? ''))('runBuilds with real composer, php artisan, npm and MariaDB', () => {
  let db: MariaDb;
  let n = 0;
  beforeAll(async () => {
    db = await startMariaDb({ database: 'woosoo_build', user: 'woosoo', password: DB_PASSWORD });
  });
  afterAll(async () => {
    await db?.stop();
  });
  /** A fresh copy per test with its own database (migrations must really run). */
  const project = async () => {
    const database = `woosoo_build_${++n}`;
    await db.rootQuery(`CREATE DATABASE ${database}; GRANT ALL PRIVILEGES ON ${database}.* TO 'woosoo'@'%'`);
    return makeBuildProject({ port: db.port, database, user: 'woosoo', password: DB_PASSWORD });
  };

  it('builds the backend and the PWA one after the other: migrations run, caches and the PWA bundle written, logs streamed', async () => {
    const p = await project();
    const logDir = join(p.dir, 'logs', 'build', 'seq');
    const lines: string[] = [];
    const results = await runBuilds(p.cfg(), p.ctx(undefined, noFlutterEnv), { logDir, onLine: (app, _s, l) => lines.push(`${app}: ${l}`) });
    expect(results.map((r) => [r.app, r.status])).toEqual([['backend', 'Succeeded'], ['pwa', 'Succeeded'], ['relay', 'Skipped']]);
    const [backend, pwa, relay] = results;
    expect(backend.migrationsRan).toBe(true);
    expect(pwa.migrationsRan).toBe(false);
    expect(backend.commands).toHaveLength(6);
    expect(backend.message).toBe('Backend built: 6 command(s) succeeded.');
    // The real effects: tables from the demo's migrations, Laravel's caches, composer's autoloader, the PWA output.
    const tables = (await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema='woosoo_build_${n}' ORDER BY 1`)).trim().split('\n');
    expect(tables).toEqual(expect.arrayContaining(['failed_jobs', 'jobs', 'migrations', 'orders']));
    for (const f of ['bootstrap/cache/config.php', 'bootstrap/cache/routes-v7.php', 'vendor/autoload.php']) expect(existsSync(join(p.backend, f)), f).toBe(true);
    expect(existsSync(join(p.pwa, '.output', 'public'))).toBe(true);
    // Logs: one per app, every command with its exit code, the tools' own output; the same lines went to -Verbose.
    const blog = readFileSync(backend.logPath, 'utf8');
    expect(backend.logPath).toBe(join(logDir, 'backend.log'));
    expect(blog).toContain('$ php artisan migrate --force');
    expect(blog).toContain('selftest: ');
    expect(blog).toMatch(/# exit code 0 after/);
    expect(blog).toContain('# Succeeded after');
    expect(readFileSync(pwa.logPath, 'utf8')).toMatch(/built \d+ files into/);
    expect(lines.some((l) => l.startsWith('pwa: built '))).toBe(true);
    expect(p.logs('verbose')).toEqual(expect.arrayContaining(['[backend] php artisan migrate --force', '[pwa] npm run build']));
    // The relay is skipped, without a warning: RELAY_ENABLED=false is a choice.
    expect(relay.message).toMatch(/RELAY_ENABLED is false/);
    expect(p.logs('warning')).toEqual([]);
    expect(p.logs('verbose')).toContain(`Relay build skipped: ${relay.message}`);
    // Second build of the same tree: migrate has nothing to do and still succeeds.
    const again = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend'], skipTests: true, logDir: join(p.dir, 'logs', 'again') });
    expect(again[0].status).toBe('Succeeded');
    expect(readFileSync(again[0].logPath, 'utf8')).toContain('Nothing to migrate');
  }, 180_000);

  it('builds both apps in parallel with the same outcome, each in its own log', async () => {
    const p = await project();
    const logDir = join(p.dir, 'logs', 'par');
    const results = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend', 'pwa'], parallel: true, logDir });
    expect(results.map((r) => [r.app, r.status, r.logPath])).toEqual([
      ['backend', 'Succeeded', join(logDir, 'backend.log')], ['pwa', 'Succeeded', join(logDir, 'pwa.log')],
    ]);
    expect(readFileSync(join(logDir, 'backend.log'), 'utf8')).not.toContain('npm');
    expect(readFileSync(join(logDir, 'pwa.log'), 'utf8')).not.toContain('artisan');
    // Both were running at once: the progress records of the two apps interleave.
    const statuses = p.notes.filter((x) => x.method === '$/progress' && !x.params.completed && x.params.parentId === 1).map((x) => x.params.id);
    expect(new Set(statuses)).toEqual(new Set([2, 3]));
  }, 180_000);

  it('a broken PWA build fails at that command with its exit code and last output lines; later commands do not run', async () => {
    const p = await project();
    const pkg = JSON.parse(readFileSync(join(p.pwa, 'package.json'), 'utf8'));
    pkg.scripts.build = 'node -e "console.log(\'compiling\'); console.error(\'syntax error in src/app.js\'); process.exit(3)"';
    writeFileSync(join(p.pwa, 'package.json'), JSON.stringify(pkg, null, 2));
    const [backend, pwa] = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend', 'pwa'], parallel: true, logDir: join(p.dir, 'logs') });
    expect(backend.status).toBe('Succeeded');
    expect(pwa).toMatchObject({ status: 'Failed', failedCommand: 'npm run build', exitCode: 3, migrationsRan: false, cancelled: false });
    expect(pwa.tail).toEqual(expect.arrayContaining(['compiling', 'syntax error in src/app.js']));
    expect(pwa.message).toContain('`npm run build` failed with exit code 3; last lines of its output:');
    expect(pwa.message).toContain('syntax error in src/app.js');
    expect(pwa.message).toContain(`Full log: ${pwa.logPath}`);
    const log = readFileSync(pwa.logPath, 'utf8');
    expect(log).toContain('! syntax error in src/app.js');
    expect(log).toContain('# FAILED: npm run build');
    expect(log).not.toContain('$ npm test');
  }, 180_000);

  it('a failing migration stops the backend there and still reports migrationsRan', async () => {
    const p = await project();
    writeFileSync(join(p.backend, 'database', 'migrations', '2024_01_03_000000_broken.php'),
      "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nreturn new class extends Migration { public function up() { throw new RuntimeException('broken migration'); } };\n");
    const [backend] = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend'], logDir: join(p.dir, 'logs') });
    expect(backend).toMatchObject({ status: 'Failed', failedCommand: 'php artisan migrate --force', migrationsRan: true });
    expect(backend.exitCode).not.toBe(0);
    expect(backend.message).toContain('broken migration');
    expect(readFileSync(backend.logPath, 'utf8')).not.toContain('$ php artisan config:cache');
  }, 180_000);

  it('stops before a migration that drops a column (migrate --pretend shows it): nothing migrated; DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true runs it', async () => {
    const p = await project();
    const logDir = (n2: string) => join(p.dir, 'logs', n2);
    const hasItem = async () => (await db.query(`SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='woosoo_build_${n}' AND table_name='orders' AND column_name='item'`)).trim();
    expect((await runBuilds(p.cfg(), p.ctx(), { apps: ['backend'], skipTests: true, logDir: logDir('1') }))[0].status).toBe('Succeeded');
    writeFileSync(join(p.backend, 'database', 'migrations', '2024_01_05_000000_drop_item.php'), [
      '<?php', 'use Illuminate\\Database\\Migrations\\Migration;', 'use Illuminate\\Database\\Schema\\Blueprint;', 'use Illuminate\\Support\\Facades\\Schema;',
      "return new class extends Migration { public function up() { Schema::table('orders', function (Blueprint $t) { $t->dropColumn('item'); }); } };", '',
    ].join('\n'));
    const [refused] = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend'], skipTests: true, logDir: logDir('2') });
    expect(refused).toMatchObject({ status: 'Failed', failedCommand: 'php artisan migrate --force', migrationsRan: false });
    expect(refused.message).toContain('alter table `orders` drop `item`');
    expect(refused.message).toContain('DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true');
    expect(readFileSync(refused.logPath, 'utf8')).toContain('$ php artisan migrate --force --pretend');
    expect(await hasItem()).toBe('1');
    p.configure('DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true');
    const [allowed] = await runBuilds(p.cfg(), p.ctx(), { apps: ['backend'], skipTests: true, logDir: logDir('3') });
    expect(allowed.status).toBe('Succeeded');
    expect(await hasItem()).toBe('0');
  }, 240_000);

  it('runs the configuration\'s command overrides, with quoted arguments, in the app folder', async () => {
    const p = await project();
    p.configure(
      `BUILD_PWA_COMMANDS=node -e "console.log('custom step; in', process.cwd())" ; node build.mjs`,
      'TEST_PWA_COMMAND=node --test test/build.test.mjs',
    );
    const [pwa] = await runBuilds(p.cfg(), p.ctx(), { apps: ['pwa'], logDir: join(p.dir, 'logs') });
    expect(pwa.status).toBe('Succeeded');
    expect(pwa.commands).toEqual([`node -e "console.log('custom step; in', process.cwd())"`, 'node build.mjs', 'node --test test/build.test.mjs']);
    const log = readFileSync(pwa.logPath, 'utf8');
    expect(log).toContain(`custom step; in ${p.pwa}`);
    expect(log).not.toContain('$ npm ci');
  }, 120_000);

  it('a command that cannot start fails the app with a clear message', async () => {
    const p = await project();
    p.configure('BUILD_PWA_COMMANDS=./no-such-script.sh');
    const [pwa] = await runBuilds(p.cfg(), p.ctx(), { apps: ['pwa'], logDir: join(p.dir, 'logs') });
    expect(pwa.status).toBe('Failed');
    expect(pwa.message).toMatch(/Cannot build the pwa: not found: \.\/no-such-script\.sh/);
  });

  it('cancelling mid-build kills the running command\'s process tree and starts no further app', async () => {
    const p = await project();
    const ac = new AbortController();
    // npm → sh → node: the grandchild prints its pid and would run for a minute.
    writeFileSync(join(p.pwa, 'package.json'), JSON.stringify({ name: 'slow', private: true, scripts: { build: 'node -e "console.log(\'pid=\' + process.pid); setTimeout(() => {}, 60000)"' } }));
    p.configure('BUILD_BACKEND_COMMANDS=npm run build', `BACKEND_PATH=${p.pwa}`);
    let pid = 0;
    const results = await runBuilds(p.cfg(), p.ctx(ac.signal), {
      apps: ['backend', 'pwa'], logDir: join(p.dir, 'logs'),
      onLine: (_a, _s, l) => {
        const m = /^pid=(\d+)$/.exec(l);
        if (m) {
          pid = Number(m[1]);
          ac.abort();
        }
      },
    });
    const [backend, pwa] = results;
    expect(backend).toMatchObject({ status: 'Failed', cancelled: true, failedCommand: 'npm run build' });
    expect(backend.message).toContain('`npm run build` was cancelled');
    expect(pwa).toMatchObject({ status: 'Failed', cancelled: true, message: 'Cancelled before it started.', logPath: '' });
    expect(pid).toBeGreaterThan(0);
    expect(await goneSoon(pid)).toBe(true);
  }, 60_000);

  it('a command that outlives its time limit is stopped with its child processes and reported as timed out', async () => {
    const p = await project();
    p.configure(`BUILD_PWA_COMMANDS=node -e "console.log('pid=' + process.pid); setTimeout(() => {}, 60000)"`);
    let pid = 0;
    const [pwa] = await runBuilds(p.cfg(), p.ctx(), {
      apps: ['pwa'], skipTests: true, logDir: join(p.dir, 'logs'), timeoutMs: 1500,
      onLine: (_a, _s, l) => { if (l.startsWith('pid=')) pid = Number(l.slice(4)); },
    });
    expect(pwa).toMatchObject({ status: 'Failed', cancelled: false, exitCode: null });
    expect(pwa.message).toContain('did not finish within 1.5 s (BUILD_TIMEOUT_MINUTES) and was stopped');
    expect(pid).toBeGreaterThan(0);
    expect(await goneSoon(pid)).toBe(true);
  }, 60_000);

  it('builds the relay with the flutter of FLUTTER_PATH when RELAY_ENABLED=true (a FAKE flutter: the SDK cannot be installed here)', async () => {
    const p = await project();
    const relay = join(p.dir, 'apps', 'relay-device-v2');
    mkdirSync(relay, { recursive: true });
    // FAKE: records its arguments and working folder; Flutter itself is not installable on this machine (no network).
    const fake = join(p.dir, 'fake-flutter.sh');
    writeFileSync(fake, `#!/bin/sh\necho "fake flutter $*"\necho "$PWD $*" >> "${join(p.dir, 'flutter-calls.txt')}"\n`);
    chmodSync(fake, 0o755);
    p.configure('RELAY_ENABLED=true', `FLUTTER_PATH=${fake}`);
    const results = await runBuilds(p.cfg(), p.ctx(undefined, noFlutterEnv), { apps: ['relay'], logDir: join(p.dir, 'logs') });
    expect(results.map((r) => [r.app, r.status])).toEqual([['relay', 'Succeeded']]);
    expect(readFileSync(join(p.dir, 'flutter-calls.txt'), 'utf8')).toBe(`${relay} pub get\n${relay} build apk\n${relay} test\n`);
    expect(readFileSync(results[0].logPath, 'utf8')).toContain('$ flutter build apk');
  });

  it('never writes a secret to the build log, the verbose stream or the result', async () => {
    const p = await project();
    // A test command that prints the backend's .env (which holds DB_PASSWORD) and the secret passed as an argument.
    p.configure(`TEST_BACKEND_COMMAND=php -r "echo file_get_contents('.env'); echo getenv('DB_PASSWORD'), PHP_EOL; exit(1);"`);
    const [backend] = await runBuilds(p.cfg(), p.ctx(undefined, { ...process.env, DB_PASSWORD } as Record<string, string>),
      { apps: ['backend'], logDir: join(p.dir, 'logs') });
    expect(backend.status).toBe('Failed');
    const log = readFileSync(backend.logPath, 'utf8');
    expect(log).toContain('DB_PASSWORD="********"');
    for (const text of [log, JSON.stringify(backend), JSON.stringify(p.notes)]) {
      expect(text).not.toContain(DB_PASSWORD);
      expect(text).not.toContain('build-test-reverb-secret');
    }
  }, 120_000);
});
