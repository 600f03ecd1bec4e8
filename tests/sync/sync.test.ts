// syncConfig end to end inside the engine's code, with the real parts: real nginx -t (and a real nginx serving the
// rendered file), real phpdotenv reading the written .env, real backups (core/backup) taken before an overwrite and
// restored byte for byte.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { restoreBackup } from '../../core/backup';
import { loadValidProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { syncConfig } from '../../core/sync';
import { hasTool, skipUnless } from '../harness/tools';
import { makeProject, testContext, type Project } from './fixtures';

const nginxReason = hasTool('nginx') ? '' : 'nginx missing (run bash scripts/setup.sh)';
const phpReason = hasTool('php') && existsSync('/usr/share/php/Dotenv/autoload.php') ? '' : 'php or phpdotenv missing (run bash scripts/setup.sh)';

const OLD_BACKEND_ENV = [
  '# hand-written by the admin',
  'APP_NAME="Woosoo Nexus"',
  'APP_KEY=base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=',
  'APP_DEBUG=true',
  '',
  'MAIL_HOST=smtp.example.invalid',
  'DB_PASSWORD=old-password-1',
  '',
].join('\n');

function phpDotenv(file: string): Record<string, string> {
  const php = "require '/usr/share/php/Dotenv/autoload.php'; echo json_encode(Dotenv\\Dotenv::parse(file_get_contents($argv[1])));";
  return JSON.parse(execFileSync('php', ['-r', php, file], { encoding: 'utf8' })) as Record<string, string>;
}

/** Every file under dir with its content, for "nothing was written". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

async function expectError(p: Promise<unknown>, errorId: string): Promise<WoosooError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WoosooError);
  expect((err as WoosooError).errorId, (err as Error).message).toBe(errorId);
  return err as WoosooError;
}

describe('syncConfig', () => {
  let project: Project;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  const sync = (opts: { apps?: string[]; whatIf: boolean }) => {
    const ctx = testContext(project.dir);
    return syncConfig(loadValidProject(project.dir, ctx), ctx, opts);
  };

  it('-WhatIf plans a Create per target with diffs, secrets masked, and writes nothing', async () => {
    const before = snapshot(project.dir);
    const changes = await sync({ whatIf: true });
    expect(snapshot(project.dir)).toEqual(before);
    expect(changes.map((c) => [c.app, c.action, c.whatIf])).toEqual([
      ['backend', 'Create', true], ['pwa', 'Create', true], ['nginx', 'Create', true],
    ]);
    const backend = changes[0];
    expect(backend.path).toBe(join(project.backend, '.env'));
    expect(backend.diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/apps\/woosoo-nexus\/\.env\n@@ -0,0 \+1,\d+ @@\n/);
    expect(backend.diff).toContain('+DB_PASSWORD=********');
    expect(backend.diff).toContain('+REVERB_APP_SECRET=********');
    expect(backend.diff).toContain("+APP_NAME='Woosoo Test'");
    for (const c of changes) {
      expect(c.diff).not.toContain('Sync-Pa55');
      expect(c.diff).not.toContain('sync-reverb-secret-0001');
      expect(c.diff).not.toContain('sync-reverb-key-0001');
    }
    expect(changes[1].diff).not.toMatch(/REVERB_APP_SECRET|DB_PASSWORD/); // nothing secret goes to the browser app
    if (!nginxReason) expect(changes[2].check).toBe('nginx -t passed');
  });

  it.skipIf(skipUnless(!phpReason, phpReason))('creates the files; phpdotenv reads the exact values; .env files are 0600', async () => {
    project.writeConfig({ DB_PASSWORD: `'p@ss w0rd #1 $HOME "x" \\ end'`, APP_NAME: '"Crème & <Brûlée>"' });
    const changes = await sync({ whatIf: false });
    expect(changes.map((c) => c.action)).toEqual(['Create', 'Create', 'Create']);
    expect(changes.every((c) => c.whatIf === false && c.backupId === undefined)).toBe(true);
    const env = phpDotenv(join(project.backend, '.env'));
    expect(env.DB_PASSWORD).toBe('p@ss w0rd #1 $HOME "x" \\ end');
    expect(env.APP_NAME).toBe('Crème & <Brûlée>'); // no HTML escaping
    expect(env.APP_URL).toBe('http://127.0.0.1:8088');
    expect(env.REVERB_SERVER_PORT).toBe('8081');
    expect(statSync(join(project.backend, '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(project.pwa, '.env')).mode & 0o777).toBe(0o600);
    const pwa = readFileSync(join(project.pwa, '.env'), 'utf8');
    expect(pwa).toContain('NUXT_PUBLIC_API_BASE=http://127.0.0.1:8088/api');
    const conf = readFileSync(join(project.dir, 'configs', 'nginx.conf'), 'utf8');
    expect(conf).toContain('proxy_pass http://127.0.0.1:8001;');
    expect(conf).toContain('proxy_pass http://127.0.0.1:8081;');
    expect(conf).not.toContain('&amp;');
    expect(existsSync(join(project.dir, 'logs'))).toBe(true);
    expect(existsSync(join(project.dir, 'temp'))).toBe(true);
  });

  it('merges into an existing .env: APP_KEY and unmanaged lines survive; the old file is backed up and restorable', async () => {
    const envPath = join(project.backend, '.env');
    writeFileSync(envPath, OLD_BACKEND_ENV);
    mkdirSync(join(project.backend, 'bootstrap', 'cache'), { recursive: true });
    writeFileSync(join(project.backend, 'bootstrap', 'cache', 'config.php'), '<?php return [];');
    const ctx = testContext(project.dir);
    const changes = await syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: false, apps: ['backend'] });
    expect(ctx.logs.some((l) => l.level === 'warning' && /config:cache/.test(l.message))).toBe(true);
    expect(changes).toHaveLength(1);
    const c = changes[0];
    expect(c.action).toBe('Update');
    expect(c.diff).toContain('-DB_PASSWORD=********');
    expect(c.diff).toContain('+DB_PASSWORD=********');
    expect(c.diff).not.toContain('old-password-1');
    expect(c.diff).not.toMatch(/^[-+]APP_KEY/m);
    expect(c.backupId).toMatch(/^\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d/);

    const text = readFileSync(envPath, 'utf8');
    expect(text).toContain('APP_KEY=base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=\n');
    expect(text.startsWith('# hand-written by the admin\n')).toBe(true);
    expect(text).toContain('MAIL_HOST=smtp.example.invalid\n');
    expect(text).toContain("DB_PASSWORD='Sync-Pa55 #word'");
    expect(text).toContain('APP_DEBUG=false');
    // order kept: APP_KEY still between APP_NAME and APP_DEBUG
    expect(text.indexOf('APP_NAME=')).toBeLessThan(text.indexOf('APP_KEY='));
    expect(text.indexOf('APP_KEY=')).toBeLessThan(text.indexOf('APP_DEBUG='));

    const backupCopy = join(project.dir, 'backups', c.backupId!, 'apps', 'woosoo-nexus', '.env');
    expect(readFileSync(backupCopy, 'utf8')).toBe(OLD_BACKEND_ENV);
    await restoreBackup(loadValidProject(project.dir, ctx), ctx, c.backupId!, { skipDatabase: true });
    expect(readFileSync(envPath, 'utf8')).toBe(OLD_BACKEND_ENV);
  });

  it('a second sync changes nothing and takes no backup', async () => {
    await sync({ whatIf: false });
    const before = snapshot(project.dir);
    const again = await sync({ whatIf: false });
    expect(again.map((c) => c.action)).toEqual(['Unchanged', 'Unchanged', 'Unchanged']);
    expect(again.every((c) => c.diff === '' && c.backupId === undefined)).toBe(true);
    expect(snapshot(project.dir)).toEqual(before);
    expect(existsSync(join(project.dir, 'backups'))).toBe(false);
  });

  it.skipIf(skipUnless(!nginxReason, nginxReason))('a broken override template fails nginx -t: the old nginx.conf stays, nothing is written, [emerg] is reported', async () => {
    await sync({ whatIf: false, apps: ['nginx'] });
    const confPath = join(project.dir, 'configs', 'nginx.conf');
    const good = readFileSync(confPath, 'utf8');
    mkdirSync(join(project.dir, 'templates'));
    const builtin = readFileSync(join(__dirname, '..', '..', 'templates', 'nginx.conf.hbs'), 'utf8');
    writeFileSync(join(project.dir, 'templates', 'nginx.conf.hbs'), builtin.replace('sendfile on;', 'sendfile on;\n    no_such_directive {{HTTP_PORT}};'));
    writeFileSync(join(project.backend, '.env'), OLD_BACKEND_ENV);
    const before = snapshot(project.dir);
    const err = await expectError(sync({ whatIf: false }), 'SyncNginxCheckFailed');
    expect(err.message).toMatch(/\[emerg\] unknown directive "no_such_directive" in nginx\.conf:\d+/);
    expect(err.message).toContain(join(project.dir, 'templates', 'nginx.conf.hbs'));
    expect(err.category).toBe('InvalidData');
    expect(snapshot(project.dir)).toEqual(before);
    expect(readFileSync(confPath, 'utf8')).toBe(good);
    // -WhatIf reports the same failure
    await expectError(sync({ whatIf: true, apps: ['nginx'] }), 'SyncNginxCheckFailed');
  });

  it('NGINX_PATH that is not nginx: written unchecked, with a warning saying why', async () => {
    project.writeConfig({ NGINX_PATH: 'tools/no-nginx-here' });
    const ctx = testContext(project.dir);
    const [c] = await syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: true, apps: ['nginx'] });
    expect(c.check).toBe(`NGINX_PATH (${join(project.dir, 'tools', 'no-nginx-here')}) is not an executable file: not checked with nginx -t`);
    expect(ctx.logs.some((l) => l.level === 'warning' && l.message.includes('not checked'))).toBe(true);
  });

  it('a template error names the template file and line; nothing is written', async () => {
    mkdirSync(join(project.dir, 'templates'));
    writeFileSync(join(project.dir, 'templates', 'laravel.env.hbs'), 'APP_NAME={{dotenv APP_NAME}}\nDB_HOST={{dotenv DB_HOSTNAME}}\n');
    const before = snapshot(project.dir);
    const err = await expectError(sync({ whatIf: false }), 'SyncTemplateError');
    expect(err.message).toContain(join(project.dir, 'templates', 'laravel.env.hbs'));
    expect(err.message).toMatch(/line 2/);
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('a value no dotenv quoting can carry is refused without showing it', async () => {
    project.writeConfig({ DB_PASSWORD: `"it's \\"quoted\\""` });
    const err = await expectError(sync({ whatIf: true }), 'SyncTemplateError');
    expect(err.message).toMatch(/laravel\.env\.hbs: .*phpdotenv.*\(line \d+/);
    expect(err.message).not.toContain("it's");
  });

  it('a target .env with a syntax error is not touched', async () => {
    writeFileSync(join(project.backend, '.env'), 'APP_KEY=x\nBROKEN="never closed\nMORE=1\n');
    const err = await expectError(sync({ whatIf: false }), 'SyncTargetSyntax');
    expect(err.message).toMatch(/\.env line 2/);
    expect(readFileSync(join(project.backend, '.env'), 'utf8')).toBe('APP_KEY=x\nBROKEN="never closed\nMORE=1\n');
  });

  it('-App limits the targets; unknown names and missing app folders are clear errors', async () => {
    const only = await sync({ whatIf: true, apps: ['PWA'] });
    expect(only.map((c) => c.app)).toEqual(['pwa']);
    const err = await expectError(sync({ whatIf: true, apps: ['frontend'] }), 'SyncTargetNotFound');
    expect(err.message).toContain('backend, pwa, nginx');
    project.writeConfig({ PWA_PATH: 'apps/not-there' });
    const ctx = testContext(project.dir);
    const changes = await syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: true });
    expect(changes.map((c) => c.app)).toEqual(['backend', 'nginx']);
    expect(ctx.logs.some((l) => l.level === 'warning' && l.message.includes('apps/not-there'))).toBe(true);
    await expectError(sync({ whatIf: true, apps: ['pwa'] }), 'SyncAppMissing');
  });

  it('an overwritten file keeps its mode; a .env holding secrets becomes 0600', async () => {
    mkdirSync(join(project.dir, 'configs'));
    writeFileSync(join(project.dir, 'configs', 'nginx.conf'), '# old\n');
    chmodSync(join(project.dir, 'configs', 'nginx.conf'), 0o640);
    writeFileSync(join(project.backend, '.env'), OLD_BACKEND_ENV);
    chmodSync(join(project.backend, '.env'), 0o664);
    const changes = await sync({ whatIf: false, apps: ['nginx', 'backend'] });
    expect(changes.map((c) => c.action)).toEqual(['Update', 'Update']);
    expect(statSync(join(project.dir, 'configs', 'nginx.conf')).mode & 0o777).toBe(0o640);
    expect(statSync(join(project.backend, '.env')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(project.dir, 'configs'))).toEqual(['nginx.conf']); // no temp file left behind
  });

  it('a UTF-16 .env (Notepad\'s "Unicode") is refused, not corrupted', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('APP_KEY=base64:x\r\n', 'utf16le')]);
    writeFileSync(join(project.backend, '.env'), utf16);
    const err = await expectError(sync({ whatIf: false }), 'SyncTargetEncoding');
    expect(err.recommendedAction).toMatch(/UTF-8/);
    expect(readFileSync(join(project.backend, '.env')).equals(utf16)).toBe(true);
  });

  it('temp files left by a write that was killed are removed; a live writer\'s are not', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    // The temp file of .env is "." + ".env" + ".woosoo-PID-RANDOM.tmp".
    const abandoned = join(project.backend, `..env.woosoo-${dead}-0a1b2c3d.tmp`);
    const live = join(project.backend, '..env.woosoo-1-0a1b2c3d.tmp');
    writeFileSync(abandoned, 'half');
    writeFileSync(live, 'pid 1 is alive');
    await sync({ whatIf: false, apps: ['backend'] });
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(project.backend).sort()).toEqual(['..env.woosoo-1-0a1b2c3d.tmp', '.env']);
  });

  it('a write that fails part-way says what was written and which backup holds the originals', async () => {
    writeFileSync(join(project.backend, '.env'), OLD_BACKEND_ENV);
    writeFileSync(join(project.dir, 'not-a-folder'), 'a file');
    project.writeConfig({ SYNC_TARGETS: 'extra:laravel.env.hbs:not-a-folder/.env' });
    const err = await expectError(sync({ whatIf: false, apps: ['backend', 'extra'] }), 'SyncWriteFailed');
    expect(err.message).toContain(`Written before the failure: ${join(project.backend, '.env')}.`);
    const id = /backup (\S+) \(Restore-WoosooBackup -Id \1\)/.exec(err.message)?.[1];
    expect(id).toBeDefined();
    expect(readFileSync(join(project.dir, 'backups', id!, 'apps', 'woosoo-nexus', '.env'), 'utf8')).toBe(OLD_BACKEND_ENV);
    expect(err.recommendedAction).toMatch(/writable/);
  });

  it('masks every line of a multi-line secret in the diff', async () => {
    writeFileSync(join(project.backend, '.env'), 'APP_KEY=base64:x\nMAIL_PASSWORD="first-line\nsecond-line-secret"\nDB_HOST=old-host\n');
    const [c] = await sync({ whatIf: true, apps: ['backend'] });
    expect(c.diff).toContain('-DB_HOST=old-host');
    expect(c.diff).toContain(' MAIL_PASSWORD=********');
    expect(c.diff).not.toContain('second-line-secret');
    expect(c.diff).not.toContain('first-line');
  });

  it('a non-.env target that receives a secret value is written owner-only', async () => {
    mkdirSync(join(project.dir, 'templates'));
    writeFileSync(join(project.dir, 'templates', 'db.json.hbs'), '{ "host": "{{DB_HOST}}", "password": "{{DB_PASSWORD}}" }\n');
    writeFileSync(join(project.dir, 'templates', 'public.json.hbs'), '{ "url": "{{APP_URL}}" }\n');
    project.writeConfig({ SYNC_TARGETS: 'db:db.json.hbs:configs/db.json,public:public.json.hbs:configs/public.json' });
    mkdirSync(join(project.dir, 'configs'));
    const changes = await sync({ whatIf: false, apps: ['db', 'public'] });
    expect(changes.map((c) => c.action)).toEqual(['Create', 'Create']);
    expect(changes[0].diff).not.toContain('Sync-Pa55');
    expect(statSync(join(project.dir, 'configs', 'db.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(project.dir, 'configs', 'public.json')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(project.dir, 'configs', 'db.json'), 'utf8')).toContain('"password": "Sync-Pa55 #word"');
  });

  it('SYNC_TARGETS adds a target rendered from the project\'s own template', async () => {
    mkdirSync(join(project.dir, 'apps', 'relay'));
    mkdirSync(join(project.dir, 'templates'));
    writeFileSync(join(project.dir, 'templates', 'relay.env.hbs'), 'RELAY_API={{dotenv API_URL}}\nRELAY_NAME={{dotenv APP_NAME}}\n');
    project.writeConfig({ SYNC_TARGETS: 'relay:relay.env.hbs:apps/relay/.env' });
    const changes = await sync({ whatIf: false, apps: ['relay'] });
    expect(changes[0].action).toBe('Create');
    expect(readFileSync(join(project.dir, 'apps', 'relay', '.env'), 'utf8')).toBe("RELAY_API=http://127.0.0.1:8088/api\nRELAY_NAME='Woosoo Test'\n");
  });
});

const httpsReason = nginxReason || (hasTool('openssl') ? '' : 'openssl missing');
describe.skipIf(skipUnless(!httpsReason, httpsReason))('HTTPS_ENABLED', () => {
  it('renders a TLS server with the CERTS_PATH certificate that nginx -t accepts, and an HTTP redirect', async () => {
    const project = makeProject({ HTTPS_ENABLED: 'true', HTTPS_PORT: '8443' });
    try {
      mkdirSync(join(project.dir, 'certs'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-keyout', join(project.dir, 'certs', 'woosoo-key.pem'), '-out', join(project.dir, 'certs', 'woosoo.pem')], { stdio: 'ignore' });
      const ctx = testContext(project.dir);
      const [c] = await syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: true, apps: ['nginx'] });
      expect(c.check).toBe('nginx -t passed');
      expect(c.diff).toContain('+        listen 8443 ssl;');
      expect(c.diff).toContain(`+        ssl_certificate ${join(project.dir, 'certs', 'woosoo.pem')};`);
      expect(c.diff).toContain('+        return 301 https://$host:8443$request_uri;');
      expect(c.diff).toContain('Strict-Transport-Security');
      // Without the certificate nginx -t fails, and says which file is missing.
      rmSync(join(project.dir, 'certs'), { recursive: true });
      const err = await expectError(syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: true, apps: ['nginx'] }), 'SyncNginxCheckFailed');
      expect(err.message).toMatch(/\[emerg\] cannot load certificate ".*woosoo\.pem"/);
    } finally {
      project.cleanup();
    }
  });
});

describe.skipIf(skipUnless(!nginxReason, nginxReason))('the rendered nginx.conf served by a real nginx', () => {
  it('serves the PWA with gzip, caching and security headers, and proxies /api and the websocket path', async () => {
    const { freePort } = await import('../harness/ports');
    const { startNginx } = await import('../harness/nginx');
    const http = await import('node:http');
    const [httpPort, backendPort, reverbPort] = [await freePort(), await freePort(), await freePort()];
    const project = makeProject({ HTTP_PORT: String(httpPort), BACKEND_PORT: String(backendPort), REVERB_PORT: String(reverbPort) });
    const backend = http.createServer((req, res) => res.end(JSON.stringify({ name: 'backend', url: req.url }))).listen(backendPort, '127.0.0.1');
    const reverb = http.createServer((_req, res) => res.end('not a websocket')).listen(reverbPort, '127.0.0.1');
    const wss = new WebSocketServer({ server: reverb });
    wss.on('connection', (sock, req) => sock.on('message', (m) => sock.send(`reverb ${req.url}: ${String(m)}`)));
    try {
      chmodSync(project.dir, 0o755); // nginx workers run as nobody
      const dist = join(project.pwa, '.output', 'public');
      mkdirSync(join(dist, '_nuxt'), { recursive: true });
      writeFileSync(join(dist, 'index.html'), `<html>${'tablet ordering '.repeat(100)}</html>`);
      writeFileSync(join(dist, '_nuxt', 'app.abc123.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
      const ctx = testContext(project.dir);
      await syncConfig(loadValidProject(project.dir, ctx), ctx, { whatIf: false, apps: ['nginx'] });
      const server = await startNginx(join(project.dir, 'configs', 'nginx.conf'), project.dir, httpPort);
      try {
        const base = `http://127.0.0.1:${httpPort}`;
        const page = await fetch(`${base}/orders/42`, { headers: { 'accept-encoding': 'gzip' } });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('tablet ordering');
        expect(page.headers.get('content-encoding')).toBe('gzip');
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        const asset = await fetch(`${base}/_nuxt/app.abc123.js`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toContain('immutable');
        expect(asset.headers.get('content-type')).toContain('application/javascript');
        expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
        const api = await fetch(`${base}/api/health`);
        expect(await api.json()).toEqual({ name: 'backend', url: '/api/health' });
        // A real websocket through nginx to the Reverb port: upgrade headers must be passed on.
        const echoed = await new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/app/sync-reverb-key-0001?protocol=7`);
          ws.on('open', () => ws.send('ping through nginx'));
          ws.on('message', (data) => {
            resolve(String(data));
            ws.close();
          });
          ws.on('error', reject);
        });
        expect(echoed).toBe('reverb /app/sync-reverb-key-0001?protocol=7: ping through nginx');
      } finally {
        await server.stop();
      }
    } finally {
      backend.close();
      wss.close();
      reverb.close();
      project.cleanup();
    }
  }, 60_000);
});
