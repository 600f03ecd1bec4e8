/**
 * Environment overlays: deployment.config.<environment>.env over deployment.config.env. Which one applies
 * (-Environment, then $env:WOOSOO_ENVIRONMENT, then the base file's ENVIRONMENT), that a name asked for must exist,
 * where each value comes from (config.get's Source/File/Line) and config.compare, in the engine and over the wire.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProject, loadValidProject } from '../../core/config';
import { validateConfig } from '../../core/config/validate';
import { WoosooError } from '../../core/kernel/errors';
import { newJournal } from '../../core/deploy/journal';
import { toDeployment } from '../../core/deploy/methods';
import { renderHtml } from '../../core/deploy/report';
import { EngineClient } from '../support/engine';

const BASE = [
  '# shared values', 'ENVIRONMENT=production', 'APP_IP=192.168.1.50', 'HTTP_PORT=80', 'BACKEND_PORT=8000', 'REVERB_PORT=8080',
  'DB_HOST=127.0.0.1', 'DB_PORT=3306', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', 'DB_PASSWORD=correct-horse-9',
  'REVERB_APP_KEY=key-123456', 'REVERB_APP_SECRET=secret-123456', 'APP_NAME=Shared',
].join('\n');

function project(overlays: Record<string, string>, base = BASE): string {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-envs-'));
  writeFileSync(join(dir, 'deployment.config.env'), base);
  for (const a of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(dir, a), { recursive: true });
  for (const [env, text] of Object.entries(overlays)) writeFileSync(join(dir, `deployment.config.${env}.env`), text);
  return dir;
}
const session = (env: Record<string, string> = {}) => ({ env, cwd: '/', registerSecrets: () => {} });
const refusal = (f: () => unknown): WoosooError => {
  try {
    f();
  } catch (err) {
    if (err instanceof WoosooError) return err;
    throw err;
  }
  throw new Error('expected a WoosooError');
};

describe('which environment applies', () => {
  const dir = project({ staging: 'APP_NAME=Staging\nDB_DATABASE=woosoo_staging\n', development: 'APP_NAME=Dev\nAPP_DEBUG=true\n' });

  it('the base file alone when its ENVIRONMENT has no overlay', () => {
    const cfg = readProject(dir, session());
    expect(cfg.environment).toBe('production');
    expect(cfg.location.overlay).toBeUndefined();
    expect(cfg.str('APP_NAME')).toBe('Shared');
  });

  it('-Environment over $env:WOOSOO_ENVIRONMENT over the file; the overlay wins key by key, the rest is shared', () => {
    const byVariable = readProject(dir, session({ WOOSOO_ENVIRONMENT: 'development' }));
    expect([byVariable.environment, byVariable.location.environmentFrom, byVariable.str('APP_NAME'), byVariable.flag('APP_DEBUG')]).toEqual(['development', 'Variable', 'Dev', true]);
    const byParam = readProject({ path: dir, environment: 'Staging' }, session({ WOOSOO_ENVIRONMENT: 'development' }));
    expect([byParam.environment, byParam.location.environmentFrom]).toEqual(['staging', 'Parameter']);
    expect(byParam.str('ENVIRONMENT')).toBe('staging');
    expect(byParam.str('APP_NAME')).toBe('Staging');
    expect(byParam.str('DB_DATABASE')).toBe('woosoo_staging');
    expect(byParam.str('DB_USERNAME')).toBe('woosoo');
    expect(byParam.fileOf('DB_DATABASE')).toBe(join(dir, 'deployment.config.staging.env'));
    expect(byParam.fileOf('DB_USERNAME')).toBe(join(dir, 'deployment.config.env'));
    expect(validateConfig(byParam).filter((p) => p.severity === 'Error')).toEqual([]);
  });

  it('the file\'s ENVIRONMENT picks its overlay when nothing else is asked for', () => {
    const d = project({ staging: 'APP_NAME=From overlay\n' }, BASE.replace('ENVIRONMENT=production', 'ENVIRONMENT=staging'));
    const cfg = readProject(d, session());
    expect([cfg.environment, cfg.location.environmentFrom, cfg.str('APP_NAME')]).toEqual(['staging', 'File', 'From overlay']);
  });

  it('an environment asked for must exist: no overlay and not the base file\'s is EnvironmentNotFound; an unknown name EnvironmentInvalid', () => {
    const d = project({ staging: 'APP_NAME=S\n' }, BASE.replace('ENVIRONMENT=production', 'ENVIRONMENT=development'));
    const notThere = refusal(() => readProject({ path: d, environment: 'production' }, session()));
    expect(notThere.errorId).toBe('EnvironmentNotFound');
    expect(notThere.message).toContain('deployment.config.production.env');
    expect(notThere.message).toContain('the overlays here: staging');
    const typo = refusal(() => readProject(d, session({ WOOSOO_ENVIRONMENT: 'stagign' })));
    expect(typo.errorId).toBe('EnvironmentInvalid');
    expect(typo.message).toContain('$env:WOOSOO_ENVIRONMENT');
    expect(typo.message).toContain('development, staging, production');
  });

  it('asking for the base file\'s own environment needs no overlay', () => {
    const cfg = readProject({ path: dir, environment: 'production' }, session());
    expect([cfg.environment, cfg.location.overlay]).toEqual(['production', undefined]);
  });

  it('an overlay\'s problems name the overlay file and line; an overlay saying another ENVIRONMENT is an error', () => {
    const d = project({ staging: '# staging\nHTTP_PORT=80x\nENVIRONMENT=production\n' });
    const overlay = join(d, 'deployment.config.staging.env');
    const problems = validateConfig(readProject({ path: d, environment: 'staging' }, session()));
    expect(problems.find((p) => p.key === 'HTTP_PORT')).toMatchObject({ file: overlay, line: 2, rule: 'Type' });
    expect(problems.find((p) => p.key === 'HTTP_PORT')?.message).toContain('deployment.config.staging.env line 2');
    expect(problems.find((p) => p.rule === 'EnvironmentMismatch')).toMatchObject({ file: overlay, line: 3, severity: 'Error' });
    expect(refusal(() => loadValidProject({ path: d, environment: 'staging' }, session())).message).toContain(overlay);
  });
});

describe('deployments record the environment', () => {
  it('in the journal, the Woosoo.Deployment and the HTML report', () => {
    const dir = project({ staging: 'APP_NAME=S\n' });
    const j = newJournal(readProject({ path: dir, environment: 'staging' }, session()), '20261203-080000-abcd', {
      scope: 'Full', skipBackup: false, skipBuild: false, skipTests: false, force: false, noRollback: false, parallel: false,
    }, {});
    expect(j.environment).toBe('staging');
    expect(toDeployment(j).Environment).toBe('staging');
    expect(renderHtml(j)).toContain('<tr><th>Environment</th><td>staging</td></tr>');
  });
});

describe('over the wire', () => {
  let c: EngineClient;
  let dir: string;
  beforeAll(async () => {
    dir = project({ staging: 'APP_NAME=Staging\n\nDB_PASSWORD=staging-secret-77\n' });
    c = await EngineClient.start({ cwd: dir });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('config.get shows each value\'s source: default, base file and line, overlay file and line, the environment chosen', async () => {
    const r = await c.request('config.get', { path: dir, environment: 'staging', names: ['APP_NAME', 'DB_PORT', 'APP_DEBUG', 'ENVIRONMENT', 'DB_PASSWORD'] });
    const by = Object.fromEntries(((r.result as { items: { Name: string }[] }).items).map((i) => [i.Name, i]));
    expect(by.APP_NAME).toMatchObject({ Value: 'Staging', Source: 'Overlay', File: join(dir, 'deployment.config.staging.env'), Line: 1 });
    expect(by.DB_PORT).toMatchObject({ Value: 3306, Source: 'File', File: join(dir, 'deployment.config.env'), Line: 8 });
    expect(by.APP_DEBUG).toMatchObject({ Value: false, Source: 'Default' });
    expect(by.ENVIRONMENT).toMatchObject({ Value: 'staging', Source: 'Environment' });
    expect(by.DB_PASSWORD).toMatchObject({ Value: '********', Source: 'Overlay', Line: 3 });
    const plain = await c.request('config.get', { path: dir, names: ['ENVIRONMENT', 'APP_NAME'] });
    expect((plain.result as { items: unknown[] }).items).toMatchObject([{ Value: 'production', Source: 'File', Line: 2 }, { Value: 'Shared', Source: 'File' }]);
  });

  it('config.compare lists the keys that differ side by side, secrets masked; one environment is compared with base', async () => {
    const r = await c.request('config.compare', { path: dir, environments: ['staging', 'production'] });
    expect((r.result as { items: unknown[] }).items).toEqual([
      { $type: 'ConfigDifference', Name: 'ENVIRONMENT', staging: 'staging', production: 'production' },
      { $type: 'ConfigDifference', Name: 'APP_NAME', staging: 'Staging', production: 'Shared' },
      { $type: 'ConfigDifference', Name: 'DB_PASSWORD', staging: '********', production: '********' },
    ]);
    expect(JSON.stringify(r)).not.toContain('staging-secret-77');
    const one = await c.request('config.compare', { path: dir, environments: ['staging'] });
    expect((one.result as { items: Record<string, string>[] }).items.map((i) => [i.Name, i.base, i.staging])).toEqual([
      ['ENVIRONMENT', 'production', 'staging'], ['APP_NAME', 'Shared', 'Staging'], ['DB_PASSWORD', '********', '********'],
    ]);
    const bad = await c.request('config.compare', { path: dir, environments: ['qa'] });
    expect(bad.error?.data).toMatchObject({ errorId: 'EnvironmentInvalid' });
  });

  it('config.set: a named environment\'s overlay gets the value; without one the shared file does, warning where the overlay wins', async () => {
    const overlay = join(dir, 'deployment.config.staging.env');
    const base = join(dir, 'deployment.config.env');
    const baseBefore = readFileSync(base, 'utf8');
    const r = await c.request('config.set', { path: dir, environment: 'staging', name: 'HTTP_PORT', value: '8090' });
    expect(r.result).toMatchObject({ items: [{ Path: overlay, Action: 'Update' }] });
    expect(readFileSync(overlay, 'utf8')).toBe('APP_NAME=Staging\n\nDB_PASSWORD=staging-secret-77\nHTTP_PORT=8090\n');
    expect(readFileSync(base, 'utf8')).toBe(baseBefore);
    // The overlay's value is validated with the shared file: a port the shared file gives another service is refused.
    const clash = await c.request('config.set', { path: dir, environment: 'staging', name: 'HTTP_PORT', value: '8000' });
    expect(clash.error?.data).toMatchObject({ errorId: 'ConfigValueInvalid' });
    expect(readFileSync(overlay, 'utf8')).toContain('HTTP_PORT=8090');

    const d = project({ production: 'APP_NAME=Prod\n' });
    const shared = await c.request('config.set', { path: d, name: 'APP_NAME', value: 'Everyone' });
    expect(shared.result).toMatchObject({ items: [{ Path: join(d, 'deployment.config.env'), Action: 'Update' }] });
    expect(readFileSync(join(d, 'deployment.config.env'), 'utf8')).toContain("APP_NAME=Everyone");
    expect(readFileSync(join(d, 'deployment.config.production.env'), 'utf8')).toBe('APP_NAME=Prod\n');
    const logs = c.notifications.filter((n) => n.method === '$/log').map((n) => String((n.params as { message: string }).message));
    expect(logs.join('\n')).toContain(`APP_NAME is also set in ${join(d, 'deployment.config.production.env')}, which wins in production`);
  });

  it('backups record the environment and hold every overlay; restoring into another environment needs force', async () => {
    const made = await c.request('backup.create', { path: dir, environment: 'staging', description: 'envs' });
    const b = (made.result as { items: { Id: string; Environment: string }[] }).items[0];
    expect(b.Environment).toBe('staging');
    const refused = await c.request('backup.restore', { path: dir, id: b.Id, whatIf: true });
    expect(refused.error?.data).toMatchObject({ errorId: 'BackupEnvironmentMismatch' });
    expect(refused.error?.message).toContain('taken in staging, and this is production');
    const same = await c.request('backup.restore', { path: dir, environment: 'staging', id: b.Id, whatIf: true });
    const targets = (same.result as { items: { Target: string }[] }).items.map((a) => a.Target);
    expect(targets).toContain(join(dir, 'deployment.config.staging.env'));
    expect(targets).toContain(join(dir, 'deployment.config.env'));
    const forced = await c.request('backup.restore', { path: dir, id: b.Id, whatIf: true, force: true });
    expect(forced.error).toBeUndefined();
  });

  it('every project method takes environment: a missing one is refused the same way', async () => {
    for (const method of ['config.get', 'services.get', 'health.get', 'deploy.get', 'backup.list']) {
      const r = await c.request(method, { path: dir, environment: 'development' });
      expect(r.error?.data, method).toMatchObject({ errorId: 'EnvironmentNotFound' });
    }
  });
});
