// The preflight's checks of the apps themselves (issue 15: a deploy must not start a build that is sure to fail):
// the app folders, the backend's APP_KEY (never shown), and the artisan commands the configuration runs, judged by
// the real `php artisan list --format=json` of the demo backend after a real (offline) composer install.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPreflight } from '../../core/preflight';
import { appKeyState } from '../../core/preflight/app';
import type { CheckResult } from '../../core/preflight/types';
import { APP_KEY, makeBuildProject, type BuildProject } from '../build/fixture';
import { missingTools, skipUnless } from '../harness/tools';

describe('APP_KEY as Laravel needs it', () => {
  it('base64: and 32 (AES-256-CBC) or 16 (AES-128-CBC) bytes; empty or anything else is named, never shown', () => {
    expect(appKeyState(APP_KEY)).toEqual({ state: 'ok', detail: '32 bytes' });
    expect(appKeyState(`base64:${Buffer.alloc(16, 1).toString('base64')}`).state).toBe('ok');
    expect(appKeyState('').state).toBe('empty');
    expect(appKeyState(undefined).state).toBe('empty');
    expect(appKeyState('base64:c2hvcnQ=')).toEqual({ state: 'malformed', detail: '5 bytes (AES-256-CBC needs 32, AES-128-CBC 16)' });
    expect(appKeyState('base64:not base64!').state).toBe('malformed');
    expect(appKeyState('0123456789abcdef0123456789abcdef').state).toBe('ok'); // a plain 32-character key works too
  });
});

const missing = missingTools('php', 'composer') ?? '';
describe.skipIf(skipUnless(!missing, missing))('the app checks of Test-WoosooPreflight on the demo backend', () => {
  let p: BuildProject;
  const env = { ...(process.env as Record<string, string>), COMPOSER_ALLOW_SUPERUSER: '1' };
  const only = ['App folders', 'APP_KEY', 'Artisan commands'];
  const run = async (): Promise<Record<string, CheckResult>> => {
    const all = await runPreflight(p.cfg(), { env, signal: new AbortController().signal, cwd: p.dir } as never);
    return Object.fromEntries(all.filter((c) => only.includes(c.name)).map((c) => [c.name, c]));
  };
  beforeAll(() => {
    p = makeBuildProject();
    const r = spawnSync('composer', ['install', '--no-interaction', '--no-progress', '--quiet'], { cwd: p.backend, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }));

  it('pass on the demo as it is: folders there, APP_KEY well-formed, every configured artisan command exists', async () => {
    const c = await run();
    expect(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.status]))).toEqual({ 'App folders': 'Pass', APP_KEY: 'Pass', 'Artisan commands': 'Pass' });
    expect(c['Artisan commands'].expected).toContain('app:selftest');
    expect(c['Artisan commands'].expected).toContain('reverb:start');
  }, 60_000);

  it('a test command the app does not have fails, critical, with the fix', async () => {
    p.configure("TEST_BACKEND_COMMAND='php artisan app:no-such-test'");
    const c = (await run())['Artisan commands'];
    expect(c).toMatchObject({ status: 'Fail', critical: true, actual: 'missing: app:no-such-test' });
    expect(c.message).toContain('`php artisan app:no-such-test` (TEST_BACKEND_COMMAND) is not a command of the app');
    expect(c.fix).toContain('set TEST_BACKEND_COMMAND to a test command the app has');
  }, 60_000);

  it('an empty APP_KEY fails with the fix, a malformed one too, and the value never shows', async () => {
    const env = (key: string) => writeFileSync(join(p.backend, '.env'), `APP_NAME=x\nAPP_KEY=${key}\n`);
    env('');
    let c = (await run()).APP_KEY;
    expect(c).toMatchObject({ status: 'Fail', critical: true, actual: 'empty' });
    expect(c.fix).toContain('php artisan key:generate');
    env('base64:dG9vLXNob3J0LWtleQ==');
    c = (await run()).APP_KEY;
    expect(c).toMatchObject({ status: 'Fail', actual: '13 bytes (AES-256-CBC needs 32, AES-128-CBC 16)' });
    expect(JSON.stringify(c)).not.toContain('dG9vLXNob3J0LWtleQ');
  }, 60_000);

  it('a missing app folder fails naming the key and the folder', async () => {
    p.configure('PWA_PATH=apps/no-pwa-here');
    const c = (await run())['App folders'];
    expect(c).toMatchObject({ status: 'Fail', critical: true, actual: 'missing: PWA_PATH' });
    expect(c.message).toContain(join(p.dir, 'apps', 'no-pwa-here'));
    expect(c.fix).toContain('set PWA_PATH');
  }, 60_000);
});
