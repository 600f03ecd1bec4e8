/** Helpers shared by the services tests: a request context, a project on disk, service definitions. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestContext, type LogLevel } from '../../core/kernel/context';
import { logFiles } from '../../core/services/definitions';
import type { ServiceDefinition, ServiceSettings } from '../../core/services/types';
import { DEFAULT_SETTINGS } from '../../core/services/types';

export interface TestContext extends RequestContext {
  logs: { level: LogLevel; message: string }[];
}

export function makeCtx(env: Record<string, string>, cwd = process.cwd()): TestContext {
  const logs: { level: LogLevel; message: string }[] = [];
  const ctx = new RequestContext(1, { env, cwd }, new AbortController().signal, (method, params) => {
    if (method === '$/log') logs.push({ level: params.level as LogLevel, message: String(params.message) });
  }) as TestContext;
  ctx.logs = logs;
  return ctx;
}

/** A valid deployment.config.env with these extra lines. */
export function writeProject(dir: string, extra: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  const base: Record<string, string> = {
    ENVIRONMENT: 'production', APP_IP: '127.0.0.1', DB_HOST: '127.0.0.1', DB_DATABASE: 'woosoo', DB_USERNAME: 'woosoo',
    DB_PASSWORD: 'test-Passw0rd-123', REVERB_APP_KEY: 'test-reverb-key-1', REVERB_APP_SECRET: 'test-reverb-secret-1',
    BACKEND_PATH: dir, PWA_PATH: dir,
  };
  const lines = Object.entries({ ...base, ...extra }).map(([k, v]) => `${k}='${v}'`);
  writeFileSync(join(dir, 'deployment.config.env'), `${lines.join('\n')}\n`);
  return dir;
}

export function defineService(projectDir: string, name: string, order: number, application: string, args: string[], more: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    key: name, name, displayName: `Test ${name}`, description: `Test service ${name}`, application, arguments: args,
    workingDirectory: projectDir, dependsOn: [], order, ...logFiles(projectDir, name), ...more,
  };
}

export function settings(more: Partial<ServiceSettings> = {}): ServiceSettings {
  return { ...DEFAULT_SETTINGS, startTimeoutMs: 20_000, stopTimeoutMs: 20_000, ...more };
}
