/**
 * diagnostics.export over the wire, against the real engine: the bundle's entries, redaction of every secret in every
 * form it was planted in (logs, journal, report, build log, engine log, audit), a broken configuration and a missing
 * project (parts fail into errors.json, the export does not), and the refusals that write nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { DEPLOY_ID, SECRETS, leaks, makeDiagProject, readZip } from './fixture';

/** Woosoo's own folder for the user (WOOSOO_STATE_DIR): the engine's log of calls outside any project, a secret planted in it. */
const stateDir = mkdtempSync(join(tmpdir(), 'wsdiag-state-'));
mkdirSync(join(stateDir, 'logs', 'woosoo'), { recursive: true });
writeFileSync(join(stateDir, 'logs', 'woosoo', 'engine.1.log'), `{"msg":"posting to ${SECRETS.webhook}"}\n`);

let client: EngineClient | undefined;
async function engine(cwd: string): Promise<EngineClient> {
  client ??= await EngineClient.start({ cwd, testMethods: false, env: { WOOSOO_STATE_DIR: stateDir } });
  return client;
}
afterAll(async () => {
  await client?.close();
});

describe('diagnostics.export over the wire', () => {
  it('writes a zip with every part, and no secret in any file of it', async () => {
    const dir = makeDiagProject();
    const c = await engine(dir);
    const out = join(dir, 'bundle.zip');
    const r = await c.call('diagnostics.export', { path: dir, outFile: out, logLines: 20, client: { Module: '9.9.9', PowerShell: '7.4.6 Core' } });
    const b = r.items![0];
    expect(b).toMatchObject({ $type: 'DiagnosticsBundle', Path: out, ProjectPath: dir });
    expect(b.PartsOk).toEqual(expect.arrayContaining(['Configuration', 'ConfigTest', 'Preflight', 'Logs', 'Deployments', 'EngineLog', 'Services', 'Health']));
    const files = readZip(out);
    expect(b.SizeBytes).toBeGreaterThan(0);
    expect([...files.keys()]).toEqual(b.Entries);
    expect([...files.keys()]).toEqual(expect.arrayContaining([
      'summary.txt', 'errors.json', 'versions.json', 'config.json', 'config-test.json', 'preflight.json', 'health.json', 'services.json',
      'logs/woosoo-backend/output.log', 'logs/woosoo-backend/error.log', 'logs/laravel/laravel.log',
      `deployments/${DEPLOY_ID}/journal.json`, `deployments/${DEPLOY_ID}/report.json`, `deployments/${DEPLOY_ID}/backend.log`,
      'engine/engine.log', 'engine/outside-projects/engine.1.log', 'audit/audit-2026-12.jsonl',
    ]));
    expect(leaks(files)).toEqual([]);
    // The masked lines are still there (masked, not dropped), and -LogLines keeps the end of the log.
    const log = files.get('logs/woosoo-backend/output.log')!.split('\n').filter(Boolean);
    expect(log).toHaveLength(20);
    expect(log.at(-1)).toBe('the last line of the backend log');
    expect(log.join('\n')).toContain('connecting to mysql://woosoo:********@127.0.0.1:59984/woosoo');
    expect(log.join('\n')).toContain('decrypting with ********');
    const config = JSON.parse(files.get('config.json')!) as { Keys: { Name: string; Value: unknown }[] };
    expect(config.Keys.find((k) => k.Name === 'DB_PASSWORD')?.Value).toBe('********');
    expect(config.Keys.find((k) => k.Name === 'DB_USERNAME')?.Value).toBe('woosoo');
    const versions = JSON.parse(files.get('versions.json')!);
    expect(versions.Woosoo).toMatchObject({ Module: '9.9.9', PowerShell: '7.4.6 Core' });
    expect(Object.keys(versions.Tools)).toEqual(expect.arrayContaining(['Node.js', 'PHP', 'Composer', 'nginx', 'Database client', 'Service manager', 'Operating system']));
    const summary = files.get('summary.txt')!;
    expect(summary).toMatch(/^Woosoo diagnostics bundle/);
    expect(summary).toMatch(/Deployments +ISSUES .*Failed at Build/);
    expect(summary).toContain('What failed (look here first)');
    // Nothing left beside the zip (the temporary file was renamed into place).
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('a broken configuration, a database that is down and no nginx: the parts that fail are errors, the export is not', async () => {
    const dir = makeDiagProject(['HTTP_PORT=80x88', 'NGINX_PATH=/nonexistent/nginx']);
    const c = await engine(dir);
    const out = join(dir, 'broken.zip');
    const b = (await c.call('diagnostics.export', { path: dir, outFile: out })).items![0];
    expect(b.PartsFailed).toEqual(expect.arrayContaining(['Health', 'Services']));
    expect(b.PartsOk).toEqual(expect.arrayContaining(['Configuration', 'ConfigTest', 'Preflight', 'Logs']));
    const files = readZip(out);
    const errors = JSON.parse(files.get('errors.json')!) as { part: string; errorId: string; message: string }[];
    expect(errors.find((e) => e.part === 'Health')).toMatchObject({ errorId: 'ConfigInvalid', message: expect.stringContaining('HTTP_PORT') });
    const summary = files.get('summary.txt')!;
    expect(summary).toMatch(/Health +FAILED +ConfigInvalid/);
    expect(summary).toMatch(/ConfigTest +ISSUES/);
    const preflight = JSON.parse(files.get('preflight.json')!) as { name: string; status: string; message: string }[];
    expect(preflight.find((x) => x.name === 'nginx')).toMatchObject({ status: 'Fail' });
    expect(preflight.find((x) => x.name === 'Database login')?.status).not.toBe('Pass');
    expect(leaks(files)).toEqual([]);
  }, 60_000);

  it('no project where -Path points: the error of every cmdlet, and nothing written', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wsdiag-none-'));
    const c = await engine(empty);
    const r = await c.request('diagnostics.export', { path: empty, outFile: join(empty, 'x.zip') });
    expect(r.error?.data?.errorId).toBe('ConfigNotFound');
    expect(readdirSync(empty)).toEqual([]);
  }, 30_000);

  it('an unreadable configuration file: still a bundle (versions, summary, errors) in the current folder', async () => {
    const dir = makeDiagProject();
    rmSync(join(dir, 'deployment.config.env'));
    mkdirSync(join(dir, 'deployment.config.env')); // unreadable as a file, even for root
    const c = await engine(dir);
    c.notify('$/context', { cwd: dir, env: process.env as Record<string, string> });
    const b = (await c.call('diagnostics.export', { path: dir })).items![0];
    expect(b.Path).toMatch(new RegExp(`^${dir.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}/woosoo-diagnostics-.+-\\d{8}-\\d{6}\\.zip$`));
    const files = readZip(b.Path as string);
    expect([...files.keys()]).toEqual(['summary.txt', 'errors.json', 'versions.json']);
    expect(JSON.parse(files.get('errors.json')!)[0]).toMatchObject({ part: 'Project', errorId: 'ConfigUnreadable' });
    expect(files.get('summary.txt')).toMatch(/Preflight +FAILED +DiagnosticsNoProject/);
  }, 30_000);

  it('refuses to replace a file without force, and a missing folder, writing nothing', async () => {
    const dir = makeDiagProject();
    const c = await engine(dir);
    const out = join(dir, 'exists.zip');
    writeFileSync(out, 'keep me');
    const refused = await c.request('diagnostics.export', { path: dir, outFile: out });
    expect(refused.error?.data).toMatchObject({ errorId: 'DiagnosticsFileExists', category: 'ResourceExists' });
    const missing = await c.request('diagnostics.export', { path: dir, outFile: join(dir, 'no', 'such', 'x.zip') });
    expect(missing.error?.data).toMatchObject({ errorId: 'DiagnosticsFolderNotFound' });
    expect(existsSync(join(dir, 'no'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.zip'))).toEqual(['exists.zip']);
    // The default name goes into the project's logs/diagnostics.
    const b = (await c.call('diagnostics.export', { path: dir, logLines: 5 })).items![0];
    expect(b.Path).toContain(join(dir, 'logs', 'diagnostics', 'woosoo-diagnostics-'));
  }, 60_000);
});
