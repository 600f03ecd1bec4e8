// The service-manager checks against the real managers. NSSM: the real nssm64.exe (2.24 and 2.23) under Wine, through
// core/services' launcher seam (WOOSOO_NSSM_LAUNCHER=wine): located by NSSM_PATH, version read from the exe, and
// `nssm status` answered by Wine's service control manager. PM2: the real pm2 from node_modules with the project's PM2_HOME.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm2Home } from '../../core/services/pm2';
import { hasNssm, missingTools, repoRoot, skipUnless, which } from '../harness/tools';
import { startWine, type Wine } from '../harness/wine';
import { find, makeProject, type TestProject } from './project';

const reason = missingTools('wine', 'wineserver', 'wineboot') ?? (hasNssm() ? '' : 'nssm64.exe missing (run bash scripts/setup.sh)');

describe.skipIf(skipUnless(!reason, reason))('service manager = NSSM (real nssm64.exe under Wine)', () => {
  let wine: Wine;
  let project: TestProject;
  let env: Record<string, string>;
  beforeAll(async () => {
    wine = await startWine();
    env = { ...wine.env, WOOSOO_NSSM_LAUNCHER: which('wine')! };
    project = makeProject({
      ENVIRONMENT: 'development', APP_IP: '127.0.0.1', DB_DATABASE: 'x', DB_USERNAME: 'x', DB_PASSWORD: 'nssm-test-pw',
      REVERB_APP_KEY: 'k-nssm', REVERB_APP_SECRET: 's-nssm', SERVICE_MANAGER: 'nssm',
    });
  }, 240_000);
  afterAll(async () => {
    project?.cleanup();
    await wine?.stop();
  }, 120_000);

  it.each([['2.24', /^2\.24/], ['2.23', /^2\.23/]] as const)('nssm %s: found with its version, and the service manager answers', async (version, re) => {
    const exe = version === '2.24' ? wine.nssm224 : wine.nssm223;
    const checks = await project.run({ NSSM_PATH: exe, PREFLIGHT_PROBE_TIMEOUT_SECONDS: '60' }, { env, categories: ['Tools', 'Permissions'], detailed: true });
    const tool = find(checks, 'Tools', 'Service manager');
    expect(tool.status).toBe('Pass');
    expect(tool.actual).toMatch(re);
    expect(tool.actual).toContain(exe);
    const access = find(checks, 'Permissions', 'Service manager access');
    expect(access.status, access.message).toBe('Pass');
    expect(access.message).toBe('NSSM can query the Windows service control manager.');
    expect(access.probe).toMatch(/wine .*nssm64\.exe status WoosooPreflightProbe/);
  }, 120_000);

  it('an NSSM_PATH that does not exist fails with the services\' message and fix, and access is Skip', async () => {
    const checks = await project.run({ NSSM_PATH: 'C:/nowhere/nssm.exe' }, { env, categories: ['Tools', 'Permissions'] });
    const tool = find(checks, 'Tools', 'Service manager');
    expect(tool.status).toBe('Fail');
    expect(tool.message).toMatch(/NSSM_PATH=C:\/nowhere\/nssm\.exe/);
    expect(tool.fix).toMatch(/nssm\.exe/);
    expect(find(checks, 'Permissions', 'Service manager access').status).toBe('Skip');
  });
});

describe('service manager = PM2 with the project\'s daemon running (real pm2 from node_modules)', () => {
  let project: TestProject;
  let home: string;
  const pm2 = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'pm2', 'bin', 'pm2'), ...args], {
    env: { ...process.env, PM2_HOME: home, PM2_DISABLE_VERSION_CHECK: 'true', PM2_SILENT: 'true' }, encoding: 'utf8', timeout: 60_000,
  });
  beforeAll(() => {
    project = makeProject({
      ENVIRONMENT: 'development', APP_IP: '127.0.0.1', DB_DATABASE: 'x', DB_USERNAME: 'x', DB_PASSWORD: 'pm2-test-pw',
      REVERB_APP_KEY: 'k-pm2', REVERB_APP_SECRET: 's-pm2', SERVICE_MANAGER: 'pm2',
    });
    home = pm2Home(project.dir);
  });
  afterAll(() => {
    pm2(['kill']);
    project?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('not running: Pass, it starts with the first service; running: `pm2 jlist` answers with the daemon\'s PID', async () => {
    const before = find(await project.run({}, { categories: ['Permissions'] }), 'Permissions', 'Service manager access');
    expect(before.status).toBe('Pass');
    expect(before.message).toMatch(/The PM2 daemon is not running; it starts with the first service/);
    expect(existsSync(join(home, 'pm2.pid'))).toBe(false); // the check itself started no daemon

    expect(pm2(['ping']).status).toBe(0);
    const pid = Number(readFileSync(join(home, 'pm2.pid'), 'utf8'));
    const after = find(await project.run({}, { categories: ['Permissions'], detailed: true }), 'Permissions', 'Service manager access');
    expect(after.status, after.message).toBe('Pass');
    expect(after.message).toContain(`The PM2 daemon (PID ${pid}, PM2_HOME ${home}) answers; it runs 0 process(es).`);
    expect(after.probe).toMatch(/pm2 jlist$/);
  }, 60_000);
});
