/** A throw-away Woosoo project for the preflight tests: a real folder with deployment.config.env and the app folders. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProject, type ProjectConfig } from '../../core/config';
import { runPreflight, type CheckResult } from '../../core/preflight';
import type { RunOptions } from '../../core/preflight/runner';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { freePort } from '../harness/ports';
import { shortTmp, which } from '../harness/tools';

export const FIXTURES = join(__dirname, 'fixtures');

export interface TestProject {
  dir: string;
  /** Rewrites deployment.config.env from the base values plus these overrides. */
  write(overrides?: Record<string, string>): void;
  load(): ProjectConfig;
  run(overrides?: Record<string, string>, opts?: RunOptions & { env?: Record<string, string> }): Promise<CheckResult[]>;
  cleanup(): void;
}

export function makeProject(base: Record<string, string>): TestProject {
  const dir = mkdtempSync(join(shortTmp(), 'wspf-'));
  for (const d of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(dir, d), { recursive: true });
  const write = (overrides: Record<string, string> = {}) => {
    const all = { ...base, ...overrides };
    const text = Object.entries(all).map(([k, v]) => `${k}='${v}'`).join('\n');
    writeFileSync(join(dir, 'deployment.config.env'), `${text}\n`);
  };
  write();
  const env = () => ({ ...process.env }) as Record<string, string>;
  const load = () => readProject(dir, { env: env(), cwd: dir }); // as preflight.run: problems are results, not errors
  return {
    dir, write, load,
    async run(overrides, opts = {}) {
      write(overrides);
      const ctx = { env: opts.env ?? env(), signal: new AbortController().signal };
      return runPreflight(load(), ctx, opts);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function find(checks: CheckResult[], category: string, name: string): CheckResult {
  const c = checks.find((x) => x.category === category && x.name === name);
  if (!c) throw new Error(`no check ${category}/${name} in ${checks.map((x) => `${x.category}/${x.name}`).join(', ')}`);
  return c;
}

/**
 * A project whose every check can pass on this machine: a real MariaDB (the harness's) with the user and database the
 * config names, free ports, APP_IP on loopback, nginx by its path (it lives in sbin, which a CI PATH may lack).
 */
export async function projectWithDatabase(name: string, password: string): Promise<{ db: MariaDb; project: TestProject; stop(): Promise<void> }> {
  const db = await startMariaDb({ database: `ws_${name}`, user: `ws_${name}_u`.slice(0, 32), password });
  const project = makeProject({
    ENVIRONMENT: 'development', APP_IP: '127.0.0.1',
    HTTP_PORT: String(await freePort()), BACKEND_PORT: String(await freePort()), REVERB_PORT: String(await freePort()),
    DB_HOST: '127.0.0.1', DB_PORT: String(db.port), DB_DATABASE: db.database, DB_USERNAME: db.user, DB_PASSWORD: password,
    REVERB_APP_KEY: `${name}-reverb-key`, REVERB_APP_SECRET: `${name}-reverb-secret`, NGINX_PATH: which('nginx') ?? '',
  });
  return {
    db, project,
    async stop() {
      project.cleanup();
      await db.stop();
    },
  };
}
