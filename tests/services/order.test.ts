/**
 * Starting in dependency order without waiting one service after another, against real PM2 with real node processes:
 * a dependent starts only once its dependency accepts connections (else it exits: PM2 would count a restart); a
 * dependency that crash-loops is reported for itself and its dependent is not started; a dependency that fails its
 * stability window after its dependent came up gets the dependent stopped again.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as control from '../../core/services/control';
import type { ServiceSet } from '../../core/services/control';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';
import type { ServiceDefinition } from '../../core/services/types';
import { pm2BinPath } from '../harness/pm2';
import { freePort } from '../harness/ports';
import { pidAlive, shortTmp, skipUnless } from '../harness/tools';
import { defineService, makeCtx, settings } from './support';

/** Listens on PORT after DELAY ms. */
const SLOW = `const net = require('net');
setTimeout(() => net.createServer((s) => { s.on('error', () => {}); s.end('up\\n'); }).listen(+process.env.PORT, '127.0.0.1', () => console.log('listening')), +process.env.DELAY);\n`;
/** Exits 2 unless DEP_PORT accepts a connection at once; then writes MARK (if set) and listens on PORT (if set). */
const NEEDS = `const net = require('net'), fs = require('fs');
const c = net.connect(+process.env.DEP_PORT, '127.0.0.1');
c.on('error', () => { console.error('dependency not up'); process.exit(2); });
c.on('connect', () => {
  c.destroy();
  if (process.env.MARK) fs.writeFileSync(process.env.MARK, 'started');
  if (process.env.PORT) net.createServer((s) => { s.on('error', () => {}); s.end('ok\\n'); }).listen(+process.env.PORT, '127.0.0.1');
  else setInterval(() => {}, 1000);
});\n`;
/** Listens on PORT; exits 1 as soon as the file MARK exists (written by its dependent when that starts). */
const FRAGILE = `const net = require('net'), fs = require('fs');
if (fs.existsSync(process.env.MARK)) { console.error('marker found: giving up'); process.exit(1); }
net.createServer((s) => { s.on('error', () => {}); s.end('up\\n'); }).listen(+process.env.PORT, '127.0.0.1');
setInterval(() => { if (fs.existsSync(process.env.MARK)) { console.error('marker found: giving up'); process.exit(1); } }, 50);\n`;

/** Listens on PORT; on SIGINT says whether its dependent had already exited (DONE written), then exits. */
const PATIENT = `const net = require('net'), fs = require('fs');
net.createServer((s) => { s.on('error', () => {}); s.end('up\\n'); }).listen(+process.env.PORT, '127.0.0.1');
process.on('SIGINT', () => { console.log(fs.existsSync(process.env.DONE) ? 'stopped after its dependent' : 'stopped while its dependent ran'); process.exit(0); });\n`;
/** Runs; on SIGINT takes 600 ms to finish, writes DONE, exits. */
const SLOW_TO_STOP = `const fs = require('fs');
setInterval(() => {}, 1000);
process.on('SIGINT', () => setTimeout(() => { fs.writeFileSync(process.env.DONE, 'done'); process.exit(0); }, 600));\n`;

describe.skipIf(skipUnless(existsSync(pm2BinPath()), 'pm2 not installed (npm ci)'))('start in dependency order, stability windows concurrently (real PM2)', { timeout: 120_000 }, () => {
  let dir: string;
  let backend: Pm2Backend;
  const env = process.env as Record<string, string>;
  const script = (name: string, text: string) => {
    const f = join(dir, `${name}.js`);
    writeFileSync(f, text);
    return f;
  };
  const node = (name: string, order: number, file: string, more: Partial<ServiceDefinition>) => defineService(dir, name, order, process.execPath, [file], more);
  const setOf = (defs: ServiceDefinition[], throttleMs = 1000): ServiceSet => ({ backend, projectDir: dir, settings: settings({ throttleMs, startTimeoutMs: 30_000 }), defs });

  beforeAll(() => {
    dir = mkdtempSync(join(shortTmp(), 'wsord-'));
    backend = new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env });
  });

  afterAll(async () => {
    if (backend) await killPm2(backend);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a dependent starts only once its dependency accepts connections; independent ones start too', async () => {
    const [slowPort, needsPort] = [await freePort(), await freePort()];
    const slow = node('ord-slow', 10, script('slow', SLOW), { readyPort: slowPort, env: { PORT: String(slowPort), DELAY: '800' } });
    const free = node('ord-free', 20, script('free', SLOW), { env: { PORT: String(await freePort()), DELAY: '0' } });
    const needs = node('ord-needs', 30, script('needs', NEEDS), { readyPort: needsPort, dependsOn: ['ord-slow'], env: { DEP_PORT: String(slowPort), PORT: String(needsPort) } });
    const set = setOf([slow, free, needs]);
    expect((await control.installAll(set, makeCtx(env))).errors).toEqual([]);
    const c = makeCtx(env);
    const r = await control.startAll(set, c);
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => [i.name, i.status, i.restarts])).toEqual([['ord-slow', 'Running', 0], ['ord-free', 'Running', 0], ['ord-needs', 'Running', 0]]);
    expect(c.logs.filter((l) => l.message.startsWith('Starting')).map((l) => l.message).sort()).toEqual(['Starting ord-free (PM2)', 'Starting ord-needs (PM2)', 'Starting ord-slow (PM2)']);
    expect((await control.stopAll(set, makeCtx(env))).errors).toEqual([]);
    expect((await control.uninstallAll(set, makeCtx(env))).errors).toEqual([]);
  });

  it('a dependency that crash-loops is reported for itself; its dependent is not started', async () => {
    const depPort = await freePort();
    const dead = defineService(dir, 'ord-dead', 10, process.execPath, ['-e', 'console.error("dead-on-arrival"); process.exit(4)'], { readyPort: depPort });
    const after = node('ord-after', 20, script('after', NEEDS), { dependsOn: ['ord-dead'], env: { DEP_PORT: String(depPort) } });
    const set = setOf([dead, after]);
    await control.installAll(set, makeCtx(env));
    const r = await control.startAll(set, makeCtx(env));
    expect(r.items).toEqual([]);
    expect(r.errors.map((e) => [e.data.targetObject, e.data.errorId])).toEqual([['ord-dead', 'ServiceCrashLoop'], ['ord-after', 'DependencyFailed']]);
    expect(r.errors[0].message).toContain('dead-on-arrival');
    expect(r.errors[1].message).toBe('ord-after was not started because ord-dead, which it depends on, failed.');
    expect((await control.queryServices(setOf([after]))).items[0]).toMatchObject({ status: 'Stopped', processId: null, restarts: null });
    await control.uninstallAll(set, makeCtx(env));
  });

  it('a dependency failing its stability window after the dependent came up: both reported, the dependent stopped again', async () => {
    const [depPort, mark] = [await freePort(), join(dir, 'dependent-started')];
    const fragile = node('ord-fragile', 10, script('fragile', FRAGILE), { readyPort: depPort, env: { PORT: String(depPort), MARK: mark } });
    const dependent = node('ord-dependent', 20, script('dependent', NEEDS), { dependsOn: ['ord-fragile'], env: { DEP_PORT: String(depPort), MARK: mark } });
    // A 5 s stability window: the dependent surely starts (and so breaks its dependency) within it.
    const set = setOf([fragile, dependent], 5000);
    await control.installAll(set, makeCtx(env));
    const c = makeCtx(env);
    const r = await control.startAll(set, c);
    expect(existsSync(mark)).toBe(true);
    expect(r.items).toEqual([]);
    expect(r.errors.map((e) => [e.data.targetObject, e.data.errorId])).toEqual([['ord-fragile', 'ServiceCrashLoop'], ['ord-dependent', 'DependencyFailed']]);
    expect(r.errors[0].message).toContain('marker found: giving up');
    expect(r.errors[1].message).toContain('ord-dependent was stopped again');
    expect(c.logs.map((l) => l.message)).toContain('Stopping ord-dependent again: ord-fragile, which it depends on, failed');
    const [st] = (await control.queryServices(setOf([dependent]))).items;
    expect(st.status).toBe('Stopped');
    expect(st.processId).toBeNull();
    await control.uninstallAll(set, makeCtx(env));
    rmSync(mark, { force: true });
  });

  it('stop: a service is stopped only once the services depending on it have exited', async () => {
    const [port, done] = [await freePort(), join(dir, 'dependent-done')];
    const patient = node('ord-patient', 10, script('patient', PATIENT), { readyPort: port, env: { PORT: String(port), DONE: done } });
    const other = node('ord-other', 20, script('other', SLOW_TO_STOP), { env: { DONE: join(dir, 'other-done') } });
    const slowStop = node('ord-slowstop', 30, script('slowstop', SLOW_TO_STOP), { dependsOn: ['ord-patient'], env: { DONE: done } });
    const set = setOf([patient, other, slowStop]);
    await control.installAll(set, makeCtx(env));
    const up = await control.startAll(set, makeCtx(env));
    expect(up.errors).toEqual([]);
    const r = await control.stopAll(set, makeCtx(env));
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([['ord-slowstop', 'Stopped'], ['ord-other', 'Stopped'], ['ord-patient', 'Stopped']]);
    for (const item of up.items) expect(pidAlive(item.processId!)).toBe(false);
    expect(readFileSync(join(dir, 'logs', 'ord-patient', 'output.log'), 'utf8')).toContain('stopped after its dependent');
    await control.uninstallAll(set, makeCtx(env));
  });

  it('restart of running services keeps dependency order and leaves them running with new processes', async () => {
    const [slowPort, needsPort] = [await freePort(), await freePort()];
    const slow = node('ord-slow2', 10, script('slow2', SLOW), { readyPort: slowPort, env: { PORT: String(slowPort), DELAY: '300' } });
    const needs = node('ord-needs2', 20, script('needs2', NEEDS), { readyPort: needsPort, dependsOn: ['ord-slow2'], env: { DEP_PORT: String(slowPort), PORT: String(needsPort) } });
    const set = setOf([slow, needs]);
    await control.installAll(set, makeCtx(env));
    const first = await control.startAll(set, makeCtx(env));
    expect(first.errors).toEqual([]);
    const r = await control.restartAll(set, makeCtx(env));
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => i.status)).toEqual(['Running', 'Running']);
    for (const [i, item] of r.items.entries()) {
      expect(item.processId).not.toBe(first.items[i].processId);
      expect(pidAlive(first.items[i].processId!)).toBe(false);
    }
    await control.uninstallAll(set, makeCtx(env));
  });
});
