/**
 * A throw-away copy of the demo project for the build tests: the real demo apps (examples/demo/apps: the Laravel 8
 * backend on Debian's framework and the npm PWA) without their generated files, a deployment.config.env pointing at a
 * real MariaDB when given, and the minimal .env files each app needs. Plus a RequestContext that records notifications.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { loadValidProject, type ProjectConfig } from '../../core/config';
import { RequestContext } from '../../core/kernel/context';
import { ROOT } from '../support/engine';

export const DEMO_APPS = join(ROOT, 'examples', 'demo', 'apps');
export const DB_PASSWORD = 'build-test-Pw#7731';
export const APP_KEY = 'base64:YnVpbGQtdGVzdC1hcHAta2V5LTMyLWJ5dGVzLWxvbmc=';

export interface Db {
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface BuildProject {
  dir: string;
  backend: string;
  pwa: string;
  notes: { method: string; params: Record<string, unknown> }[];
  cfg: () => ProjectConfig;
  ctx: (signal?: AbortSignal, env?: Record<string, string>) => RequestContext;
  /** Appends lines to deployment.config.env. */
  configure: (...lines: string[]) => void;
  /** Verbose $/log messages recorded so far. */
  logs: (level?: string) => string[];
}

/** Generated or local files of the demo apps that a fresh checkout would not have. */
function isGenerated(rel: string): boolean {
  const p = rel.split(sep).join('/');
  return /^(woosoo-nexus\/vendor|tablet-ordering-pwa\/node_modules|tablet-ordering-pwa\/\.output)(\/|$)/.test(p)
    || /(^|\/)\.env$/.test(p)
    || /^woosoo-nexus\/bootstrap\/cache\/.+\.php$/.test(p)
    || /^woosoo-nexus\/storage\/(logs|framework\/(cache\/data|views|sessions))\/(?!\.gitkeep).+/.test(p);
}

export function configText(db: Db, extra: string[] = []): string {
  return [
    '# build test project', 'ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'HTTP_PORT=8088', 'BACKEND_PORT=8001',
    'REVERB_PORT=8081', 'DB_HOST=127.0.0.1', `DB_PORT=${db.port}`, `DB_DATABASE=${db.database}`, `DB_USERNAME=${db.user}`,
    `DB_PASSWORD='${db.password}'`, 'REVERB_APP_KEY=build-test-reverb-key', 'REVERB_APP_SECRET=build-test-reverb-secret',
    ...extra, '',
  ].join('\n');
}

export function makeBuildProject(db: Db = { port: 3306, database: 'woosoo', user: 'woosoo', password: DB_PASSWORD }): BuildProject {
  const dir = mkdtempSync(join(tmpdir(), 'wsbuild-'));
  cpSync(DEMO_APPS, join(dir, 'apps'), { recursive: true, filter: (src) => !isGenerated(relative(DEMO_APPS, src)) });
  const backend = join(dir, 'apps', 'woosoo-nexus');
  const pwa = join(dir, 'apps', 'tablet-ordering-pwa');
  const configFile = join(dir, 'deployment.config.env');
  writeFileSync(configFile, configText(db));
  writeFileSync(join(backend, '.env'), [
    'APP_NAME="Woosoo Nexus"', 'APP_ENV=production', `APP_KEY=${APP_KEY}`, 'APP_DEBUG=false', 'APP_URL=http://127.0.0.1:8001',
    'LOG_CHANNEL=single', 'DB_CONNECTION=mysql', 'DB_HOST=127.0.0.1', `DB_PORT=${db.port}`, `DB_DATABASE=${db.database}`,
    `DB_USERNAME=${db.user}`, `DB_PASSWORD="${db.password}"`, 'QUEUE_CONNECTION=database', '',
  ].join('\n'));
  writeFileSync(join(pwa, '.env'), [
    'NUXT_PUBLIC_API_BASE=http://127.0.0.1:8088/api', 'NUXT_PUBLIC_REVERB_HOST=127.0.0.1', 'NUXT_PUBLIC_REVERB_PORT=8081',
    'NUXT_PUBLIC_REVERB_KEY=build-test-reverb-key', '',
  ].join('\n'));
  const notes: BuildProject['notes'] = [];
  return {
    dir, backend, pwa, notes,
    cfg: () => loadValidProject(dir, { env: process.env as Record<string, string>, cwd: dir }),
    ctx: (signal = new AbortController().signal, env = process.env as Record<string, string>) =>
      new RequestContext(1, { env, cwd: dir }, signal, (method, params) => notes.push({ method, params })),
    configure: (...lines) => writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}${lines.join('\n')}\n`),
    logs: (level) => notes.filter((n) => n.method === '$/log' && (level === undefined || n.params.level === level)).map((n) => String(n.params.message)),
  };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when the process is gone within five seconds (run() sends SIGTERM to the group, SIGKILL after 3 s). */
export async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

/** The test process's environment without any flutter folder on PATH (Flutter is "absent" even where installed). */
export const noFlutterEnv = {
  ...process.env, PATH: (process.env.PATH ?? '').split(':').filter((d) => !d.includes('flutter')).join(':'),
} as Record<string, string>;
