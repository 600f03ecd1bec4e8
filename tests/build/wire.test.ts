/**
 * build.run over the wire, against the real engine (bin/woosoo-engine.cjs) and the real npm: the plan with whatIf
 * (nothing runs, nothing is written), typed results and per-app errors, and $/cancel mid-build ending the npm tree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { missingTools, skipUnless, logsBesidesWoosoo } from '../harness/tools';
import { alive, goneSoon, makeBuildProject } from './fixture';

const missing = missingTools('php', 'composer', 'npm');

describe.skipIf(skipUnless(!missing, missing ?? ''))('build.run over the wire', () => {
  let engine: EngineClient | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('whatIf returns one Woosoo.BuildPlan per app with the commands in order, and runs and writes nothing', async () => {
    const p = makeBuildProject();
    engine = await EngineClient.start({ cwd: p.dir });
    const r = await engine.call('build.run', { path: p.dir, whatIf: true });
    expect(r.items!.map((i) => [i.$type, i.App, i.Status])).toEqual([
      ['BuildPlan', 'Backend', 'WillRun'], ['BuildPlan', 'Pwa', 'WillRun'], ['BuildPlan', 'Relay', 'Skipped'],
    ]);
    expect(r.items![0].Commands).toEqual([
      'composer install --no-dev --optimize-autoloader --no-interaction', 'php artisan migrate --force', 'php artisan config:cache',
      'php artisan route:cache', 'php artisan view:cache', 'php artisan app:selftest',
    ]);
    expect(r.items![0].Kinds).toContain('migrate');
    expect(r.items![1]).toMatchObject({ AppPath: p.pwa, Commands: ['npm ci', 'npm run build', 'npm test'], Reason: '', ProjectPath: p.dir });
    expect(logsBesidesWoosoo(p.dir)).toEqual([]);
    expect(existsSync(join(p.backend, 'vendor'))).toBe(false);
  });

  it('returns Woosoo.BuildResult objects, and a Woosoo.BuildFailed error for the app that failed', async () => {
    const p = makeBuildProject();
    p.configure('BUILD_BACKEND_COMMANDS=php -r "echo \'backend-ok\', PHP_EOL;"', 'TEST_BACKEND_COMMAND=none', 'TEST_PWA_COMMAND=none');
    const pkg = JSON.parse(readFileSync(join(p.pwa, 'package.json'), 'utf8'));
    pkg.scripts.build = 'node -e "console.error(\'boom\'); process.exit(2)"';
    writeFileSync(join(p.pwa, 'package.json'), JSON.stringify(pkg));
    engine = await EngineClient.start({ cwd: p.dir });
    const r = await engine.call('build.run', { path: p.dir, apps: ['backend', 'pwa'], parallel: true });
    const [backend, pwa] = r.items!;
    expect(backend).toMatchObject({ $type: 'BuildResult', App: 'Backend', Status: 'Succeeded', FailedCommand: '', ExitCode: null, MigrationsRan: false, AppPath: p.backend });
    expect(pwa).toMatchObject({ $type: 'BuildResult', App: 'Pwa', Status: 'Failed', FailedCommand: 'npm run build', ExitCode: 2, Steps: ['npm ci', 'npm run build'] });
    expect(pwa.Duration).toMatch(/^PT\d+\.\d{3}S$/); // ISO-8601: the module makes it a [timespan]
    expect(String(pwa.LogPath)).toMatch(new RegExp(`^${p.dir}/logs/build/\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d/pwa\\.log$`));
    expect(readFileSync(String(backend.LogPath), 'utf8')).toContain('backend-ok');
    const errors = r.errors as { message: string; data: { errorId: string; category: string; targetObject: string; recommendedAction: string } }[];
    expect(errors).toHaveLength(1);
    expect(errors[0].data).toMatchObject({ errorId: 'BuildFailed', category: 'InvalidResult', targetObject: 'npm run build' });
    expect(errors[0].message).toContain('boom');
    expect(errors[0].data.recommendedAction).toContain('Invoke-WoosooBuild -App Pwa');
    const verbose = engine.notifications.filter((n) => n.method === '$/log' && n.params?.level === 'verbose').map((n) => n.params!.message);
    expect(verbose).toEqual(expect.arrayContaining(['[pwa] boom', '[backend] backend-ok']));
  }, 60_000);

  const slowCommand = "php -r \"echo 'pid=' . getmypid() . PHP_EOL; sleep(60);\"";
  it.each([
    ['npm', 'pwa', 'npm run build', (p: ReturnType<typeof makeBuildProject>) => writeFileSync(join(p.pwa, 'package.json'),
      JSON.stringify({ name: 'slow', private: true, scripts: { build: 'node -e "console.log(\'pid=\' + process.pid); setTimeout(() => {}, 60000)"' } }))],
    ['composer', 'backend', 'composer run-script slow', (p: ReturnType<typeof makeBuildProject>) => {
      const c = JSON.parse(readFileSync(join(p.backend, 'composer.json'), 'utf8'));
      c.scripts = { slow: slowCommand };
      writeFileSync(join(p.backend, 'composer.json'), JSON.stringify(c, null, 4));
    }],
  ] as const)('$/cancel mid-build ends the %s process tree and the call fails with Woosoo.Cancelled', async (_tool, app, command, prepare) => {
    const p = makeBuildProject();
    prepare(p);
    p.configure(`BUILD_${app.toUpperCase()}_COMMANDS=${command}`);
    engine = await EngineClient.start({ cwd: p.dir });
    const id = engine.peekNextId();
    const reply = engine.request('build.run', { path: p.dir, apps: [app] });
    let pid = 0;
    const re = new RegExp(`^\\[${app}\\] pid=\\d+$`);
    for (let i = 0; i < 300 && !pid; i++) {
      const line = engine.notifications.map((n) => String(n.params?.message ?? '')).find((m) => re.test(m));
      if (line) pid = Number(line.split('=')[1]);
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    engine.notify('$/cancel', { id });
    const r = await reply;
    expect(r.error).toMatchObject({ code: -32800, data: { errorId: 'Cancelled', category: 'OperationStopped' } });
    expect(await goneSoon(pid)).toBe(true);
  }, 60_000);

  it('an invalid app name or a bad command list is refused before anything runs', async () => {
    const p = makeBuildProject();
    engine = await EngineClient.start({ cwd: p.dir });
    const bad = await engine.request('build.run', { path: p.dir, apps: ['frontend'] });
    expect(bad.error?.data?.errorId).toBe('InvalidParams');
    p.configure("BUILD_BACKEND_COMMANDS=php 'artisan");
    const cfg = await engine.request('build.run', { path: p.dir });
    expect(cfg.error?.data?.errorId).toBe('ConfigInvalid');
    expect(cfg.error?.message).toMatch(/BUILD_BACKEND_COMMANDS \(line 14\) is not a valid command list: the ' quote at character 5 is never closed/);
    expect(logsBesidesWoosoo(p.dir)).toEqual([]);
  });

  it('a build log folder that cannot be created fails the call with Woosoo.BuildLogUnwritable, and nothing is built', async () => {
    const p = makeBuildProject();
    writeFileSync(join(p.dir, 'not-a-folder'), 'x');
    p.configure('BUILD_LOG_PATH=not-a-folder/logs');
    engine = await EngineClient.start({ cwd: p.dir });
    const r = await engine.request('build.run', { path: p.dir, apps: ['pwa'] });
    expect(r.error?.data).toMatchObject({ errorId: 'BuildLogUnwritable', category: 'WriteError' });
    expect(r.error?.message).toContain(join(p.dir, 'not-a-folder', 'logs'));
    expect(existsSync(join(p.pwa, '.output'))).toBe(false);
  });
});
