/**
 * Backups with a real MariaDB (tests/harness/mariadb.ts: private server, temp datadir, loopback port):
 * dump, drop a table, restore, check the rows; a wrong password and a truncated dump fail clearly.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, listBackups, restoreBackup, verifyBackup, type RestoreResult } from '../../core/backup';
import { hasTool, skipUnless } from '../harness/tools';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { writeKeyFile } from '../../core/backup/keyfile';
import { makeProject, type Project } from './fixture';

const haveDb = hasTool('mariadbd', 'mysqld') && hasTool('mariadb-dump', 'mysqldump');

describe.skipIf(skipUnless(haveDb, 'MariaDB is not installed (bash scripts/setup.sh)'))('database backups (real MariaDB)', () => {
  let db: MariaDb;
  let p: Project;

  beforeAll(async () => {
    db = await startMariaDb({ database: 'woosoo', user: 'woosoo', password: 'db-Passw0rd-for-tests' });
    p = makeProject({ db: { port: db.port, database: db.database, user: db.user, password: db.password } });
    await db.query(`CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(100) CHARACTER SET utf8mb4, note BLOB);
      INSERT INTO orders (item, note) VALUES ('bulgogi', X'00FF10'), ('kimchi jjigae ☕', NULL), ('tteokbokki', 'a\\tb');
      CREATE TABLE menu (id INT PRIMARY KEY, name VARCHAR(50)); INSERT INTO menu VALUES (1, 'rice'), (2, 'soup');`);
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('dumps into database/<db>_<id>.sql.gz; dropping a table and restoring brings every row back', async () => {
    const b = await createBackup(p.cfg(), p.ctx(), { includeDatabase: true, description: 'with db' });
    expect(b.includes.database).toBe(true);
    const dir = join(p.dir, 'backups', b.id);
    const dumps = readdirSync(join(dir, 'database'));
    expect(dumps).toEqual([`woosoo_${b.id}.sql.gz`]);
    const sql = gunzipSync(readFileSync(join(dir, 'database', dumps[0]))).toString('utf8');
    expect(sql).toContain('CREATE TABLE `orders`');
    expect(sql).toContain('-- Dump completed');
    expect(sql).not.toContain(db.password);
    expect(statSync(join(dir, 'database', dumps[0])).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).database).toMatchObject({ name: 'woosoo', file: `database/${dumps[0]}` });
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(true);

    const rowsBefore = await db.query('SELECT id, item, HEX(note) FROM orders ORDER BY id');
    await db.query(`DROP TABLE orders; UPDATE menu SET name = 'changed' WHERE id = 1; CREATE TABLE later (x INT); INSERT INTO later VALUES (7);
      CREATE TABLE \`odd\`\`name\` (menu_id INT, FOREIGN KEY (menu_id) REFERENCES menu (id)); INSERT INTO \`odd\`\`name\` VALUES (1);
      CREATE VIEW later_view AS SELECT x FROM later;`);

    const plan = await restoreBackup(p.cfg(), p.ctx(), b.id, { whatIf: true });
    expect(plan.actions.filter((a) => a.kind === 'Database')).toEqual([{ kind: 'Database', target: 'woosoo', source: `database/${dumps[0]}`, action: 'Import', sizeBytes: expect.any(Number) }]);
    expect(await db.query("SHOW TABLES LIKE 'orders'")).toBe(''); // -WhatIf imported nothing

    const r = (await restoreBackup(p.cfg(), p.ctx(), b.id)) as RestoreResult;
    expect(await db.query('SELECT id, item, HEX(note) FROM orders ORDER BY id')).toBe(rowsBefore);
    expect(rowsBefore).toContain('kimchi jjigae ☕');
    expect(await db.query('SELECT name FROM menu ORDER BY id')).toBe('rice\nsoup');
    // Tables and views made after the backup are dropped: the database is as it was (a table left behind failed the
    // next migration with "table already exists"), the foreign key to a restored table notwithstanding.
    expect(await db.query('SHOW FULL TABLES')).toBe('menu\tBASE TABLE\norders\tBASE TABLE');

    // The safety backup holds the database as it was before the restore: restoring it brings the change back.
    const safety = listBackups(p.cfg()).find((x) => x.id === r.safetyBackupId)!;
    expect(safety.includes.database).toBe(true);
    await restoreBackup(p.cfg(), p.ctx(), safety.id);
    expect(await db.query('SELECT name FROM menu ORDER BY id')).toBe('changed\nsoup');
    expect(await db.query('SELECT x FROM later_view')).toBe('7');
    expect(await db.query('SELECT menu_id FROM `odd``name`')).toBe('1');
    expect(await db.query("SHOW TABLES LIKE 'orders'")).toBe('');
  });

  it('with a backup key the dump is encrypted (no SQL visible), verifies without the key, and restores only with it', async () => {
    const q = makeProject({ files: 0, db: { port: db.port, database: db.database, user: db.user, password: db.password } });
    const keyFile = join(q.dir, 'backup.key');
    await writeKeyFile(keyFile, false, { env: process.env as Record<string, string>, signal: new AbortController().signal, log: () => {} });
    await db.query("CREATE TABLE secret_orders (id INT PRIMARY KEY, card VARCHAR(40)); INSERT INTO secret_orders VALUES (1, 'card-4111-visible-if-plain');");
    const b = await createBackup(q.cfg(), q.ctx(), { includeDatabase: true, keys: { keyFile } });
    const rel = `database/woosoo_${b.id}.sql.gz`;
    expect(b.encryptedParts).toContain(rel);
    const dump = readFileSync(join(q.dir, 'backups', b.id, ...rel.split('/')));
    expect(dump.subarray(0, 8).toString('latin1')).toBe('WSBKENC\0');
    expect(() => gunzipSync(dump)).toThrow();
    expect(verifyBackup(q.cfg(), b.id).valid).toBe(true);

    await db.query("UPDATE secret_orders SET card = 'changed' WHERE id = 1");
    await expect(restoreBackup(q.cfg(), q.ctx(), b.id)).rejects.toMatchObject({ errorId: 'BackupKeyMissing' });
    expect(await db.query('SELECT card FROM secret_orders')).toBe('changed');
    await restoreBackup(q.cfg(), q.ctx(), b.id, { keys: { keyFile } });
    expect(await db.query('SELECT card FROM secret_orders')).toBe('card-4111-visible-if-plain');
    expect(readdirSync(join(q.dir, 'backups')).filter((n) => n.startsWith('.'))).toEqual([]); // staging removed
    await db.query('DROP TABLE secret_orders');
  });

  it('-SkipDatabase restores the files only', async () => {
    const b = await createBackup(p.cfg(), p.ctx(), { includeDatabase: true });
    await db.query("UPDATE menu SET name = 'skip-test' WHERE id = 2");
    const plan = await restoreBackup(p.cfg(), p.ctx(), b.id, { whatIf: true, skipDatabase: true });
    expect(plan.actions.some((a) => a.kind === 'Database')).toBe(false);
    await restoreBackup(p.cfg(), p.ctx(), b.id, { skipDatabase: true });
    expect(await db.query('SELECT name FROM menu WHERE id = 2')).toBe('skip-test');
  });

  it('a truncated dump fails verification and the restore refuses before touching the database', async () => {
    const b = await createBackup(p.cfg(), p.ctx(), { includeDatabase: true });
    const dump = join(p.dir, 'backups', b.id, 'database', `woosoo_${b.id}.sql.gz`);
    truncateSync(dump, Math.floor(statSync(dump).size / 2));
    await db.query("UPDATE menu SET name = 'after-truncate' WHERE id = 2");
    const v = verifyBackup(p.cfg(), b.id);
    expect(v.valid).toBe(false);
    expect(v.problems).toContain(`database/woosoo_${b.id}.sql.gz does not match its checksum: it was changed or damaged after the backup was made.`);
    const count = listBackups(p.cfg()).length;
    await expect(restoreBackup(p.cfg(), p.ctx(), b.id)).rejects.toMatchObject({ errorId: 'BackupInvalid' });
    expect(await db.query('SELECT name FROM menu WHERE id = 2')).toBe('after-truncate');
    expect(listBackups(p.cfg())).toHaveLength(count);
  });

  it('a wrong password fails with DatabaseDumpFailed, leaves no backup behind and never shows the password', async () => {
    const q = makeProject({ db: { port: db.port, database: db.database, user: db.user, password: 'wrong-password-123' } });
    const err = await createBackup(q.cfg(), q.ctx(), { includeDatabase: true }).then(() => null, (e: { errorId: string; message: string }) => e);
    expect(err?.errorId).toBe('DatabaseDumpFailed');
    expect(err?.message).toMatch(/Access denied/);
    expect(err?.message).not.toContain('--password');
    expect(readdirSync(join(q.dir, 'backups'))).toEqual([]);
  });

  it('a dump that does not gunzip (forged with a matching checksum) fails the import with a clear error', async () => {
    const b = await createBackup(p.cfg(), p.ctx(), { includeDatabase: true });
    const dir = join(p.dir, 'backups', b.id);
    const rel = `database/woosoo_${b.id}.sql.gz`;
    const file = join(dir, ...rel.split('/'));
    const bytes = readFileSync(file);
    bytes.fill(0x55, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64); // damage the deflate stream
    writeFileSync(file, bytes);
    const sums = readFileSync(join(dir, 'checksums.sha256'), 'utf8').split('\n')
      .map((l) => (l.endsWith(`  ${rel}`) ? `${execFileSync('sha256sum', [join(dir, ...rel.split('/'))], { encoding: 'utf8' }).slice(0, 64)}  ${rel}` : l)).join('\n');
    writeFileSync(join(dir, 'checksums.sha256'), sums);
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(true);
    const err = await restoreBackup(p.cfg(), p.ctx(), b.id).then(() => null, (e: { errorId: string; message: string }) => e);
    expect(['DatabaseDumpDamaged', 'DatabaseImportFailed']).toContain(err?.errorId);
    expect(err?.message).toMatch(/Restore-WoosooBackup -Id \d{4}-/); // says how to undo
  });
});
