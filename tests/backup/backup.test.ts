/**
 * Backups without a database: layout, ids, checksums (checked with the real sha256sum), byte-for-byte round
 * trips, the safety backup, and the fault cases — tampered, missing, truncated, malicious paths, symbolic-link
 * escapes, a disk that is full or read-only (a real tmpfs mounted for the test), retention.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRetention, createBackup, listBackups, restoreBackup, verifyBackup, verifyBackupAsync, type RestoreResult } from '../../core/backup';
import { compareIdsNewestFirst, idStem, isSafeRelative, projectPathFor } from '../../core/backup/layout';
import { parseChecksums } from '../../core/backup/files';
import { removeSelected } from '../../core/backup/retention';
import { forgeMetadata, makeProject, sha } from './fixture';

const storage = (dir: string, ...p: string[]) => join(dir, 'apps', 'woosoo-nexus', 'storage', 'app', ...p);

/** Every file under dir → its bytes' sha256 (to compare whole trees byte for byte). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'backups') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out[r] = sha(join(d, e.name));
    }
  };
  walk(dir, '');
  return out;
}

async function expectRejects(p: Promise<unknown>, errorId: string): Promise<Error & { errorId: string; message: string }> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, `expected ${errorId}`).not.toBeNull();
  expect((err as { errorId: string }).errorId).toBe(errorId);
  return err as Error & { errorId: string };
}

describe('layout rules', () => {
  it('accepts only relative paths that stay inside', () => {
    for (const ok of ['a', 'configs/nginx.conf', 'files/ünï code/x.bin']) expect(isSafeRelative(ok), ok).toBe(true);
    for (const bad of ['', '../x', 'a/../../etc/passwd', '/etc/passwd', 'C:/Windows', 'a\\..\\b', 'a//b', './a', 'a/.', 'x\ny']) {
      expect(isSafeRelative(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('maps backup paths back by the longest mapping', () => {
    const m = [{ from: 'configs', to: 'configs' }, { from: 'configs/deployment.config.env', to: 'deployment.config.env' }, { from: 'extra', to: '' }, { from: 'files', to: 'apps/a/storage/app' }];
    expect(projectPathFor(m, 'configs/deployment.config.env')).toBe('deployment.config.env');
    expect(projectPathFor(m, 'configs/nginx.conf')).toBe('configs/nginx.conf');
    expect(projectPathFor(m, 'files/public/x.png')).toBe('apps/a/storage/app/public/x.png');
    expect(projectPathFor(m, 'extra/apps/b/.env')).toBe('apps/b/.env');
    expect(projectPathFor(m, 'filesystem/x')).toBeNull();
    expect(projectPathFor(m, 'extra')).toBeNull();
  });

  it('sorts ids newest first, suffixes numerically', () => {
    const ids = ['2026-01-01_10-20-30', '2026-01-01_10-20-30-10', '2026-01-01_10-20-30-2', '2026-01-02_00-00-00', '2026-01-01_10-20-29-3'];
    expect([...ids].sort(compareIdsNewestFirst)).toEqual(['2026-01-02_00-00-00', '2026-01-01_10-20-30-10', '2026-01-01_10-20-30-2', '2026-01-01_10-20-30', '2026-01-01_10-20-29-3']);
    expect(idStem(new Date(2026, 1, 15, 14, 3, 9))).toBe('2026-02-15_14-03-09');
  });

  it('parses sha256sum lines and rejects traversal in them', () => {
    const h = 'a'.repeat(64);
    const r = parseChecksums(`${h}  configs/x\n${h} *bin\n${h}  ../../etc/passwd\nnonsense\n\\${h}  back\\\\slash\n`, 'checksums.sha256');
    expect([...r.entries.keys()]).toEqual(['configs/x', 'bin']);
    expect(r.problems.join('\n')).toContain('line 3 names "../../etc/passwd", a path outside the backup folder: rejected');
    expect(r.problems.join('\n')).toContain('line 4 is not');
    expect(r.problems.join('\n')).toContain('back\\slash');
  });
});

describe('the uploads -IncludeFiles copies', () => {
  it('are the backend\'s storage/app wherever BACKEND_PATH points, when BACKUP_STORAGE_PATH is empty (the default)', async () => {
    const p = makeProject();
    mkdirSync(join(p.dir, 'src', 'api', 'storage', 'app'), { recursive: true });
    writeFileSync(join(p.dir, 'src', 'api', 'storage', 'app', 'upload.jpg'), 'jpeg');
    mkdirSync(join(p.dir, 'src', 'api'), { recursive: true });
    writeFileSync(join(p.dir, 'src', 'api', '.env'), 'APP_KEY=base64:c2VjcmV0\n');
    writeFileSync(join(p.dir, 'deployment.config.env'), `${readFileSync(join(p.dir, 'deployment.config.env'), 'utf8')}BACKEND_PATH=src/api\n`);
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    expect(b.includes.files).toBe(true);
    expect(b.warnings).toEqual([]);
    expect(existsSync(join(p.dir, 'backups', b.id, 'files', 'upload.jpg'))).toBe(true);
  });

  it('found nowhere: a warning on the backup and in the log, and Includes without Files (never a silent "Files")', async () => {
    const p = makeProject();
    rmSync(join(p.dir, 'apps', 'woosoo-nexus', 'storage'), { recursive: true, force: true });
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    expect(b.includes).toEqual({ configs: true, database: false, files: false });
    expect(b.warnings).toEqual([expect.stringMatching(/^-IncludeFiles found no files in .*storage.app \(BACKUP_STORAGE_PATH is empty: BACKEND_PATH\/storage\/app, which does not exist\): the backup holds no uploads\.$/)]);
    expect(listBackups(p.cfg()).find((x) => x.id === b.id)!.warnings).toEqual(b.warnings);
    expect(p.notes.some((n) => n.method === '$/log' && n.params.level === 'warning' && String(n.params.message).includes('found no files'))).toBe(true);
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(true);
  });
});

describe('create, list, verify', () => {
  it('makes a complete backup that sha256sum -c accepts, with restricted permissions and no secrets in metadata', async () => {
    const p = makeProject();
    const b = await createBackup(p.cfg(), p.ctx(), { description: 'before upgrade', includeFiles: true });
    expect(b.id).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
    expect(b.includes).toEqual({ configs: true, database: false, files: true });
    expect(b.description).toBe('before upgrade');
    expect(b.creator).toBe('New-WoosooBackup');
    const dir = join(p.dir, 'backups', b.id);
    for (const f of ['metadata.json', 'checksums.sha256', 'configs/deployment.config.env', 'configs/nginx.conf', 'apps/woosoo-nexus/.env', 'apps/tablet-ordering-pwa/.env', 'files/public/menu/dish-0.bin', 'files/ünïcode name.txt']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    // The real sha256sum agrees with every line.
    const check = spawnSync('sha256sum', ['-c', '--strict', 'checksums.sha256'], { cwd: dir, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.match(/: OK$/gm)?.length).toBe(b.fileCount + 1); // + metadata.json
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'apps', 'woosoo-nexus', '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(p.dir, 'backups')).mode & 0o777).toBe(0o700);
    const meta = readFileSync(join(dir, 'metadata.json'), 'utf8');
    expect(meta).not.toContain('not-used-pw-1');
    expect(meta).not.toContain('test-reverb-secret-1');
    expect(JSON.parse(meta)).toMatchObject({ id: b.id, environment: 'staging', includes: { configs: true, database: false, files: true }, creator: 'New-WoosooBackup' });
    expect(verifyBackup(p.cfg(), b.id)).toEqual({ id: b.id, path: dir, valid: true, filesChecked: b.fileCount + 1, problems: [], encrypted: false, authenticated: false });
    expect(listBackups(p.cfg()).map((x) => x.id)).toEqual([b.id]);
    expect(readdirSync(join(p.dir, 'backups'))).toEqual([b.id]);
  });

  it('gives unique ids to backups made in the same second, listed newest first', async () => {
    const p = makeProject();
    const made = [];
    for (let i = 0; i < 4; i++) made.push((await createBackup(p.cfg(), p.ctx(), {})).id);
    expect(new Set(made).size).toBe(4);
    const listed = listBackups(p.cfg()).map((b) => b.id);
    expect(listed).toEqual([...made].reverse()); // made one after the other: the last one made comes first
  });

  it('stores extra files (what a sync is about to overwrite) and refuses ones outside the project', async () => {
    const p = makeProject();
    mkdirSync(join(p.dir, 'templates'));
    writeFileSync(join(p.dir, 'templates', 'custom.env.hbs'), 'X={{x}}\n');
    const b = await createBackup(p.cfg(), p.ctx(), { extraFiles: [join(p.dir, 'templates', 'custom.env.hbs'), join(p.dir, 'apps', 'woosoo-nexus', '.env'), join(p.dir, 'does-not-exist')], creator: 'Sync-WoosooConfig' });
    const dir = join(p.dir, 'backups', b.id);
    expect(existsSync(join(dir, 'extra', 'templates', 'custom.env.hbs'))).toBe(true);
    expect(existsSync(join(dir, 'extra', 'apps'))).toBe(false); // already in apps/woosoo-nexus/.env
    expect(b.creator).toBe('Sync-WoosooConfig');
    await expectRejects(createBackup(p.cfg(), p.ctx(), { extraFiles: ['/etc/hostname'] }), 'BackupPathOutsideProject');
    expect(listBackups(p.cfg())).toHaveLength(1);
  });

  it('skips (with a warning) an upload whose name a backup cannot hold, and stays valid', async () => {
    const p = makeProject();
    writeFileSync(storage(p.dir, 'bad\\name.txt'), 'x');
    writeFileSync(storage(p.dir, 'line\nbreak.txt'), 'y');
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(true);
    const warnings = p.notes.filter((n) => n.method === '$/log' && n.params.level === 'warning').map((n) => String(n.params.message));
    expect(warnings.filter((w) => w.includes('a name a backup cannot hold'))).toHaveLength(2);
  });
});

describe('leftovers of interrupted backups', () => {
  it('removes a .tmp- folder whose engine is gone or that is old and ownerless, and keeps one that may be in progress', async () => {
    const p = makeProject();
    const root = join(p.dir, 'backups');
    const dead = join(root, '.tmp-2020-01-01_00-00-00');
    const young = join(root, '.tmp-2020-01-01_00-00-01');
    const old = join(root, '.trash-2020-01-01_00-00-02');
    const alive = join(root, '.tmp-2020-01-01_00-00-03');
    for (const d of [dead, young, old, alive]) mkdirSync(d, { recursive: true });
    writeFileSync(join(dead, '.owner'), '999999999'); // no such process
    writeFileSync(join(alive, '.owner'), String(process.ppid)); // a live process (the test runner's parent)
    utimesSync(old, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const b = await createBackup(p.cfg(), p.ctx(), {});
    expect(readdirSync(root).sort()).toEqual(['.tmp-2020-01-01_00-00-01', '.tmp-2020-01-01_00-00-03', b.id].sort());
  });
});

describe('restore', () => {
  it.skipIf(process.platform === 'win32')('puts each file\'s permissions back with its contents, and those of a file whose bytes did not change', async () => {
    const p = makeProject();
    const backendEnv = join(p.dir, 'apps', 'woosoo-nexus', '.env');
    const pwaEnv = join(p.dir, 'apps', 'tablet-ordering-pwa', '.env');
    const nginx = join(p.dir, 'configs', 'nginx.conf');
    chmodSync(backendEnv, 0o644);
    chmodSync(pwaEnv, 0o640);
    chmodSync(nginx, 0o644);
    const b = await createBackup(p.cfg(), p.ctx(), {});
    const meta = JSON.parse(readFileSync(join(p.dir, 'backups', b.id, 'metadata.json'), 'utf8'));
    expect(meta.modes).toMatchObject({ 'apps/woosoo-nexus/.env': 0o644, 'apps/tablet-ordering-pwa/.env': 0o640, 'configs/nginx.conf': 0o644 });
    // What a sync (or a deploy that failed after it) does: new contents at 0600; and a mode changed by hand alone.
    writeFileSync(backendEnv, 'APP_KEY=changed\n');
    chmodSync(backendEnv, 0o600);
    chmodSync(nginx, 0o600);
    await restoreBackup(p.cfg(), p.ctx(), b.id);
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect([mode(backendEnv), mode(pwaEnv), mode(nginx)]).toEqual([0o644, 0o640, 0o644]);
    expect(readFileSync(backendEnv, 'utf8')).toContain('c2VjcmV0LWFwcC1rZXk');
  });

  it('puts every file back byte for byte, takes a safety backup that undoes the restore', async () => {
    const p = makeProject({ files: 20 });
    const before = snapshot(p.dir);
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    // Damage the live state: change, delete, replace with other bytes, add a new upload.
    writeFileSync(join(p.dir, 'apps', 'woosoo-nexus', '.env'), 'APP_KEY=\n');
    unlinkSync(storage(p.dir, 'public', 'menu', 'dish-3.bin'));
    writeFileSync(storage(p.dir, 'public', 'menu', 'dish-7.bin'), randomBytes(5000));
    rmSync(join(p.dir, 'configs'), { recursive: true });
    writeFileSync(storage(p.dir, 'new-upload.png'), 'new');
    const damaged = snapshot(p.dir);

    const plan = await restoreBackup(p.cfg(), p.ctx(), b.id, { whatIf: true });
    expect(plan.whatIf).toBe(true);
    const byAction = (a: string) => plan.actions.filter((x) => x.action === a).map((x) => x.source).sort();
    expect(byAction('Replace')).toEqual(['apps/woosoo-nexus/.env', 'files/public/menu/dish-7.bin']);
    expect(byAction('Create')).toEqual(['configs/nginx.conf', 'files/public/menu/dish-3.bin']);
    expect(snapshot(p.dir)).toEqual(damaged); // -WhatIf wrote nothing
    expect(listBackups(p.cfg())).toHaveLength(1);

    const r = (await restoreBackup(p.cfg(), p.ctx(), b.id)) as RestoreResult;
    expect(r.safetyBackupId).not.toBe('');
    expect(snapshot(p.dir)).toEqual({ ...before, 'apps/woosoo-nexus/storage/app/new-upload.png': sha(storage(p.dir, 'new-upload.png')) });
    expect(statSync(join(p.dir, 'apps', 'woosoo-nexus', '.env')).mode & 0o777).toBe(0o644); // kept the file's own mode
    expect(readdirSync(join(p.dir, 'apps', 'woosoo-nexus')).filter((n) => n.includes('woosoo-'))).toEqual([]); // no temp files left

    const safety = listBackups(p.cfg()).find((x) => x.id === r.safetyBackupId)!;
    expect(safety.creator).toBe('Restore-WoosooBackup (safety)');
    expect(verifyBackup(p.cfg(), safety.id).valid).toBe(true);
    // Undo the restore with the safety backup: the damaged .env and dish-7 come back.
    await restoreBackup(p.cfg(), p.ctx(), safety.id);
    const undone = snapshot(p.dir);
    expect(undone['apps/woosoo-nexus/.env']).toBe(damaged['apps/woosoo-nexus/.env']);
    expect(undone['apps/woosoo-nexus/storage/app/public/menu/dish-7.bin']).toBe(damaged['apps/woosoo-nexus/storage/app/public/menu/dish-7.bin']);
  });

  it('creates a missing file with the permissions the backup recorded; from a backup without them, 0600 when it holds secrets', async () => {
    const p = makeProject();
    const env = join(p.dir, 'apps', 'tablet-ordering-pwa', '.env');
    chmodSync(env, 0o640);
    const b = await createBackup(p.cfg(), p.ctx(), {});
    unlinkSync(env);
    await restoreBackup(p.cfg(), p.ctx(), b.id);
    expect(readFileSync(env, 'utf8')).toBe('NUXT_PUBLIC_API=http://127.0.0.1:8088\r\n');
    expect(statSync(env).mode & 0o777).toBe(process.platform === 'win32' ? statSync(env).mode & 0o777 : 0o640);
    // A backup made before Woosoo recorded permissions (no "modes" in metadata.json).
    const old = await createBackup(p.cfg(), p.ctx(), {});
    forgeMetadata(join(p.dir, 'backups', old.id), (m) => delete m.modes);
    unlinkSync(env);
    await restoreBackup(p.cfg(), p.ctx(), old.id);
    expect(statSync(env).mode & 0o777).toBe(process.platform === 'win32' ? statSync(env).mode & 0o777 : 0o600);
  });

  it('does nothing and takes no safety backup when everything is unchanged', async () => {
    const p = makeProject();
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    const r = (await restoreBackup(p.cfg(), p.ctx(), b.id)) as RestoreResult;
    expect(r.safetyBackupId).toBe('');
    expect(r.actions.every((a) => a.action === 'Unchanged')).toBe(true);
    expect(listBackups(p.cfg())).toHaveLength(1);
  });
});

describe('fault cases: each gives a clear error and loses nothing', () => {
  async function damaged(damage: (dir: string) => void, expected: RegExp) {
    const p = makeProject();
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    writeFileSync(join(p.dir, 'apps', 'woosoo-nexus', '.env'), 'CHANGED=1\n');
    const live = snapshot(p.dir);
    damage(join(p.dir, 'backups', b.id));
    const v = verifyBackup(p.cfg(), b.id);
    expect(v.valid).toBe(false);
    expect(v.problems.join('\n')).toMatch(expected);
    expect((await verifyBackupAsync(p.cfg(), p.ctx(), b.id)).problems).toEqual(v.problems);
    const err = await expectRejects(restoreBackup(p.cfg(), p.ctx(), b.id), 'BackupInvalid');
    expect(err.message).toMatch(expected);
    expect(err.message).toContain('nothing was restored');
    expect(snapshot(p.dir)).toEqual(live); // nothing touched
    expect(listBackups(p.cfg())).toHaveLength(1); // not even a safety backup
  }

  it('a tampered file', () => damaged((d) => appendFileSync(join(d, 'configs', 'nginx.conf'), '# evil\n'), /configs\/nginx\.conf does not match its checksum/));
  it('a missing file', () => damaged((d) => unlinkSync(join(d, 'files', 'public', 'menu', 'dish-2.bin')), /files\/public\/menu\/dish-2\.bin is listed in checksums\.sha256 but missing/));
  it('a truncated file', () => damaged((d) => truncateSync(join(d, 'files', 'public', 'menu', 'dish-4.bin'), 100), /dish-4\.bin does not match its checksum/));
  it('a file slipped in', () => damaged((d) => writeFileSync(join(d, 'configs', 'extra.conf'), 'x'), /configs\/extra\.conf is in the backup folder but not in checksums\.sha256/));
  it('a missing checksums file', () => damaged((d) => unlinkSync(join(d, 'checksums.sha256')), /checksums\.sha256 is missing/));
  it('a tampered metadata.json', () => damaged((d) => appendFileSync(join(d, 'metadata.json'), ' '), /metadata\.json does not match its checksum/));
  it('a malicious path in checksums.sha256 (../../etc/passwd)', () =>
    damaged((d) => appendFileSync(join(d, 'checksums.sha256'), `${sha('/etc/passwd')}  ../../etc/passwd\n`), /"\.\.\/\.\.\/etc\/passwd", a path outside the backup folder: rejected/));
  it('a malicious mapping in metadata.json, with consistent checksums', () =>
    damaged((d) => forgeMetadata(d, (m) => { (m.mappings as { from: string; to: string }[]).push({ from: 'configs', to: '../../etc' }); }), /maps "configs" to "\.\.\/\.\.\/etc", which would leave the project folder: rejected/));

  it('a target folder that is a symbolic link out of the project is rejected before anything is written', async () => {
    const p = makeProject();
    const b = await createBackup(p.cfg(), p.ctx(), {});
    const outside = mkdtempSync(join(tmpdir(), 'wsbk-outside-'));
    rmSync(join(p.dir, 'configs'), { recursive: true });
    symlinkSync(outside, join(p.dir, 'configs'));
    const err = await expectRejects(restoreBackup(p.cfg(), p.ctx(), b.id), 'BackupPathRejected');
    expect(err.message).toContain('through a symbolic link');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('an unknown id or one that is not an id', async () => {
    const p = makeProject();
    expect(() => verifyBackup(p.cfg(), '2020-01-01_00-00-00')).toThrow(/no backup 2020-01-01_00-00-00/);
    expect(() => verifyBackup(p.cfg(), '../../etc')).toThrow(/not a backup id/);
  });
});

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
describe.skipIf(!canMount)('a full or read-only backup disk (a real tmpfs)', () => {
  const mounts: string[] = [];
  const mount = (opts: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsbk-mnt-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });

  it('disk full: BackupDiskFull, no backup and no partial folder, sources intact', async () => {
    const p = makeProject({ files: 3 });
    writeFileSync(storage(p.dir, 'big.bin'), randomBytes(600 * 1024));
    const target = mount('size=256k');
    appendFileSync(join(p.dir, 'deployment.config.env'), `BACKUP_PATH=${target}\n`);
    const live = snapshot(p.dir);
    const err = await expectRejects(createBackup(p.cfg(), p.ctx(), { includeFiles: true }), 'BackupDiskFull');
    expect(err.message).toContain(target);
    expect((err as unknown as { recommendedAction: string }).recommendedAction).toMatch(/Free space/);
    expect(readdirSync(target)).toEqual([]);
    expect(listBackups(p.cfg())).toEqual([]);
    expect(snapshot(p.dir)).toEqual(live);
  });

  it('read-only disk: BackupWriteFailed (PermissionDenied), nothing written', async () => {
    const p = makeProject();
    const target = mount('size=1m,ro');
    appendFileSync(join(p.dir, 'deployment.config.env'), `BACKUP_PATH=${target}/backups\n`);
    const err = await expectRejects(createBackup(p.cfg(), p.ctx(), {}), 'BackupWriteFailed');
    expect((err as unknown as { category: string }).category).toBe('PermissionDenied');
    expect(err.message).toContain('read-only');
  });
});

describe('retention', () => {
  /** Makes n backups, then back-dates each (newest stays newest) by rewriting created_at consistently. */
  async function aged(n: number) {
    const p = makeProject();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await createBackup(p.cfg(), p.ctx(), {})).id);
    ids.forEach((id, i) => forgeMetadata(join(p.dir, 'backups', id), (m) => { m.created_at = new Date(Date.now() - (n - i) * 10 * 86_400_000).toISOString(); }));
    return { p, ids };
  }

  it('removes backups older than the cut-off but keeps the minimum number', async () => {
    const { p, ids } = await aged(6); // ages 60, 50, … 10 days
    const planned = await removeSelected(p.cfg(), p.ctx(), { olderThanMs: 25 * 86_400_000, keepMinimum: 2, plan: true });
    expect(planned.map((b) => b.id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(listBackups(p.cfg())).toHaveLength(6); // plan removed nothing
    await removeSelected(p.cfg(), p.ctx(), { olderThanMs: 25 * 86_400_000, keepMinimum: 2 });
    expect(listBackups(p.cfg()).map((b) => b.id)).toEqual([ids[5], ids[4]]);
    expect(readdirSync(join(p.dir, 'backups')).sort()).toEqual([ids[4], ids[5]].sort());
  });

  it('removes young backups beyond the maximum too, but never a protected one, and -OlderThan alone removes by age only', async () => {
    const p = makeProject();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await createBackup(p.cfg(), p.ctx(), {})).id); // all made now
    const planned = await removeSelected(p.cfg(), p.ctx(), { keepMinimum: 1, keepMaximum: 3, protect: [ids[1]], plan: true });
    expect(planned.map((b) => b.id)).toEqual([ids[2], ids[0]]); // newest first: 5 4 | 3 2 1 0 beyond 3, 1 protected
    expect(await removeSelected(p.cfg(), p.ctx(), { olderThanMs: 86_400_000, keepMinimum: 1, plan: true })).toEqual([]);
    await applyRetention(p.cfg(), p.ctx(), []); // BACKUP_KEEP_MAXIMUM 20 by default: six young backups stay
    expect(listBackups(p.cfg())).toHaveLength(6);
    await removeSelected(p.cfg(), p.ctx(), { keepMinimum: 1, keepMaximum: 3, protect: [ids[1]] });
    expect(listBackups(p.cfg()).map((b) => b.id)).toEqual([ids[5], ids[4], ids[3], ids[1]]);
  });

  it('never removes the newest valid backup, even when newer ones are damaged and keepMinimum is 0', async () => {
    const { p, ids } = await aged(4);
    appendFileSync(join(p.dir, 'backups', ids[3], 'configs', 'nginx.conf'), 'x'); // the newest is damaged
    appendFileSync(join(p.dir, 'backups', ids[2], 'configs', 'nginx.conf'), 'x'); // and the next one
    await removeSelected(p.cfg(), p.ctx(), { olderThanMs: 0, keepMinimum: 0 });
    expect(listBackups(p.cfg()).map((b) => b.id)).toEqual([ids[1]]);
    await expectRejects(removeSelected(p.cfg(), p.ctx(), { ids: [ids[1]] }), 'BackupIsNewestValid');
    expect(listBackups(p.cfg())).toHaveLength(1);
  });

  it('removes one backup by id, and defaults come from BACKUP_RETENTION_DAYS / BACKUP_KEEP_MINIMUM', async () => {
    const { p, ids } = await aged(7); // 70 … 10 days
    await removeSelected(p.cfg(), p.ctx(), { ids: [ids[2]] });
    expect(listBackups(p.cfg()).map((b) => b.id)).not.toContain(ids[2]);
    await removeSelected(p.cfg(), p.ctx(), {}); // 30 days, keep 5: of 6 left, the oldest (70 days) goes
    expect(listBackups(p.cfg()).map((b) => b.id)).toEqual([ids[6], ids[5], ids[4], ids[3], ids[1]]);
  });
});
