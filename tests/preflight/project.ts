/** A throw-away Woosoo project for the preflight tests: a real folder with deployment.config.env and the app folders. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject, type ProjectConfig } from '../../core/config';
import { runPreflight, type PreflightCheck } from '../../core/preflight';
import type { RunOptions } from '../../core/preflight/runner';
import { shortTmp } from '../harness/tools';

export const FIXTURES = join(__dirname, 'fixtures');

export interface TestProject {
  dir: string;
  /** Rewrites deployment.config.env from the base values plus these overrides. */
  write(overrides?: Record<string, string>): void;
  load(): ProjectConfig;
  run(overrides?: Record<string, string>, opts?: RunOptions & { env?: Record<string, string> }): Promise<PreflightCheck[]>;
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
  const load = () => loadProject(dir, { env: env(), cwd: dir });
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

export function find(checks: PreflightCheck[], category: string, name: string): PreflightCheck {
  const c = checks.find((x) => x.Category === category && x.Name === name);
  if (!c) throw new Error(`no check ${category}/${name} in ${checks.map((x) => `${x.Category}/${x.Name}`).join(', ')}`);
  return c;
}
