// Health checks against real servers started here: node HTTP servers as nginx and the backend, a `ws` WebSocket
// server as Reverb, a real MariaDB (tests/harness) with Laravel's jobs/failed_jobs tables, and closed ports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../core/config';
import { runHealthChecks, waitHealthy, type HealthResult } from '../../core/health';
import { expectedAccept, websocketHandshake } from '../../core/health/websocket';
import { readHealthBody } from '../../core/health/http';
import { healthObject } from '../../core/health/methods';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { freePort } from '../harness/ports';
import { hasTool, missingTools, skipUnless } from '../harness/tools';
import { selfSigned } from '../certs/openssl';
import { BASE_CONFIG, makeProject, startHttp, startSilent, startWebSocket, type Project, type Running } from './fixtures';

const ctx = () => ({ env: { ...process.env } as Record<string, string>, signal: new AbortController().signal });
const byName = (checks: HealthResult[], name: string) => {
  const c = checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check named ${name} in ${checks.map((x) => x.name).join(', ')}`);
  return c;
};

describe('pieces', () => {
  it('computes the RFC 6455 accept value (the RFC example)', () => {
    expect(expectedAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('reads a Laravel health body: false dependencies, error, queue summary', () => {
    expect(readHealthBody('{"status":"error","db":false,"queue":null,"error":"database unreachable"}'))
      .toEqual({ failed: ['db'], error: 'database unreachable', summary: '' });
    expect(readHealthBody('{"status":"ok","db":true,"queue":{"pending":3,"failed":1}}').summary).toBe('db ok, queue 3 pending, 1 failed');
    expect(readHealthBody('OK').summary).toBe('body is not JSON');
  });
});

describe('websocket handshake', () => {
  let ws: Running;
  let http: Running;
  beforeAll(async () => {
    ws = await startWebSocket();
    http = await startHttp(200, { status: 'ok' });
  });
  afterAll(async () => {
    await ws.close();
    await http.close();
  });

  it('completes against a real WebSocket server and verifies Sec-WebSocket-Accept', async () => {
    const r = await websocketHandshake(`ws://127.0.0.1:${ws.port}/app/k?protocol=7`, new AbortController().signal);
    expect(r.ok).toBe(true);
    expect(r.status).toBe(101);
    expect(r.message).toMatch(/verified/);
    expect(ws.requests).toContain('/app/k?protocol=7');
  });

  it('fails against a plain HTTP server (no 101)', async () => {
    const r = await websocketHandshake(`ws://127.0.0.1:${http.port}/app/k`, new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.status).toBe(200);
    expect(r.message).toMatch(/instead of 101/);
  });

  it('rejects with ECONNREFUSED on a closed port', async () => {
    const port = await freePort();
    await expect(websocketHandshake(`ws://127.0.0.1:${port}/`, new AbortController().signal)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe.skipIf(skipUnless(hasTool('mariadbd', 'mariadb-install-db', 'mariadb'), missingTools('mariadbd', 'mariadb-install-db', 'mariadb') ?? ''))('a running stack', () => {
  let db: MariaDb;
  let nginx: Running;
  let backend: Running;
  let reverb: Running;
  let project: Project;
  const password = 'health-Db-pw-9876';

  beforeAll(async () => {
    db = await startMariaDb({ database: 'wshealth', user: 'wshealth', password });
    await db.query([
      'CREATE TABLE jobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, queue VARCHAR(191) NOT NULL, payload LONGTEXT NOT NULL, attempts TINYINT UNSIGNED NOT NULL, reserved_at INT UNSIGNED NULL, available_at INT UNSIGNED NOT NULL, created_at INT UNSIGNED NOT NULL)',
      'CREATE TABLE failed_jobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, uuid VARCHAR(191) UNIQUE, connection TEXT, queue TEXT, payload LONGTEXT, exception LONGTEXT, failed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)',
      "INSERT INTO jobs (queue, payload, attempts, available_at, created_at) VALUES ('default','{}',0,0,0),('default','{}',0,0,0),('default','{}',0,0,0)",
    ].join(';'));
    nginx = await startHttp(200, { status: 'ok', db: true, queue: { pending: 3, failed: 0 } });
    backend = await startHttp(200, { status: 'ok', db: true, queue: { pending: 3, failed: 0 } });
    reverb = await startWebSocket();
    project = makeProject();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([db?.stop(), nginx?.close(), backend?.close(), reverb?.close()]);
    project?.cleanup();
  }, 60_000);

  const stackConfig = () => ({
    HTTP_PORT: nginx.port, BACKEND_PORT: backend.port, REVERB_PORT: reverb.port,
    DB_PORT: db.port, DB_DATABASE: db.database, DB_USERNAME: db.user, DB_PASSWORD: password,
  });

  it('is Healthy everywhere when every part answers', async () => {
    project.write(stackConfig());
    const checks = await runHealthChecks(loadProject(project.dir, { env: process.env as Record<string, string>, cwd: project.dir }), ctx());
    const names = checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining([
      'Port HTTP_PORT', 'Port BACKEND_PORT', 'Port REVERB_PORT', 'Port DB_PORT', 'Reverb WebSocket', 'Database',
      'Queue pending', 'Queue failed', 'HTTP via nginx', 'HTTP backend', 'CPU', 'Memory', 'Disk',
    ]));
    for (const name of ['Port HTTP_PORT', 'Port BACKEND_PORT', 'Port REVERB_PORT', 'Port DB_PORT', 'Reverb WebSocket', 'Database', 'Queue pending', 'Queue failed', 'HTTP via nginx', 'HTTP backend']) {
      expect(byName(checks, name).status, `${name}: ${byName(checks, name).message}`).toBe('Healthy');
    }
    expect(byName(checks, 'Queue pending').value).toBe(3);
    expect(byName(checks, 'Queue failed').value).toBe(0);
    expect(byName(checks, 'Database').value).toMatch(/MariaDB/);
    expect(byName(checks, 'HTTP via nginx').latencyMs).toBeGreaterThanOrEqual(0);
    expect(byName(checks, 'HTTP via nginx').message).toMatch(/^200 OK in \d+ ms; db ok, queue 3 pending, 0 failed\.$/);
    expect(nginx.requests).toContain('/api/health');
    expect(reverb.requests.some((u) => u.startsWith('/app/'))).toBe(true);
    for (const c of checks) {
      expect(healthObject(c).$type).toBe('HealthCheck');
      expect(JSON.stringify(healthObject(c))).not.toContain(password);
      expect(['Service', 'Resource', 'Application']).toContain(c.category);
      expect(JSON.stringify(c)).not.toContain(password);
    }
    expect(byName(checks, 'Reverb WebSocket').target).not.toContain(BASE_CONFIG.REVERB_APP_KEY);
  });

  it('turns queue counts over the thresholds into Degraded', async () => {
    await db.query("INSERT INTO failed_jobs (uuid, connection, queue, payload, exception) VALUES ('u1','database','default','{}','boom')");
    project.write({ ...stackConfig(), HEALTH_QUEUE_PENDING_WARN: 2, HEALTH_QUEUE_FAILED_WARN: 0 });
    const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { categories: ['Application'] });
    expect(checks.every((c) => c.category === 'Application')).toBe(true);
    expect(byName(checks, 'Queue pending')).toMatchObject({ status: 'Degraded', value: 3, threshold: 2 });
    expect(byName(checks, 'Queue failed')).toMatchObject({ status: 'Degraded', value: 1, threshold: 0 });
    expect(byName(checks, 'Queue failed').message).toMatch(/HEALTH_QUEUE_FAILED_WARN=0/);
    await db.query('DELETE FROM failed_jobs');
  });

  it('reports a wrong database password as Unhealthy without showing the password', async () => {
    project.write({ ...stackConfig(), DB_PASSWORD: 'wrong-Password-123' });
    const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { names: ['Database', 'Queue *'] });
    expect(checks.map((c) => c.name)).toEqual(['Database', 'Queue pending', 'Queue failed']);
    expect(byName(checks, 'Database').status).toBe('Unhealthy');
    expect(byName(checks, 'Database').message).toMatch(/Access denied/);
    expect(byName(checks, 'Queue pending').status).toBe('Unknown');
    expect(JSON.stringify(checks)).not.toContain('wrong-Password-123');
  });

  it('reports missing queue tables as Unknown with the fix', async () => {
    await db.rootQuery(`CREATE DATABASE IF NOT EXISTS wsempty; GRANT ALL ON wsempty.* TO '${db.user}'@'%'`);
    project.write({ ...stackConfig(), DB_DATABASE: 'wsempty' });
    const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { names: ['Database', 'Queue *'] });
    expect(byName(checks, 'Database').status).toBe('Healthy');
    expect(byName(checks, 'Queue pending').status).toBe('Unknown');
    expect(byName(checks, 'Queue pending').message).toMatch(/jobs.*migrat/);
  });

  it('a 200 whose body says db:false is Unhealthy; a 503 is Unhealthy with its error', async () => {
    const dbDown = await startHttp(200, { status: 'ok', db: false, queue: null });
    const down = await startHttp(503, { status: 'error', db: false, error: 'database unreachable' });
    try {
      project.write({ ...stackConfig(), HTTP_PORT: dbDown.port, BACKEND_PORT: down.port });
      const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { names: ['HTTP *'] });
      expect(byName(checks, 'HTTP via nginx')).toMatchObject({ status: 'Unhealthy', value: 200 });
      expect(byName(checks, 'HTTP via nginx').message).toMatch(/db: false/);
      expect(byName(checks, 'HTTP backend')).toMatchObject({ status: 'Unhealthy', value: 503 });
      expect(byName(checks, 'HTTP backend').message).toMatch(/503 Service Unavailable .*database unreachable/);
    } finally {
      await dbDown.close();
      await down.close();
    }
  });

  it('waitHealthy succeeds at once on a healthy stack', async () => {
    project.write(stackConfig());
    const r = await waitHealthy(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { deadlineMs: 5_000, intervalMs: 200, names: ['Port *', 'Reverb *', 'Database', 'Queue *', 'HTTP *'] });
    expect(r.healthy).toBe(true);
    expect(r.attempts).toBe(1);
    expect(r.failing).toEqual([]);
  });
});

describe('a stopped stack', () => {
  let project: Project;
  let silent: Running;
  beforeAll(async () => {
    project = makeProject();
    silent = await startSilent();
  });
  afterAll(async () => {
    await silent.close();
    project.cleanup();
  });

  it('closed ports are Unhealthy, a silent server times out, the extra URL is fetched', async () => {
    const [http, backend, reverb, dbPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const extra = await startHttp(204, '');
    try {
      project.write({
        HTTP_PORT: http, BACKEND_PORT: backend, REVERB_PORT: reverb, DB_PORT: dbPort, HEALTH_TIMEOUT_SECONDS: 1,
        HEALTH_URLS: `http://127.0.0.1:${silent.port}/hang,http://127.0.0.1:${extra.port}/ok`,
      });
      const started = performance.now();
      const checks = await runHealthChecks(loadProject(project.dir, { env: process.env as Record<string, string>, cwd: project.dir }), ctx(), { categories: ['Service', 'Application'] });
      expect(byName(checks, 'Services')).toMatchObject({ status: 'Unknown' });
      expect(byName(checks, 'Services').message).toMatch(/Cannot query the services: NSSM_PATH=/);
      const wall = performance.now() - started;
      for (const name of ['Port HTTP_PORT', 'Port BACKEND_PORT', 'Port REVERB_PORT', 'Port DB_PORT', 'Reverb WebSocket', 'Database', 'HTTP via nginx', 'HTTP backend']) {
        expect(byName(checks, name).status, `${name}: ${byName(checks, name).message}`).toBe('Unhealthy');
      }
      expect(byName(checks, 'Port HTTP_PORT').message).toMatch(/connection refused/);
      expect(byName(checks, 'Reverb WebSocket').message).toMatch(/Nothing listens/);
      expect(byName(checks, 'HTTP backend').message).toMatch(/nothing is listening/);
      const hang = byName(checks, `URL http://127.0.0.1:${silent.port}/hang`);
      expect(hang.status).toBe('Unhealthy');
      expect(hang.message).toMatch(/No answer within 1 s/);
      expect(byName(checks, `URL http://127.0.0.1:${extra.port}/ok`)).toMatchObject({ status: 'Healthy', value: 204 });
      expect(byName(checks, 'Queue pending').status).toBe('Unknown');
      // The checks ran in parallel: one timeout, not the sum of them.
      expect(wall).toBeLessThan(8_000);
    } finally {
      await extra.close();
    }
  });

  it('a password in a HEALTH_URLS entry is never shown', async () => {
    const extra = await startHttp(200, 'ok');
    try {
      project.write({ HEALTH_URLS: `http://admin:Sup3r-secret-pw@127.0.0.1:${extra.port}/status` });
      const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { names: ['URL *'] });
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ status: 'Healthy', name: `URL http://admin:********@127.0.0.1:${extra.port}/status` });
      expect(JSON.stringify(checks)).not.toContain('Sup3r-secret-pw');
    } finally {
      await extra.close();
    }
  });

  it('waitHealthy gives up at the deadline and names what is failing', async () => {
    project.write({ HTTP_PORT: await freePort(), HEALTH_TIMEOUT_SECONDS: 1 });
    const r = await waitHealthy(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { deadlineMs: 600, intervalMs: 200, names: ['Port HTTP_PORT'] });
    expect(r.healthy).toBe(false);
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    expect(r.failing.map((c) => c.name)).toEqual(['Port HTTP_PORT']);
  });

  it('resource checks give values and thresholds from the configuration', async () => {
    project.write({ HEALTH_CPU_WARN_PERCENT: 100, HEALTH_MEMORY_WARN_PERCENT: 1, HEALTH_DISK_MIN_GB: 1_000_000 });
    const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { categories: ['Resource'] });
    expect(checks.map((c) => c.name)).toEqual(['CPU', 'Memory', 'Disk']);
    expect(byName(checks, 'CPU')).toMatchObject({ status: 'Healthy', threshold: 100 });
    expect(typeof byName(checks, 'CPU').value).toBe('number');
    expect(byName(checks, 'Memory')).toMatchObject({ status: 'Degraded', threshold: 1 });
    expect(byName(checks, 'Disk')).toMatchObject({ status: 'Unhealthy', threshold: 1_000_000 });
    expect(byName(checks, 'Disk').message).toMatch(/HEALTH_DISK_MIN_GB=1000000/);
  });

  it('cancellation stops the run', async () => {
    project.write({ HEALTH_TIMEOUT_SECONDS: 5, HEALTH_URLS: `http://127.0.0.1:${silent.port}/hang` });
    const ctl = new AbortController();
    const p = runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), { env: {}, signal: ctl.signal }, { names: ['URL *'] });
    setTimeout(() => ctl.abort(new Error('cancelled by test')), 100);
    await expect(p).rejects.toThrow('cancelled by test');
  });
});

describe.skipIf(skipUnless(hasTool('openssl'), missingTools('openssl') ?? ''))('HTTPS and slow answers', () => {
  let project: Project;
  let https: Server;
  let slow: Running;
  let dir: string;

  beforeAll(async () => {
    project = makeProject();
    dir = mkdtempSync(join(tmpdir(), 'wshttps-'));
    selfSigned({ san: 'IP:127.0.0.1', days: 30, certFile: join(dir, 'c.pem'), keyFile: join(dir, 'k.pem') });
    https = createHttpsServer({ cert: readFileSync(join(dir, 'c.pem')), key: readFileSync(join(dir, 'k.pem')) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"ok","db":true}');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
    slow = await startHttp(200, { status: 'ok', db: true }, 700);
  });
  afterAll(async () => {
    https?.closeAllConnections();
    await new Promise((r) => https?.close(r));
    await slow?.close();
    project?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with HTTPS_ENABLED, fetches the endpoint over HTTPS (a self-signed certificate is not judged here)', async () => {
    const port = (https.address() as { port: number }).port;
    project.write({ HTTPS_ENABLED: 'true', HTTPS_PORT: port, HTTP_PORT: slow.port, HEALTH_TIMEOUT_SECONDS: 1 });
    const checks = await runHealthChecks(loadProject(project.dir, { env: {}, cwd: project.dir }), ctx(), { names: ['HTTPS via nginx', 'Port HTTPS_PORT', 'HTTP via nginx'] });
    expect(byName(checks, 'HTTPS via nginx')).toMatchObject({ status: 'Healthy', value: 200, target: `https://127.0.0.1:${port}/api/health` });
    expect(byName(checks, 'Port HTTPS_PORT').status).toBe('Healthy');
    // 700 ms is more than half of HEALTH_TIMEOUT_SECONDS=1: Degraded, with the reason.
    expect(byName(checks, 'HTTP via nginx')).toMatchObject({ status: 'Degraded', value: 200 });
    expect(byName(checks, 'HTTP via nginx').message).toMatch(/slow: \d+ ms, over half of HEALTH_TIMEOUT_SECONDS/);
  });
});
