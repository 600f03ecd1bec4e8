/**
 * The dashboard host (core/dashboard/host.ts, hostplan.ts) in the test process: its options file checked, the plan
 * (loopback over HTTP; another address refused without allowRemote, and without the project's certificate, naming
 * New-WoosooCertificate), a real listen with the state file written atomically after it and removed at stop, a port in
 * use refused with no state file, HTTPS with a certificate on a non-loopback bind, and the error line a failed host
 * writes for dashboard.start.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../core/dashboard/host';
import { hostErrorLine, parseHostError, planHost, readHostOptions, readState, stateFile, type HostOptions } from '../../core/dashboard/hostplan';
import { readProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { resolveMethod } from '../../core/methods';
import { selfSigned } from '../certs/openssl';
import { freePort } from '../harness/ports';
import { makeProject, type Project } from '../sync/fixtures';

let project: Project;
const env = process.env as Record<string, string>;
const opts = (more: Partial<HostOptions> = {}): HostOptions => ({ projectDir: project.dir, port: 8080, bindAddress: '127.0.0.1', allowRemote: false, ...more });
const cfg = () => readProject(project.dir, { env, cwd: project.dir });

function refusal(fn: () => unknown): WoosooError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WoosooError) return err;
    throw err;
  }
  throw new Error('not refused');
}

beforeAll(() => {
  project = makeProject();
});
afterAll(() => project.cleanup());

describe('the host plan', () => {
  it('serves loopback over HTTP at its own address', () => {
    expect(planHost(opts({ port: 8123 }), cfg())).toMatchObject({ https: null, url: 'http://127.0.0.1:8123/', hosts: [] });
    expect(planHost(opts({ bindAddress: '::1' }), cfg()).url).toBe('http://[::1]:8080/');
  });

  it('refuses another address without allowRemote, a missing certificate, and a name that is no address', () => {
    const remote = refusal(() => planHost(opts({ bindAddress: '192.168.7.20' }), cfg()));
    expect(remote.errorId).toBe('DashboardRemoteRefused');
    expect(remote.recommendedAction).toMatch(/-AllowRemote/);
    const nocert = refusal(() => planHost(opts({ bindAddress: '192.168.7.20', allowRemote: true }), cfg()));
    expect(nocert.errorId).toBe('DashboardCertificateMissing');
    expect(nocert.message).toContain(join(project.dir, 'certs', 'woosoo.pem'));
    expect(nocert.recommendedAction).toMatch(/New-WoosooCertificate/);
    expect(refusal(() => planHost(opts({ bindAddress: 'example.com' }), cfg())).errorId).toBe('DashboardBadAddress');
  });

  it('reads an options file, naming the file and the bad key', () => {
    const file = join(project.dir, 'opts.json');
    writeFileSync(file, '{"projectDir": "x", "port": 70000}');
    const bad = refusal(() => readHostOptions(file));
    expect(bad.errorId).toBe('DashboardOptionsInvalid');
    expect(bad.message).toContain(file);
    expect(bad.message).toContain('options.port');
    writeFileSync(file, '{not json');
    expect(refusal(() => readHostOptions(file)).errorId).toBe('DashboardOptionsInvalid');
    writeFileSync(file, JSON.stringify({ projectDir: project.dir }));
    expect(readHostOptions(file)).toMatchObject({ port: 8080, bindAddress: '127.0.0.1', allowRemote: false });
  });

  it('passes a host error to its starter as one stderr line', () => {
    const e = new WoosooError('DashboardPortInUse', 'port taken', { category: 'ResourceBusy', fix: 'use -Port', target: '8080' });
    const back = parseHostError(`noise\n${hostErrorLine(e)}\nmore noise\n`);
    expect(back).toMatchObject({ errorId: 'DashboardPortInUse', message: 'port taken', category: 'ResourceBusy', recommendedAction: 'use -Port', targetObject: '8080' });
    expect(parseHostError('a crash without the line')).toBeNull();
  });
});

describe('a host that listens', () => {
  it('writes the state file after listen, answers for real, refuses a port in use, and removes the file at stop', async () => {
    const port = await freePort();
    const host = await startHost(opts({ port }), resolveMethod, env);
    try {
      expect(readState(project.dir)).toEqual(host.state);
      expect(host.state).toMatchObject({ pid: process.pid, url: `http://127.0.0.1:${port}/`, port, https: false });
      expect(JSON.parse(readFileSync(stateFile(project.dir), 'utf8')).pid).toBe(process.pid);
      const r = await fetch(`http://127.0.0.1:${port}/api/session`);
      expect(r.status).toBe(401);

      const other = makeProject();
      try {
        const err = await startHost({ ...opts({ port }), projectDir: other.dir }, resolveMethod, env).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(WoosooError);
        expect(err).toMatchObject({ errorId: 'DashboardPortInUse' });
        expect((err as Error).message).toContain(String(port));
        expect(existsSync(stateFile(other.dir))).toBe(false);
      } finally {
        other.cleanup();
      }
    } finally {
      await host.stop();
    }
    expect(existsSync(stateFile(project.dir))).toBe(false);
    expect(readFileSync(join(project.dir, 'logs', 'woosoo', 'dashboard.log'), 'utf8')).toMatch(/started: http:\/\/127\.0\.0\.1:\d+\/[\s\S]*stopped/);
  });

  it('tells its quiet-time collector (core/kernel/idlegc.ts) when work ends: after each response and each closed upgraded socket', async () => {
    const port = await freePort();
    let quiet = 0;
    const host = await startHost(opts({ port }), resolveMethod, env, { onQuiet: () => { quiet++; } });
    try {
      expect(quiet).toBe(0);
      await (await fetch(`http://127.0.0.1:${port}/api/session`)).text();
      await new Promise((r) => setTimeout(r, 50));
      expect(quiet).toBe(1);
      // A WebSocket upgrade without a session: refused, then its connection closed; each counts.
      const before = quiet;
      await new Promise<void>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => s.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:${port}\r\n\r\n`));
        s.on('data', () => s.end());
        s.on('close', () => resolve());
        s.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(quiet).toBe(before + 2); // its 401 (a response) and its connection's close
    } finally {
      await host.stop();
    }
  });

  it('serves HTTPS with the project certificate on a non-loopback bind (with allowRemote)', async () => {
    const certs = join(project.dir, 'certs');
    mkdirSync(certs, { recursive: true });
    selfSigned({ san: 'IP:127.0.0.1,DNS:localhost', days: 2, certFile: join(certs, 'woosoo.pem'), keyFile: join(certs, 'woosoo-key.pem') });
    const port = await freePort();
    const host = await startHost(opts({ port, bindAddress: '0.0.0.0', allowRemote: true }), resolveMethod, env);
    try {
      expect(host.state).toMatchObject({ https: true, bindAddress: '0.0.0.0' });
      expect(host.state.url).toMatch(new RegExp(`^https://.+:${port}/$`));
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/api/session', rejectUnauthorized: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); })
          .on('error', reject).end();
      });
      expect(status).toBe(401);
      // Plain HTTP on that port gets no answer from the API.
      const plain = await fetch(`http://127.0.0.1:${port}/api/session`).then((r) => r.status, () => 0);
      expect(plain).not.toBe(401);
    } finally {
      await host.stop();
    }
  });
});
