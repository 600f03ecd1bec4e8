/** A throw-away Woosoo project for the sync tests: a valid deployment.config.env and the two app folders. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestContext } from '../../core/kernel/context';

export const BASE_CONFIG: Record<string, string> = {
  ENVIRONMENT: 'production',
  APP_NAME: "'Woosoo Test'",
  APP_IP: '127.0.0.1',
  HTTP_PORT: '8088',
  BACKEND_PORT: '8001',
  REVERB_PORT: '8081',
  DB_HOST: '127.0.0.1',
  DB_PORT: '3306',
  DB_DATABASE: 'woosoo',
  DB_USERNAME: 'woosoo',
  DB_PASSWORD: "'Sync-Pa55 #word'",
  REVERB_APP_KEY: 'sync-reverb-key-0001',
  REVERB_APP_SECRET: 'sync-reverb-secret-0001',
};

export interface Project {
  dir: string;
  backend: string;
  pwa: string;
  writeConfig(extra?: Record<string, string>, raw?: string): void;
  cleanup(): void;
}

export function makeProject(extra: Record<string, string> = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-sync-'));
  const backend = join(dir, 'apps', 'woosoo-nexus');
  const pwa = join(dir, 'apps', 'tablet-ordering-pwa');
  mkdirSync(backend, { recursive: true });
  mkdirSync(pwa, { recursive: true });
  const project: Project = {
    dir, backend, pwa,
    writeConfig(more = {}, raw = '') {
      const all = { ...BASE_CONFIG, ...extra, ...more };
      const text = Object.entries(all).map(([k, v]) => `${k}=${v}`).join('\n');
      writeFileSync(join(dir, 'deployment.config.env'), `# test project\n${text}\n${raw}`);
    },
    cleanup() {
      // The engine of a closed test terminal (node.exe under Wine is not in the pane's process group) can still
      // write its log while this removes the project: ENOTEMPTY once in CI. rmSync tries again on it.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
  project.writeConfig();
  return project;
}

export interface TestContext extends RequestContext {
  logs: { level: string; message: string }[];
}

/** A real RequestContext with the test process's environment, recording $/log messages. */
export function testContext(cwd: string): TestContext {
  const logs: { level: string; message: string }[] = [];
  const ctx = new RequestContext(1, { env: { ...process.env } as Record<string, string>, cwd }, new AbortController().signal, (method, params) => {
    if (method === '$/log') logs.push({ level: String(params.level), message: String(params.message) });
  }) as TestContext;
  Object.defineProperty(ctx, 'logs', { value: logs });
  return ctx;
}
