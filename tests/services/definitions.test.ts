/** Service definitions from a real deployment.config.env, name selection and log retention (real files). */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProject } from '../../core/config';
import { installAll } from '../../core/services/control';
import { report } from '../../core/services/report';
import { serviceObject } from '../../core/services/methods';
import { selectDefinitions, serviceSettings, stackDefinitions } from '../../core/services/definitions';
import { pm2Home, pm2Status } from '../../core/services/pm2';
import { lastOutput, maintainLogs, pruneLogs, rotatedName, rotateIfLarge, rotatedLogs, tailLines } from '../../core/services/retention';
import { shortTmp, which } from '../harness/tools';
import { defineService, makeCtx, settings, writeProject } from './support';

const tmp = mkdtempSync(join(shortTmp(), 'wsdef-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function project(name: string, extra: Record<string, string>) {
  const dir = writeProject(join(tmp, name), extra);
  return readProject(dir, { env: process.env as Record<string, string>, cwd: dir });
}

describe('stack definitions from the configuration', () => {
  it('builds the queue worker, the HTTP backend, reverb and nginx from the keys, in start order', () => {
    mkdirSync(join(tmp, 'p1', 'backend'), { recursive: true });
    const cfg = project('p1', { SERVICE_PREFIX: 'acme', REVERB_PORT: '9123', HTTP_PORT: '8099', BACKEND_PORT: '8077', BACKEND_PATH: 'backend', SERVICE_DB_NAME: 'MariaDB', APP_NAME: 'Acme' });
    const defs = stackDefinitions(cfg, process.env as Record<string, string>);
    expect(defs.map((d) => d.name)).toEqual(['acme-queue-worker', 'acme-backend', 'acme-reverb', 'acme-nginx']);
    expect(selectDefinitions(defs).map((d) => d.key)).toEqual(['queue-worker', 'backend', 'reverb', 'nginx']);
    const [worker, web, reverb, nginx] = defs;
    expect(worker.application).toBe(which('php'));
    expect(worker.arguments.slice(0, 2)).toEqual(['artisan', 'queue:work']);
    expect(worker.workingDirectory).toBe(join(cfg.projectDir, 'backend'));
    expect(worker.dependsOn).toEqual(['MariaDB']);
    expect(web.application).toBe(which('php'));
    expect(web.arguments).toEqual(['artisan', 'serve', '--host=127.0.0.1', '--port=8077', '--no-reload']);
    expect(web.workingDirectory).toBe(join(cfg.projectDir, 'backend'));
    expect(web.dependsOn).toEqual(['MariaDB']);
    expect(web.readyPort).toBe(8077);
    expect(reverb.arguments).toContain('--port=9123');
    expect(reverb.readyPort).toBe(9123);
    expect(nginx.application).toBe(which('nginx'));
    expect(nginx.arguments).toEqual(['-p', `${cfg.projectDir}/`, '-c', join('configs', 'nginx.conf'), '-g', 'daemon off;']);
    // Blue/green (the default): nginx does not depend on a colour's services (tests/services/nssm-bluegreen.test.ts has both).
    expect(nginx.dependsOn).toEqual(['MariaDB']);
    expect(nginx.readyPort).toBe(8099);
    expect(reverb.stdoutLog).toBe(join(cfg.projectDir, 'logs', 'acme-reverb', 'output.log'));
    expect(reverb.stderrLog).toBe(join(cfg.projectDir, 'logs', 'acme-reverb', 'error.log'));
    expect(defs.every((d) => d.problem === undefined)).toBe(true);
  });

  it('a missing tool does not hide the service: the definition carries the error with the key to fix', () => {
    const cfg = project('p2', { PHP_PATH: 'tools/php-missing' });
    const [worker] = stackDefinitions(cfg, process.env as Record<string, string>);
    expect(worker.problem?.message).toContain('PHP_PATH=tools/php-missing');
    expect((worker.problem as { errorId?: string }).errorId).toBe('ToolNotFound');
  });

  it('settings come from the keys, with defaults', () => {
    const s = serviceSettings(project('p3', { SERVICE_START_TIMEOUT_SECONDS: '12', LOG_RETENTION_COUNT: '3' }));
    expect(s).toEqual({ startTimeoutMs: 12_000, stopTimeoutMs: 30_000, throttleMs: 1500, rotateBytes: 10_485_760, retentionCount: 3, retentionDays: 14 });
  });

  it('a bad value is a config problem with the line', () => {
    const cfg = project('p4', { SERVICE_PREFIX: 'bad name!' });
    const p = cfg.problems.find((x) => x.key === 'SERVICE_PREFIX');
    expect(p?.rule).toBe('Type');
    expect(p?.line).toBeGreaterThan(0);
  });

  it('selects by full name, short name and wildcard, always in start order; an unknown name is an error', () => {
    const defs = [defineService(tmp, 'w-nginx', 30, 'x', []), defineService(tmp, 'w-reverb', 20, 'x', []), defineService(tmp, 'w-queue-worker', 10, 'x', [])]
      .map((d) => ({ ...d, key: d.name.slice(2) }));
    expect(selectDefinitions(defs).map((d) => d.key)).toEqual(['queue-worker', 'reverb', 'nginx']);
    expect(selectDefinitions(defs, ['nginx', 'w-reverb']).map((d) => d.key)).toEqual(['reverb', 'nginx']);
    expect(selectDefinitions(defs, ['*r*']).map((d) => d.key)).toEqual(['queue-worker', 'reverb']);
    expect(selectDefinitions(defs, ['nothing*'])).toEqual([]);
    expect(() => selectDefinitions(defs, ['redis'])).toThrow(/"redis" is not a service of this stack; its services are w-queue-worker, w-reverb, w-nginx/);
  });
});

describe('PM2 facts', () => {
  it('maps PM2 states truthfully: pid 0 is down, a crash loop is Throttled, out of restarts is Failed', () => {
    const e = (status: string, pid = 0, unstable = 0) => ({ name: 'x', pid, pm2_env: { status, unstable_restarts: unstable } });
    expect(pm2Status(e('online', 42))).toBe('Running');
    expect(pm2Status(e('online', 0))).toBe('Throttled');
    expect(pm2Status(e('waiting restart', 0, 2))).toBe('Throttled');
    expect(pm2Status(e('waiting restart', 0, 10))).toBe('Failed');
    expect(pm2Status(e('errored'))).toBe('Failed');
    expect(pm2Status(e('stopped'))).toBe('Stopped');
    expect(pm2Status(e('stopping', 42))).toBe('StopPending');
    expect(pm2Status(e('launching'))).toBe('StartPending');
  });

  it('PM2_HOME is project-local when short, else a hashed folder under /tmp', () => {
    expect(pm2Home('/srv/woosoo')).toBe('/srv/woosoo/.pm2');
    const long = `/srv/${'x'.repeat(120)}`;
    expect(pm2Home(long)).toMatch(/^\/tmp\/woosoo-pm2-[0-9a-f]{12}$/);
    expect(pm2Home(long)).toBe(pm2Home(long));
  });
});

describe('log retention (real files)', () => {
  const dir = join(tmp, 'logs', 'svc');
  const log = join(dir, 'output.log');
  mkdirSync(dir, { recursive: true });

  it('names rotated files as NSSM does and finds them newest first', () => {
    expect(rotatedName(log, new Date(2026, 1, 15, 14, 30, 5, 7))).toBe(join(dir, 'output-20260215T143005.007.log'));
    for (const d of [1, 2, 3]) writeFileSync(join(dir, `output-2026010${d}T000000.000.log`), 'x');
    writeFileSync(join(dir, 'error-20260101T000000.000.log'), 'x');
    writeFileSync(join(dir, 'output-notes.log'), 'x');
    expect(rotatedLogs(log).map((f) => f.slice(dir.length + 1))).toEqual([
      'output-20260103T000000.000.log', 'output-20260102T000000.000.log', 'output-20260101T000000.000.log',
    ]);
  });

  it('prunes by count and by age, never the live log or unrelated files', () => {
    writeFileSync(log, 'live');
    const old = join(dir, 'output-20250101T000000.000.log');
    writeFileSync(old, 'old');
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(old, longAgo, longAgo);
    expect(pruneLogs(log, { retentionCount: 0, retentionDays: 30 })).toEqual([old]);
    const deleted = pruneLogs(log, { retentionCount: 2, retentionDays: 0 });
    expect(deleted.map((f) => f.slice(dir.length + 1))).toEqual(['output-20260101T000000.000.log']);
    expect(readdirSync(dir).sort()).toEqual(['error-20260101T000000.000.log', 'output-20260102T000000.000.log', 'output-20260103T000000.000.log', 'output-notes.log', 'output.log']);
  });

  it('rotates a log past the size limit (for PM2) and keeps a small one', () => {
    writeFileSync(log, 'x'.repeat(100));
    expect(rotateIfLarge(log, 1000)).toBe(false);
    expect(rotateIfLarge(log, 0)).toBe(false);
    expect(rotateIfLarge(log, 50)).toBe(true);
    expect(rotatedLogs(log)).toHaveLength(3);
  });

  it('maintains both logs of a service with the settings', () => {
    const def = defineService(tmp, 'svc', 1, 'x', []);
    writeFileSync(def.stderrLog, 'e'.repeat(200));
    const r = maintainLogs(def, settings({ rotateBytes: 100, retentionCount: 1, retentionDays: 0 }), true);
    expect(r.rotated).toBe(true);
    expect(rotatedLogs(def.stdoutLog)).toHaveLength(1);
    expect(rotatedLogs(def.stderrLog)).toHaveLength(1);
  });

  it('an install says once what retention did, also when nothing was due (information, not only -Verbose)', async () => {
    const defs = ['r-a', 'r-b'].map((n, i) => defineService(join(tmp, 'retention'), n, i, 'x', []));
    const installed = { name: 'PM2', rotatesLogs: false, install: async () => 'Installed' as const,
      query: async (ds: readonly { name: string }[]) => ds.map((d) => ({ name: d.name, status: 'Stopped' as const })) };
    const set = { backend: installed as never, defs, settings: settings({ retentionCount: 1, retentionDays: 0 }), projectDir: tmp };
    const said = async () => {
      const ctx = makeCtx(process.env as Record<string, string>);
      await installAll(set, ctx);
      return ctx.logs.filter((l) => /retention/i.test(l.message)).map((l) => `${l.level}: ${l.message}`);
    };
    expect(await said()).toEqual(['info: Log retention (LOG_RETENTION_COUNT=1, LOG_RETENTION_DAYS=0): no rotated log was due; nothing deleted.']);
    for (const stamp of ['20260101T000000.000', '20260102T000000.000']) writeFileSync(join(dirname(defs[0].stdoutLog), `output-${stamp}.log`), 'x');
    expect(await said()).toEqual([
      `verbose: Deleted rotated log ${join(dirname(defs[0].stdoutLog), 'output-20260101T000000.000.log')} (retention)`,
      'info: Log retention (LOG_RETENTION_COUNT=1, LOG_RETENTION_DAYS=0): deleted 1 rotated log.',
    ]);
  });

  it('a crash error quotes stdout and stderr, from the newest rotated file when the live log was just rotated', () => {
    const d = join(tmp, 'crash');
    mkdirSync(d, { recursive: true });
    const [out, err] = [join(d, 'output.log'), join(d, 'error.log')];
    writeFileSync(out, '');
    writeFileSync(join(d, 'output-20260101T000000.000.log'), 'older\n');
    writeFileSync(join(d, 'output-20260102T000000.000.log'), 'PHP Fatal error: boom\n');
    writeFileSync(err, 'warning on stderr\n');
    expect(lastOutput([out, err])).toBe(` Last lines of ${join(d, 'output-20260102T000000.000.log')}:\n  PHP Fatal error: boom Last lines of ${err}:\n  warning on stderr`);
    expect(lastOutput([join(d, 'none.log'), join(d, 'none.log')])).toBe(` ${join(d, 'none.log')} is empty.`);
  });

  it('reads the tail of a log for error messages', () => {
    const f = join(tmp, 'tail.log');
    writeFileSync(f, 'a\nb\r\nc\n\n');
    expect(tailLines(f, 2)).toEqual(['b', 'c']);
    expect(tailLines(join(tmp, 'none.log'), 2)).toEqual([]);
  });
});

describe('service reports and their Woosoo.Service objects', () => {
  const def = defineService(tmp, 'w-reverb', 20, '/usr/bin/php', ['artisan', 'reverb:start'], { readyPort: 8080, dependsOn: ['w-db'] });
  const set = { backend: { name: 'PM2' } as never, defs: [def], settings: settings(), projectDir: tmp };
  const started = new Date('2026-02-15T10:00:00.000Z');
  const seen = new Date(started.getTime() + ((26 * 60 + 3) * 60 + 4) * 1000 + 678);

  it('a report (the domain\'s type) carries the backend\'s facts and the definition where the backend has none', () => {
    const r = report(set, def, { name: def.name, status: 'Running', processId: 42, startedAt: started, restarts: 2 }, seen);
    expect(r).toEqual({
      name: 'w-reverb', displayName: def.displayName, status: 'Running', startType: null, processId: 42, startedAt: started,
      restarts: 2, lastExitCode: null, application: '/usr/bin/php', arguments: 'artisan reverb:start', workingDirectory: def.workingDirectory,
      stdoutLog: def.stdoutLog, stderrLog: def.stderrLog, dependsOn: ['w-db'], port: 8080, backend: 'PM2', projectDir: tmp, remarks: null,
      observedAt: seen,
    });
  });

  it('the wire object: PascalCase, the start time as ISO text, the uptime as a whole-second ISO-8601 duration', () => {
    const item = serviceObject(report(set, def, { name: def.name, status: 'Running', processId: 42, startedAt: started, restarts: 2 }, seen));
    expect(item).toMatchObject({
      $type: 'Service', Name: 'w-reverb', Status: 'Running', ProcessId: 42, StartTime: '2026-02-15T10:00:00.000Z', Uptime: 'PT93784.000S',
      Restarts: 2, LastExitCode: null, StartType: null, Application: '/usr/bin/php', Arguments: 'artisan reverb:start',
      DependsOn: ['w-db'], Port: 8080, Backend: 'PM2', ProjectPath: tmp, Remarks: null,
    });
    const missing = serviceObject(report(set, { ...def, problem: new Error('PHP_PATH is wrong') }, { name: def.name, status: 'NotInstalled' }));
    expect(missing).toMatchObject({ Status: 'NotInstalled', Uptime: null, ProcessId: null, Remarks: 'PHP_PATH is wrong' });
  });
});
