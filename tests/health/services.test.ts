// The Services checks against real PM2 (the pm2 of node_modules): a real process registered under a stack service
// name is Healthy with its pid, CPU, memory and uptime from systeminformation; the others are NotInstalled.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type ProjectConfig } from '../../core/config';
import { runHealthChecks } from '../../core/health';
import { backendFor } from '../../core/services';
import { serviceSettings, stackDefinitions } from '../../core/services/definitions';
import { killPm2, type Pm2Backend } from '../../core/services/pm2';
import { pm2BinPath } from '../harness/pm2';
import { shortTmp, skipUnless } from '../harness/tools';
import { makeProject, type Project } from './fixtures';

describe.skipIf(skipUnless(existsSync(pm2BinPath()), 'pm2 not installed (npm ci)'))('service checks with real PM2', () => {
  let project: Project;
  let cfg: ProjectConfig;
  let backend: Pm2Backend;
  let logs: string;
  const env = { ...(process.env as Record<string, string>), PM2_PATH: pm2BinPath() };
  const ctx = () => ({ env, signal: new AbortController().signal });

  beforeAll(async () => {
    project = makeProject('wshsvc-');
    logs = mkdtempSync(join(shortTmp(), 'wshsvclog-'));
    project.write({ SERVICE_MANAGER: 'pm2', NSSM_PATH: '', PM2_PATH: pm2BinPath(), BACKEND_PATH: project.dir, PWA_PATH: project.dir });
    cfg = loadProject(project.dir, { env, cwd: project.dir });
    backend = backendFor(cfg, { env, cwd: project.dir, signal: new AbortController().signal, log: () => {}, progress: () => {} }) as Pm2Backend;
    const def = stackDefinitions(cfg, env)[0];
    // The first stack service, run as a real long-running node process (the stack's own programs are not needed here).
    const worker = { ...def, application: process.execPath, arguments: ['-e', 'setInterval(() => {}, 1000)'], stdoutLog: join(logs, 'out.log'), stderrLog: join(logs, 'err.log') };
    await backend.install(worker, serviceSettings(cfg));
    await backend.start(worker, serviceSettings(cfg));
  }, 120_000);
  afterAll(async () => {
    if (backend) await killPm2(backend);
    project?.cleanup();
    if (logs) rmSync(logs, { recursive: true, force: true });
  }, 60_000);

  it('a running service is Healthy with pid, CPU, memory and uptime; the others are NotInstalled', async () => {
    const defs = stackDefinitions(cfg, env);
    let checks = await runHealthChecks(cfg, ctx(), { names: ['Service *'] });
    for (let i = 0; i < 20 && !checks.some((c) => c.status === 'Healthy'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      checks = await runHealthChecks(cfg, ctx(), { names: ['Service *'] });
    }
    expect(checks.map((c) => c.name)).toEqual(defs.map((d) => `Service ${d.name}`));
    const running = checks[0];
    expect(running, running.message).toMatchObject({ category: 'Service', status: 'Healthy', value: 'Running', target: `PM2 ${defs[0].name}` });
    expect(running.message).toMatch(new RegExp(`^${defs[0].name} is Running \\(pid \\d+, CPU [\\d.]+%, \\d+ MB, up \\d{2}:\\d{2}:\\d{2}\\)\\.$`));
    for (const c of checks.slice(1)) {
      expect(c).toMatchObject({ status: 'Unhealthy', value: 'NotInstalled' });
      expect(c.message).toMatch(/Install-WoosooService/);
    }
  });

  it('-Category Resource does not query the services', async () => {
    const checks = await runHealthChecks(cfg, ctx(), { categories: ['Resource'] });
    expect(checks.map((c) => c.name)).toEqual(['CPU', 'Memory', 'Disk']);
  });
});
