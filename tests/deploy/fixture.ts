/**
 * The deploy tests' project: a copy of the demo stack (examples/demo, tracked files only) in a short temp folder,
 * its deployment.config.env pointing at the test's real MariaDB and at free ports, plus what the tests compare
 * after a failure: a hash of every file of the project (Woosoo's own state folders and the apps' runtime logs left
 * out, see RUNTIME) and a dump of the database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { join, relative } from 'node:path';
import { loadValidProject, type ProjectConfig } from '../../core/config';
import { RequestContext } from '../../core/kernel/context';
import { openServiceSet } from '../../core/services';
import { killPm2, type Pm2Backend } from '../../core/services/pm2';
import { ROOT } from '../support/engine';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { freePorts } from '../harness/ports';

export const SECRETS = { db: 'deploy-Test-Pw#4471', reverbKey: 'deploy-reverb-key-5521', reverbSecret: 'deploy-reverb-secret-8813' };

/** Written while the stack runs or by Woosoo itself: not part of "the project as deployed". */
// Blue/green adds: releases/, the idle colour's PM2 definitions (.woosoo/pm2/, stopped services pointing at a release a
// rollback removed; the next deploy rewrites them) and the compiled views every release's backend caches in the
// shared storage/ (keyed by the release's path).
const RUNTIME = /^(backups|deployments|logs|temp|releases|\.pm2|\.woosoo\/pm2)(\/|$)|^apps\/woosoo-nexus\/storage\/(logs|framework\/(cache|sessions|views))\//;

export interface DemoProject {
  dir: string;
  cfg: () => ProjectConfig;
  env: Record<string, string>;
  notes: { method: string; params: Record<string, unknown> }[];
  ctx: (signal?: AbortSignal) => RequestContext;
  /** Replaces (or adds) KEY=value lines in deployment.config.env. */
  set: (values: Record<string, string>) => void;
  treeHash: () => Map<string, string>;
  dump: () => string;
}

export async function makeDemoProject(db: MariaDb, extra: Record<string, string> = {}): Promise<DemoProject> {
  const dir = mkdtempSync('/tmp/wsdep-');
  const files = execFileSync('git', ['ls-files', 'examples/demo'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of files) {
    const to = join(dir, f.slice('examples/demo/'.length));
    mkdirSync(join(to, '..'), { recursive: true });
    copyFileSync(join(ROOT, f), to);
  }
  const [http, backend, reverb, backendGreen, reverbGreen] = await freePorts(5);
  const configFile = join(dir, 'deployment.config.env');
  const set = (values: Record<string, string>) => {
    let text = readFileSync(configFile, 'utf8');
    for (const [k, v] of Object.entries(values)) {
      const line = `${k}=${v}`;
      text = new RegExp(`^${k}=.*$`, 'm').test(text) ? text.replace(new RegExp(`^${k}=.*$`, 'm'), () => line) : `${text.trimEnd()}\n${line}\n`;
    }
    writeFileSync(configFile, text);
  };
  set({
    HTTP_PORT: String(http), BACKEND_PORT: String(backend), REVERB_PORT: String(reverb), DB_PORT: String(db.port),
    BACKEND_GREEN_PORT: String(backendGreen), REVERB_GREEN_PORT: String(reverbGreen),
    // The in-place suites (deploy, kill, wire) test that strategy; bluegreen.test.ts passes DEPLOY_STRATEGY=BlueGreen.
    DEPLOY_STRATEGY: 'InPlace',
    DB_DATABASE: db.database, DB_USERNAME: db.user, DB_PASSWORD: `'${SECRETS.db}'`,
    REVERB_APP_KEY: SECRETS.reverbKey, REVERB_APP_SECRET: SECRETS.reverbSecret,
    DEPLOY_HEALTH_DEADLINE_SECONDS: '15', DEPLOY_HEALTH_INTERVAL_SECONDS: '1',
    SERVICE_START_TIMEOUT_SECONDS: '20', SERVICE_STOP_TIMEOUT_SECONDS: '20', SERVICE_THROTTLE_MS: '500',
    ...extra,
  });
  const env = { ...(process.env as Record<string, string>), COMPOSER_ALLOW_SUPERUSER: '1', PM2_DISABLE_VERSION_CHECK: 'true' };
  const notes: DemoProject['notes'] = [];
  return {
    dir, env, notes, set,
    cfg: () => loadValidProject(dir, { env, cwd: dir }),
    ctx: (signal = new AbortController().signal) => new RequestContext(1, { env, cwd: dir }, signal, (method, params) => notes.push({ method, params })),
    treeHash: () => hashTree(dir),
    dump: () => dumpDb(db),
  };
}

export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const rel = relative(dir, p).split('\\').join('/');
      if (RUNTIME.test(rel) || RUNTIME.test(`${rel}/`)) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Paths whose hash differs (or that exist on one side only). */
export function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

export function dumpDb(db: MariaDb): string {
  const r = spawnSync('mariadb-dump', ['--host=127.0.0.1', `--port=${db.port}`, `--user=${db.user}`, '--skip-comments', '--skip-dump-date', db.database], {
    env: { ...process.env, MYSQL_PWD: db.password }, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`mariadb-dump failed: ${r.stderr}`);
  return r.stdout;
}

/** Every file under these folders of the project that holds one of the secrets (path list; empty = clean). */
export function filesWithSecrets(dir: string, folders: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        const text = readFileSync(p).toString('latin1');
        if (Object.values(SECRETS).some((s) => text.includes(s))) hits.push(relative(dir, p));
      }
    }
  };
  for (const f of folders) walk(join(dir, f));
  return hits;
}

/**
 * Registers a test file's private MariaDB and demo project (beforeAll) and their removal with the project's PM2
 * daemon (afterAll); `before` runs first at the end (e.g. closing the file's engines). Read p and db inside tests.
 */
export function useDemoProject(database: string, before?: () => Promise<void>, extra: Record<string, string> = {}): { p: DemoProject; db: MariaDb } {
  const stack = { p: undefined as unknown as DemoProject, db: undefined as unknown as MariaDb };
  beforeAll(async () => {
    stack.db = await startMariaDb({ database, user: 'woosoo', password: SECRETS.db });
    stack.p = await makeDemoProject(stack.db, extra);
  }, 60_000);
  afterAll(async () => {
    await before?.();
    if (stack.p) await killPm2(openServiceSet(stack.p.cfg(), stack.p.ctx()).backend as Pm2Backend).catch(() => {});
    await stack.db?.stop();
    if (stack.p) rmSync(stack.p.dir, { recursive: true, force: true });
  }, 60_000);
  return stack;
}

/** A Laravel migration class file whose up() runs the given PHP. */
export function migration(cls: string, up: string): string {
  return `<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n`
    + `class ${cls} extends Migration\n{\n    public function up()\n    {\n${up}\n    }\n    public function down()\n    {\n    }\n}\n`;
}
