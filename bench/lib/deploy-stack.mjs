// The deploy benchmark's stack (bench/deploy.mjs): a private MariaDB with one database per project, copies of the demo
// stack (examples/demo, tracked files only) on free ports, and what the blue/green scenarios change in a copy: a
// migration, the HealthController, a route.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { root } from './engine.mjs';

export const PASSWORD = 'bench-Deploy-Pw#1';
export const freePort = () => new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A private MariaDB with the databases given, user bench (PASSWORD) on all of them. */
export async function startMariaDb(databases) {
  const dir = mkdtempSync('/tmp/wsbdb-');
  const port = await freePort();
  execFileSync('mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
  const child = spawn('mariadbd', ['--no-defaults', '--user=root', `--datadir=${dir}/data`, `--socket=${dir}/sock`, `--pid-file=${dir}/pid`, `--port=${port}`,
    '--bind-address=127.0.0.1', '--skip-name-resolve', '--innodb-buffer-pool-size=32M', '--skip-log-bin', `--log-error=${dir}/err.log`], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('mariadb-admin', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', 'ping'], { stdio: 'ignore' }).status === 0) break;
    await sleep(100);
  }
  const sql = `CREATE USER 'bench'@'%' IDENTIFIED BY '${PASSWORD}'; ${databases.map((d) => `CREATE DATABASE ${d}; GRANT ALL ON ${d}.* TO 'bench'@'%';`).join(' ')}`;
  execFileSync('mariadb', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', '-e', sql]);
  return { port, stop: () => { spawnSync('mariadb-admin', ['--no-defaults', `--socket=${dir}/sock`, '-uroot', 'shutdown']); child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * A copy of the demo stack on free ports (both colours') using `database`, with `extra` keys. Returns its folder,
 * set(values) to replace or add KEY=value lines of its deployment.config.env, get(key), and its poller URLs.
 */
export async function demoProject(db, database, extra = {}) {
  const dir = mkdtempSync('/tmp/wsbdep-');
  for (const f of execFileSync('git', ['ls-files', 'examples/demo'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const to = join(dir, f.slice('examples/demo/'.length));
    mkdirSync(join(to, '..'), { recursive: true });
    copyFileSync(join(root, f), to);
  }
  const file = join(dir, 'deployment.config.env');
  const line = (k) => new RegExp(`^${k}=.*$`, 'm');
  const set = (values) => {
    let text = readFileSync(file, 'utf8');
    for (const [k, v] of Object.entries(values)) text = line(k).test(text) ? text.replace(line(k), () => `${k}=${v}`) : `${text.trimEnd()}\n${k}=${v}\n`;
    writeFileSync(file, text);
  };
  const get = (k) => line(k).exec(readFileSync(file, 'utf8'))?.[0].slice(k.length + 1) ?? '';
  set({
    HTTP_PORT: await freePort(), BACKEND_PORT: await freePort(), REVERB_PORT: await freePort(), BACKEND_GREEN_PORT: await freePort(),
    REVERB_GREEN_PORT: await freePort(), DB_PORT: db.port, DB_DATABASE: database, DB_USERNAME: 'bench', DB_PASSWORD: `'${PASSWORD}'`,
    DEPLOY_HEALTH_CHECKS: "'Service *,Reverb WebSocket,Database,Queue *'", DEPLOY_HEALTH_DEADLINE_SECONDS: 10, DEPLOY_HEALTH_INTERVAL_SECONDS: 1,
    ...extra,
  });
  const http = get('HTTP_PORT');
  return {
    dir, set, get,
    healthUrl: `http://127.0.0.1:${http}/api/health`,
    wsUrl: `ws://127.0.0.1:${http}/app/${get('REVERB_APP_KEY')}?protocol=7&client=js&version=8.4.0&flash=false`,
  };
}

/** Writes a Laravel migration class into the copy's backend; returns its path (to remove). */
export function writeMigration(dir, name, cls, up) {
  const file = join(dir, 'apps/woosoo-nexus/database/migrations', `${name}.php`);
  writeFileSync(file, `<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n`
    + `class ${cls} extends Migration\n{\n    public function up()\n    {\n${up}\n    }\n    public function down()\n    {\n    }\n}\n`);
  return file;
}

/** Rewrites a file of the copy with edit(text); returns restore(). */
export function patchFile(dir, rel, edit) {
  const file = join(dir, rel);
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, edit(original));
  return () => writeFileSync(file, original);
}
