import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, parseDotenv, REQUIRED } from '../build.mjs';

const BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'build.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'pwa-build-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ENV = [
  '# rendered by Woosoo',
  'NUXT_PUBLIC_API_BASE=http://192.168.1.10:8000/api/',
  'NUXT_PUBLIC_REVERB_HOST=192.168.1.10',
  'NUXT_PUBLIC_REVERB_PORT=8080 # inline comment',
  'export NUXT_PUBLIC_REVERB_KEY="k3y with spaces"',
  "NUXT_PUBLIC_APP_NAME='Woosoo <Tablet>'",
].join('\r\n');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NUXT_')));

test('parseDotenv reads comments, quotes, export and CRLF', () => {
  assert.deepEqual(parseDotenv(ENV), {
    NUXT_PUBLIC_API_BASE: 'http://192.168.1.10:8000/api/',
    NUXT_PUBLIC_REVERB_HOST: '192.168.1.10',
    NUXT_PUBLIC_REVERB_PORT: '8080',
    NUXT_PUBLIC_REVERB_KEY: 'k3y with spaces',
    NUXT_PUBLIC_APP_NAME: 'Woosoo <Tablet>',
  });
  assert.deepEqual(parseDotenv('A="line1\\nline2"\nB=\nnot a line\n#C=1'), { A: 'line1\nline2', B: '' });
});

test('build writes the PWA with the config baked in', () => {
  const envFile = join(tmp, 'ok.env');
  const outDir = join(tmp, 'ok', 'public');
  writeFileSync(envFile, ENV);
  const result = build({ envFile, outDir, env: cleanEnv() });
  assert.deepEqual(result.files.sort(), ['app.js', 'icon.svg', 'index.html', 'manifest.webmanifest', 'sw.js']);

  const appJs = readFileSync(join(outDir, 'app.js'), 'utf8');
  new vm.Script(appJs); // valid JavaScript
  const config = vm.runInNewContext(`${appJs.split('\n\n')[0]}; CONFIG`);
  assert.equal(config.apiBase, 'http://192.168.1.10:8000/api');
  assert.deepEqual({ ...config.reverb }, { scheme: 'ws', host: '192.168.1.10', port: 8080, key: 'k3y with spaces' });
  assert.equal(config.buildId, result.buildId);

  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.name, 'Woosoo <Tablet>');
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.length > 0);

  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  assert.match(html, /<title>Woosoo &#60;Tablet&#62;<\/title>/);
  assert.match(html, /<link rel="manifest" href="manifest.webmanifest">/);
  assert.match(html, /<script src="app.js"><\/script>/);
  assert.match(readFileSync(join(outDir, 'sw.js'), 'utf8'), new RegExp(`'tablet-ordering-${result.buildId}'`));
});

test('the environment wins over the .env file, and a new config gives a new build id', () => {
  const envFile = join(tmp, 'ok.env');
  const first = build({ envFile, outDir: join(tmp, 'a'), env: cleanEnv() });
  const second = build({ envFile, outDir: join(tmp, 'b'), env: { ...cleanEnv(), NUXT_PUBLIC_REVERB_PORT: '9090' } });
  assert.equal(second.config.reverb.port, 9090);
  assert.notEqual(first.buildId, second.buildId);
});

test('the CLI fails with a clear message and exit 1 when a variable is missing', () => {
  const envFile = join(tmp, 'partial.env');
  const outDir = join(tmp, 'partial');
  writeFileSync(envFile, 'NUXT_PUBLIC_API_BASE=http://127.0.0.1:8000/api\nNUXT_PUBLIC_REVERB_PORT=8080\n');
  const run = spawnSync(process.execPath, [BUILD, '--env-file', envFile, '--out-dir', outDir], { env: cleanEnv(), encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^build failed: missing required variable\(s\) NUXT_PUBLIC_REVERB_HOST, NUXT_PUBLIC_REVERB_KEY/);
  assert.equal(existsSync(outDir), false);
});

test('the CLI rejects a bad port or URL, and succeeds on a complete file', () => {
  const envFile = join(tmp, 'bad.env');
  const args = ['--env-file', envFile, '--out-dir', join(tmp, 'cli')];
  const good = Object.fromEntries(REQUIRED.map((k) => [k, parseDotenv(ENV)[k]]));
  const write = (vars) => writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n'));

  write({ ...good, NUXT_PUBLIC_REVERB_PORT: '80a' });
  let run = spawnSync(process.execPath, [BUILD, ...args], { env: cleanEnv(), encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /NUXT_PUBLIC_REVERB_PORT must be a port number/);

  write({ ...good, NUXT_PUBLIC_API_BASE: 'localhost:8000' });
  run = spawnSync(process.execPath, [BUILD, ...args], { env: cleanEnv(), encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /NUXT_PUBLIC_API_BASE must be an http\(s\) URL/);

  write({ ...good, NUXT_PUBLIC_REVERB_KEY: '"quoted"' });
  const out = execFileSync(process.execPath, [BUILD, ...args], { env: cleanEnv(), encoding: 'utf8' });
  assert.match(out, /^built 5 files into .* \(build [0-9a-f]{12}\) in \d+ ms/);
});
