/**
 * backup.* over the wire, against the real engine (bin/woosoo-engine.cjs): typed items, error ids, -WhatIf
 * plans, retention plans — and the engine killed (SIGKILL) half-way through backup.create of a large tree:
 * no valid backup appears, the sources are untouched, and the next backup clears the leftover.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { makeProject } from './fixture';

const clients: EngineClient[] = [];
async function engine(cwd: string): Promise<EngineClient> {
  const c = await EngineClient.start({ cwd, testMethods: false });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('backup.* over the wire', () => {
  it('create, list, test, restore -WhatIf and remove plans return typed objects', async () => {
    const p = makeProject();
    const c = await engine(p.dir);
    const created = await c.call('backup.create', { path: p.dir, description: 'wire', includeFiles: true });
    const b = created.items![0];
    expect(b).toMatchObject({ $type: 'Backup', Description: 'wire', Includes: ['Configs', 'Files'], Creator: 'New-WoosooBackup', ProjectPath: p.dir, BackupPath: join(p.dir, 'backups', b.Id as string), Problem: '' });
    expect(b.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const second = (await c.call('backup.create', { path: p.dir })).items![0];
    const listed = await c.call('backup.list', { path: p.dir });
    expect(listed.items!.map((x) => x.Id)).toEqual([second.Id, b.Id]);
    expect((await c.call('backup.list', { path: p.dir, limit: 1 })).items!.map((x) => x.Id)).toEqual([second.Id]);

    const tested = await c.call('backup.test', { path: p.dir, ids: [b.Id as string] });
    expect(tested.items).toEqual([{ $type: 'BackupVerification', Id: b.Id, Valid: true, FilesChecked: (b.FileCount as number) + 1, Problems: [], BackupPath: b.BackupPath, Encrypted: false, Authenticated: false }]);

    writeFileSync(join(p.dir, 'configs', 'nginx.conf'), 'changed');
    const plan = await c.call('backup.restore', { path: p.dir, id: b.Id, whatIf: true });
    expect(plan.items!.every((x) => x.$type === 'RestoreAction' && x.BackupId === b.Id)).toBe(true);
    expect(plan.items!.find((x) => x.Action === 'Replace')).toMatchObject({ Kind: 'File', Source: 'configs/nginx.conf', Target: join(p.dir, 'configs', 'nginx.conf') });
    expect(readFileSync(join(p.dir, 'configs', 'nginx.conf'), 'utf8')).toBe('changed');

    const done = await c.call('backup.restore', { path: p.dir, id: b.Id });
    expect(done.items![0]).toMatchObject({ $type: 'RestoreResult', BackupId: b.Id, FilesRestored: 1, DatabaseRestored: false, SafetyBackupId: expect.stringMatching(/^\d{4}-/) });
    expect(readFileSync(join(p.dir, 'configs', 'nginx.conf'), 'utf8')).toContain('listen 8088');

    const removal = await c.call('backup.remove', { path: p.dir, olderThanSeconds: 0, keepMinimum: 1, plan: true });
    expect(removal.items!.map((x) => x.Id)).toEqual([second.Id, b.Id]);
    expect((await c.call('backup.list', { path: p.dir })).items).toHaveLength(3);
  });

  it('reports clear error ids: unknown backup, bad id, outside path', async () => {
    const p = makeProject();
    const c = await engine(p.dir);
    const missing = await c.request('backup.restore', { path: p.dir, id: '2001-01-01_00-00-00', whatIf: true });
    expect(missing.error?.data).toMatchObject({ errorId: 'BackupNotFound', category: 'ObjectNotFound', targetObject: '2001-01-01_00-00-00' });
    const bad = await c.request('backup.restore', { path: p.dir, id: '../../etc/passwd' });
    expect(bad.error?.data?.errorId).toBe('InvalidParams');
    expect(bad.error?.message).toContain('params.id: must be a backup id');
    const listed = await c.call('backup.list', { path: p.dir, ids: ['2001-01-01_00-00-00'] });
    expect(listed.items).toEqual([]);
    expect(listed.errors).toMatchObject([{ data: { errorId: 'BackupNotFound' } }]);

    // A bad backup key never falls back to something dangerous (an empty BACKUP_PATH would be the project itself).
    appendFileSync(join(p.dir, 'deployment.config.env'), 'BACKUP_KEEP_MINIMUM=many\n');
    const keep = await c.request('backup.remove', { path: p.dir, olderThanSeconds: 0 });
    expect(keep.error?.data?.errorId).toBe('ConfigInvalid');
    expect(keep.error?.message).toContain('BACKUP_KEEP_MINIMUM');
    appendFileSync(join(p.dir, 'deployment.config.env'), 'BACKUP_PATH=\n');
    const list = await c.request('backup.list', { path: p.dir });
    expect(list.error?.data?.errorId).toBe('ConfigInvalid');
    expect(list.error?.message).toContain('BACKUP_PATH');
  });

  it('restores a broken deployment.config.env (the config need not be valid to put it back)', async () => {
    const p = makeProject();
    const c = await engine(p.dir);
    const good = readFileSync(join(p.dir, 'deployment.config.env'), 'utf8');
    const b = (await c.call('backup.create', { path: p.dir })).items![0];
    writeFileSync(join(p.dir, 'deployment.config.env'), 'ENVIRONMENT=staging\nDB_PASSWORD="never closed\n');
    const refused = await c.request('backup.create', { path: p.dir });
    expect(refused.error?.data?.errorId).toBe('ConfigInvalid');
    const done = await c.call('backup.restore', { path: p.dir, id: b.Id });
    expect(done.items![0]).toMatchObject({ $type: 'RestoreResult', FilesRestored: 1 });
    expect(readFileSync(join(p.dir, 'deployment.config.env'), 'utf8')).toBe(good);
  });

  it('never lets a secret out: the database password is not in any reply or notification', async () => {
    const p = makeProject();
    const c = await engine(p.dir);
    await c.call('backup.create', { path: p.dir });
    await c.call('backup.test', { path: p.dir });
    expect(c.stdoutLines.join('\n')).not.toContain('not-used-pw-1');
  });
});

describe('engine killed half-way through backup.create', () => {
  it('leaves no valid backup, loses nothing, and the next backup removes the leftover', async () => {
    const p = makeProject({ files: 0 });
    const uploads = join(p.dir, 'apps', 'woosoo-nexus', 'storage', 'app', 'bulk');
    mkdirSync(uploads);
    const hashes = new Map<string, string>();
    for (let i = 0; i < 400; i++) {
      const data = randomBytes(256 * 1024);
      writeFileSync(join(uploads, `f${i}.bin`), data);
      hashes.set(`f${i}.bin`, createHash('sha256').update(data).digest('hex'));
    }
    const c = await engine(p.dir);
    const reply = c.request('backup.create', { path: p.dir, includeFiles: true });
    // Wait until the engine reports progress in the middle of the copy, then kill it outright.
    const deadline = Date.now() + 20_000;
    while (!c.notifications.some((n) => n.method === '$/progress' && /^(5|10|15)0 of/.test(String(n.params?.status)))) {
      if (Date.now() > deadline) throw new Error(`no progress seen: ${JSON.stringify(c.notifications.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    c.child.kill('SIGKILL');
    const exit = await c.exited;
    expect(exit.signal).toBe('SIGKILL');
    void reply;

    const left = readdirSync(join(p.dir, 'backups'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.tmp-\d{4}-/); // only the unfinished folder, under its temp name
    for (const [name, hash] of hashes) expect(createHash('sha256').update(readFileSync(join(uploads, name))).digest('hex'), name).toBe(hash);

    const c2 = await engine(p.dir);
    expect((await c2.call('backup.list', { path: p.dir })).items).toEqual([]);
    const made = (await c2.call('backup.create', { path: p.dir })).items![0];
    expect(readdirSync(join(p.dir, 'backups'))).toEqual([made.Id]); // the leftover of the dead engine is gone
    expect((await c2.call('backup.test', { path: p.dir })).items!.map((v) => v.Valid)).toEqual([true]);
  });
});
