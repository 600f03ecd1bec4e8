/** The command-list syntax of the BUILD_* keys and the build plan (defaults, overrides, tools, relay rules). No process runs. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBuilds, runBuilds } from '../../core/build';
import { parseCommandList } from '../../core/process/commandline';
import { validateConfig } from '../../core/config/validate';
import { readProject } from '../../core/config';
import { makeBuildProject, noFlutterEnv } from './fixture';

const env = process.env as Record<string, string>;

describe('parseCommandList', () => {
  it('splits commands on ; and words on blanks, without a shell', () => {
    expect(parseCommandList('npm ci; npm run build')).toEqual({ ok: true, commands: [['npm', 'ci'], ['npm', 'run', 'build']] });
    expect(parseCommandList('  php   artisan\tmigrate --force ;; ')).toEqual({ ok: true, commands: [['php', 'artisan', 'migrate', '--force']] });
    expect(parseCommandList('')).toEqual({ ok: true, commands: [] });
  });

  it('keeps quoted words whole, with spaces, ; and shell characters taken literally', () => {
    expect(parseCommandList(`node -e "console.log('a; b')" ; "C:\\Program Files\\php\\php.exe" 'x y' $HOME|>`)).toEqual({
      ok: true,
      commands: [['node', '-e', "console.log('a; b')"], ['C:\\Program Files\\php\\php.exe', 'x y', '$HOME|>']],
    });
    expect(parseCommandList('a "" b')).toEqual({ ok: true, commands: [['a', '', 'b']] });
    expect(parseCommandList('pre"fix suf"fix')).toEqual({ ok: true, commands: [['prefix suffix']] });
  });

  it('reports an unclosed quote with its position', () => {
    expect(parseCommandList('npm run "build')).toEqual({ ok: false, error: 'the " quote at character 9 is never closed' });
  });

  it('an unclosed quote in a BUILD_* key is a configuration error naming the key and line', () => {
    const p = makeBuildProject();
    p.configure('BUILD_PWA_COMMANDS=npm ci; npm run "build');
    const problems = validateConfig(readProject(p.dir, { env, cwd: p.dir })).filter((x) => x.severity === 'Error');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: 'BUILD_PWA_COMMANDS', line: 14 });
    expect(problems[0].message).toContain('never closed');
    expect(() => p.cfg()).toThrow(/BUILD_PWA_COMMANDS/);
  });
});

describe('planBuilds', () => {
  it('plans the default commands of the backend and the PWA, with their tests, tools resolved on the PATH', () => {
    const p = makeBuildProject();
    const plans = planBuilds(p.cfg(), { env: noFlutterEnv });
    expect(plans.map((x) => x.app)).toEqual(['backend', 'pwa', 'relay']);
    const [backend, pwa, relay] = plans;
    expect(backend.dir).toBe(p.backend);
    expect(backend.skipped).toBeUndefined();
    expect(backend.error).toBeUndefined();
    expect(backend.commands.map((c) => c.display)).toEqual([
      'composer install --no-dev --optimize-autoloader --no-interaction', 'php artisan migrate --force',
      'php artisan config:cache', 'php artisan route:cache', 'php artisan view:cache', 'php artisan app:selftest',
    ]);
    expect(backend.commands.map((c) => c.kind)).toEqual(['build', 'migrate', 'build', 'build', 'build', 'test']);
    expect(backend.commands[1].program).toMatch(/\/php$/);
    expect(backend.commands[1].args).toEqual(['artisan', 'migrate', '--force']);
    expect(pwa.commands.map((c) => [c.display, c.kind])).toEqual([['npm ci', 'build'], ['npm run build', 'build'], ['npm test', 'test']]);
    expect(pwa.commands[0].program).toMatch(/\/npm$/);
    expect(relay.skipped).toBe('RELAY_ENABLED is false: the relay app is not part of this deployment.');
  });

  it('leaves the tests out with skipTests and plans only the apps asked for, in the fixed order', () => {
    const p = makeBuildProject();
    const plans = planBuilds(p.cfg(), { apps: ['pwa', 'backend'], skipTests: true, env });
    expect(plans.map((x) => x.app)).toEqual(['backend', 'pwa']);
    expect(plans.flatMap((x) => x.commands).some((c) => c.kind === 'test')).toBe(false);
  });

  it('uses the configuration\'s command overrides; none means no command', () => {
    const p = makeBuildProject();
    p.configure(
      `BUILD_PWA_COMMANDS=npm ci --no-audit; node -e "console.log('a b')"`,
      'TEST_PWA_COMMAND=none',
      'BUILD_BACKEND_COMMANDS=php artisan migrate --force --step; php artisan optimize',
      'TEST_BACKEND_COMMAND=php artisan app:selftest --db',
    );
    const [backend, pwa] = planBuilds(p.cfg(), { apps: ['backend', 'pwa'], env });
    expect(pwa.commands.map((c) => c.display)).toEqual(['npm ci --no-audit', `node -e "console.log('a b')"`]);
    expect(pwa.commands[1].args).toEqual(['-e', "console.log('a b')"]);
    expect(backend.commands.map((c) => [c.display, c.kind])).toEqual([
      ['php artisan migrate --force --step', 'migrate'], ['php artisan optimize', 'build'], ['php artisan app:selftest --db', 'test'],
    ]);
  });

  it('takes a tool from its *_PATH key, and blocks the app when the tool is missing', () => {
    const p = makeBuildProject();
    const tools = join(p.dir, 'tools');
    mkdirSync(tools);
    writeFileSync(join(tools, 'my-npm'), '#!/bin/sh\nexec npm "$@"\n');
    chmodSync(join(tools, 'my-npm'), 0o755);
    p.configure(`NPM_PATH=${join(tools, 'my-npm')}`, 'COMPOSER_PATH=/nonexistent/composer');
    const [backend, pwa] = planBuilds(p.cfg(), { apps: ['backend', 'pwa'], env });
    expect(pwa.commands[0].program).toBe(join(tools, 'my-npm'));
    expect(pwa.error).toBeUndefined();
    expect(backend.error).toBe('Cannot build the backend: not found: composer (looked for COMPOSER_PATH=/nonexistent/composer).');
  });

  it('blocks an app whose folder does not exist', () => {
    const p = makeBuildProject();
    p.configure('PWA_PATH=apps/nope');
    const [pwa] = planBuilds(p.cfg(), { apps: ['pwa'], env });
    expect(pwa.error).toBe(`PWA_PATH points to ${join(p.dir, 'apps', 'nope')}, which does not exist.`);
  });

  it('relay: skipped when Flutter is absent and RELAY_ENABLED=false, blocked when RELAY_ENABLED=true', () => {
    const p = makeBuildProject();
    mkdirSync(join(p.dir, 'apps', 'relay-device-v2'), { recursive: true });
    const [asked] = planBuilds(p.cfg(), { apps: ['relay'], env: noFlutterEnv });
    expect(asked.skipped).toMatch(/^Flutter is not installed \(flutter \(looked for flutter on the PATH \(FLUTTER_PATH is empty\)\)\) and RELAY_ENABLED is false/);
    expect(asked.commands.map((c) => c.display)).toEqual(['flutter pub get', 'flutter build apk', 'flutter test']);
    p.configure('RELAY_ENABLED=true');
    const [relay] = planBuilds(p.cfg(), { env: noFlutterEnv }).slice(2);
    expect(relay.skipped).toBeUndefined();
    expect(relay.error).toMatch(/^Cannot build the relay: not found: flutter/);
  });
});

describe('runBuilds of apps that are not built', () => {
  it('a disabled relay (RELAY_ENABLED=false) is skipped without a warning; asked for by name and unbuildable, it warns', async () => {
    const p = makeBuildProject();
    const logDir = join(p.dir, 'logs', 'skip');
    const [disabled] = await runBuilds(p.cfg(), p.ctx(undefined, noFlutterEnv), { exclude: ['backend', 'pwa'], logDir });
    expect(disabled).toMatchObject({ app: 'relay', status: 'Skipped', message: expect.stringMatching(/RELAY_ENABLED is false/) });
    expect(p.logs('warning')).toEqual([]);
    expect(p.logs('verbose')).toEqual([`Relay build skipped: ${disabled.message}`]);
    const [asked] = await runBuilds(p.cfg(), p.ctx(undefined, noFlutterEnv), { apps: ['relay'], logDir });
    expect(asked.status).toBe('Skipped');
    expect(p.logs('warning')).toEqual([`Relay build skipped: ${asked.message}`]);
  });
});
