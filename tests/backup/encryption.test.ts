/**
 * Encrypted backups, engine side: the part format (streamed round trip across several chunks, wrong key, one byte
 * changed, truncated, passphrase), the key file, and whole backups — secret parts encrypted, checksums verified
 * without the key, restore round trip, and every refusal leaving the project untouched.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, verifyBackup, verifyBackupAsync } from '../../core/backup';
import { DecryptStream, keyIdOf, passphraseKey, readHeader } from '../../core/backup/crypto';
import { defaultKeyFile, fileKeyring, parseKeyFile, passphraseKeyring, readKeyFile, writeKeyFile } from '../../core/backup/keyfile';
import { copyEncrypted, decryptTo } from '../../core/backup/parts';
import { forgeMetadata, makeProject, sha } from './fixture';

const MiB = 1024 * 1024;
const quiet = { env: process.env as Record<string, string>, signal: new AbortController().signal, log: () => {} };

async function errorOf(p: Promise<unknown>): Promise<{ errorId: string; message: string }> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, 'expected a refusal').not.toBeNull();
  return err as { errorId: string; message: string };
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'backups' || e.name === '.woosoo') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out[r] = `${sha(join(d, e.name))} ${(statSync(join(d, e.name)).mode & 0o777).toString(8)}`;
    }
  };
  walk(dir, '');
  return out;
}

describe('encrypted part format', () => {
  const p = makeProject({ files: 0 });
  const key = randomBytes(32);
  const ring = fileKeyring(key);
  const master = { key, keyId: keyIdOf(key) };
  // 3.5 chunks of 1 MiB: several full chunks and a short final one.
  const plain = join(p.dir, 'big.bin');
  writeFileSync(plain, randomBytes(3.5 * MiB));
  const enc = join(p.dir, 'big.enc');

  it('round-trips a multi-chunk file, an empty one and an exact multiple of the chunk size; the header names the key id', async () => {
    const c = await copyEncrypted(plain, enc, master);
    expect(c.bytes).toBe(statSync(enc).size);
    expect(c.bytes).toBe(3.5 * MiB + 52 + 4 * 16);
    const h = readHeader(readFileSync(enc).subarray(0, 80));
    expect('header' in h && h.header.keyId).toBe(master.keyId);
    const out = join(p.dir, 'big.out');
    const d = await decryptTo(enc, out, ring, 'big.enc');
    expect(sha(out)).toBe(sha(plain));
    expect(d.bytes).toBe(3.5 * MiB);
    for (const size of [0, 2 * MiB]) {
      writeFileSync(join(p.dir, `s${size}`), randomBytes(size));
      await copyEncrypted(join(p.dir, `s${size}`), join(p.dir, `s${size}.enc`), master);
      await decryptTo(join(p.dir, `s${size}.enc`), join(p.dir, `s${size}.out`), ring, 'x');
      expect(sha(join(p.dir, `s${size}.out`))).toBe(sha(join(p.dir, `s${size}`)));
    }
  });

  it('refuses a wrong key, one changed byte, a truncated file and a dropped final chunk, leaving no output', async () => {
    if (!existsSync(enc)) await copyEncrypted(plain, enc, master);
    const out = join(p.dir, 'refused.out');
    expect((await errorOf(decryptTo(enc, out, fileKeyring(randomBytes(32)), 'big.enc'))).errorId).toBe('BackupKeyWrong');
    expect(existsSync(out)).toBe(false);

    const bytes = readFileSync(enc);
    const cases: [string, Buffer][] = [
      ['one byte', Buffer.concat([bytes.subarray(0, 2 * MiB), Buffer.from([bytes[2 * MiB] ^ 1]), bytes.subarray(2 * MiB + 1)])],
      ['truncated inside a chunk', bytes.subarray(0, bytes.length - 1000)],
      ['final chunk dropped', bytes.subarray(0, 52 + 3 * (MiB + 16))],
      ['header only', bytes.subarray(0, 52)],
      ['inside the header', bytes.subarray(0, 30)],
      ['appended', Buffer.concat([bytes, bytes.subarray(52, 52 + 100)])],
    ];
    for (const [what, data] of cases) {
      const bad = join(p.dir, 'bad.enc');
      writeFileSync(bad, data);
      const e = await errorOf(decryptTo(bad, out, ring, 'bad.enc'));
      expect(e.errorId, what).toBe('BackupPartTampered');
      expect(existsSync(out), what).toBe(false);
    }
  });

  it('is byte for byte the documented format (whole-chunk AES-GCM by hand gives the same part); read in odd pieces it decrypts', async () => {
    // The streaming code encrypts and decrypts in 64 KiB slices: the part must stay what whole chunks make (backups
    // made before, and after, read each other). The reference: per-part key HKDF(master, salt), nonce = chunk number
    // | final flag, the header as AAD, each chunk's tag after it.
    if (!existsSync(enc)) await copyEncrypted(plain, enc, master);
    const bytes = readFileSync(enc);
    const h = readHeader(bytes);
    if (!('header' in h)) throw new Error('no header');
    const partKey = Buffer.from(hkdfSync('sha256', key, h.header.salt, Buffer.from('woosoo backup part v1'), 32));
    const source = readFileSync(plain);
    const chunks: Buffer[] = [h.header.bytes];
    for (let i = 0, off = 0; off < source.length || i === 0; i++, off += MiB) {
      const final = off + MiB >= source.length;
      const nonce = Buffer.alloc(12);
      nonce.writeBigUInt64BE(BigInt(i), 0);
      nonce[11] = final ? 1 : 0;
      const c = createCipheriv('aes-256-gcm', partKey, nonce).setAAD(h.header.bytes);
      chunks.push(c.update(source.subarray(off, off + MiB)), c.final(), c.getAuthTag());
    }
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    // Pieces that split the header, chunks and tags anywhere (7 KiB + 3 bytes each).
    const pieces: Buffer[] = [];
    for (let off = 0; off < bytes.length; off += 7171) pieces.push(bytes.subarray(off, off + 7171));
    const out: Buffer[] = [];
    await pipeline(Readable.from(pieces), new DecryptStream(async () => key, 'big.enc'), new Writable({ write: (c: Buffer, _e, cb) => { out.push(c); cb(); } }));
    expect(Buffer.concat(out).equals(source)).toBe(true);
  });

  it('a passphrase key opens its parts (scrypt parameters in the header); another passphrase is BackupKeyWrong', async () => {
    const m = await passphraseKey('correct horse battery staple');
    const pe = join(p.dir, 'pass.enc');
    writeFileSync(join(p.dir, 'small'), 'APP_KEY=secret-value-1\n');
    await copyEncrypted(join(p.dir, 'small'), pe, m);
    expect(readFileSync(pe).includes('secret-value-1')).toBe(false);
    const h = readHeader(readFileSync(pe));
    expect('header' in h && h.header.scrypt).toEqual(m.scrypt);
    await decryptTo(pe, join(p.dir, 'pass.out'), passphraseKeyring('correct horse battery staple'), 'x');
    expect(readFileSync(join(p.dir, 'pass.out'), 'utf8')).toBe('APP_KEY=secret-value-1\n');
    expect((await errorOf(decryptTo(pe, join(p.dir, 'pass2.out'), passphraseKeyring('wrong horse battery staple'), 'x'))).errorId).toBe('BackupKeyWrong');
    expect((await errorOf(decryptTo(pe, join(p.dir, 'pass3.out'), ring, 'x'))).errorId).toBe('BackupKeyWrong');
  });
});

describe('key file', () => {
  it('is written 0600 with its key id, read back, refused over an existing one, and a bad one is BackupKeyFileInvalid', async () => {
    const p = makeProject({ files: 0 });
    const file = defaultKeyFile({ projectDir: p.dir });
    const k = await writeKeyFile(file, false, quiet);
    expect(k.keyId).toMatch(/^[0-9a-f]{16}$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const read = readKeyFile(file);
    expect(read.keyId).toBe(k.keyId);
    expect(readFileSync(file, 'utf8')).not.toContain(k.keyId.repeat(2));
    expect((await errorOf(writeKeyFile(file, false, quiet))).errorId).toBe('BackupKeyExists');
    expect(readKeyFile(file).keyId).toBe(k.keyId);
    expect(() => parseKeyFile('woosoo-backup-key 1 raw c2hvcnQ=\n', 'f')).toThrow(/32 bytes/);
    expect(parseKeyFile(`woosoo-backup-key 1 dpapi-machine ${k.keyId} AQID\n`, 'f')).toEqual({ scheme: 'dpapi-machine', keyId: k.keyId });
  });
});

describe('encrypted backups', () => {
  it('encrypt the secret parts with the project key; verify without the key; authenticate with it; restore round trip', async () => {
    const p = makeProject();
    const { keyId } = await writeKeyFile(defaultKeyFile({ projectDir: p.dir }), false, quiet);
    const before = tree(p.dir);
    const b = await createBackup(p.cfg(), p.ctx(), { includeFiles: true });
    expect(b.keyId).toBe(keyId);
    expect(b.encryptedParts).toEqual(['apps/tablet-ordering-pwa/.env', 'apps/woosoo-nexus/.env', 'configs/deployment.config.env']);
    const meta = readFileSync(join(b.path, 'metadata.json'), 'utf8');
    const keyLine = readFileSync(defaultKeyFile({ projectDir: p.dir }), 'utf8').split('\n').find((l) => l.startsWith('woosoo'))!;
    expect(meta).not.toContain(keyLine.split(' ')[3]);
    const stored = readFileSync(join(b.path, 'apps', 'woosoo-nexus', '.env'));
    expect(stored.subarray(0, 8).toString('latin1')).toBe('WSBKENC\0');
    expect(stored.includes('c2VjcmV0LWFwcC1rZXktdGhhdC1tdXN0LXN1cnZpdmU')).toBe(false);
    expect(readFileSync(join(b.path, 'configs', 'nginx.conf'), 'utf8')).toContain('listen 8088'); // not a secret: plain

    // No key at all: the checksums (of the ciphertext) still verify.
    renameSync(defaultKeyFile({ projectDir: p.dir }), join(p.dir, 'kept.key'));
    expect(verifyBackup(p.cfg(), b.id)).toMatchObject({ valid: true, problems: [] });
    expect(await verifyBackupAsync(p.cfg(), p.ctx(), b.id)).toMatchObject({ valid: true, encrypted: true, authenticated: false });
    expect(await verifyBackupAsync(p.cfg(), p.ctx(), b.id, { keyFile: join(p.dir, 'kept.key') })).toMatchObject({ valid: true, authenticated: true });
    // Another key: an error when named; left unauthenticated when it is only the project's own (a newer) key.
    const other = randomBytes(32).toString('base64');
    expect((await errorOf(verifyBackupAsync(p.cfg(), p.ctx(), b.id, { key: other }))).errorId).toBe('BackupKeyWrong');
    expect(await verifyBackupAsync(p.cfg(), p.ctx(), b.id, { key: other, keyFromProject: true })).toMatchObject({ valid: true, authenticated: false });

    writeFileSync(join(p.dir, 'apps', 'woosoo-nexus', '.env'), 'APP_KEY=\n');
    writeFileSync(join(p.dir, 'deployment.config.env'), readFileSync(join(p.dir, 'deployment.config.env'), 'utf8').replace('DB_PORT=3306', 'DB_PORT=3307'));
    const changed = tree(p.dir);
    const missing = await errorOf(restoreBackup(p.cfg(), p.ctx(), b.id));
    expect(missing.errorId).toBe('BackupKeyMissing');
    expect(missing.message).toContain(keyId);
    expect(tree(p.dir)).toEqual(changed);
    const wrong = join(p.dir, '.woosoo', 'wrong.key');
    await writeKeyFile(wrong, false, quiet);
    expect((await errorOf(restoreBackup(p.cfg(), p.ctx(), b.id, { keys: { keyFile: wrong } }))).errorId).toBe('BackupKeyWrong');
    expect((await errorOf(restoreBackup(p.cfg(), p.ctx(), b.id, { keys: { passphrase: 'a passphrase of some length' } }))).errorId).toBe('BackupKeyWrong');
    expect(tree(p.dir)).toEqual(changed);

    const plan = await restoreBackup(p.cfg(), p.ctx(), b.id, { whatIf: true, keys: { keyFile: join(p.dir, 'kept.key') } });
    expect(plan.actions.filter((a) => a.action === 'Replace').map((a) => a.source)).toEqual(['apps/woosoo-nexus/.env', 'configs/deployment.config.env']);
    const done = await restoreBackup(p.cfg(), p.ctx(), b.id, { keys: { keyFile: join(p.dir, 'kept.key') } });
    const after = tree(p.dir);
    delete after['kept.key'];
    expect(after).toEqual(before);
    // The safety backup holds the replaced .env and config files, encrypted with the same key; no staging folder is left.
    expect(readdirSync(join(p.dir, 'backups')).sort()).toEqual([b.id, (done as { safetyBackupId: string }).safetyBackupId].sort());
    const safety = readFileSync(join(p.dir, 'backups', (done as { safetyBackupId: string }).safetyBackupId, 'metadata.json'), 'utf8');
    expect(JSON.parse(safety).encryption).toMatchObject({ key_id: keyId, parts: expect.arrayContaining(['apps/woosoo-nexus/.env', 'configs/deployment.config.env']) });
  });

  it('a changed ciphertext with a forged checksum is refused by its tag: by Test with the key, and by restore before anything is written', async () => {
    const p = makeProject({ files: 1 });
    await writeKeyFile(defaultKeyFile({ projectDir: p.dir }), false, quiet);
    const b = await createBackup(p.cfg(), p.ctx(), { encryptAll: true, includeFiles: true });
    expect(b.encryptedParts).toContain('configs/nginx.conf');
    expect(b.encryptedParts.some((x) => x.startsWith('files/'))).toBe(true);
    const part = join(b.path, 'configs', 'deployment.config.env');
    const bytes = readFileSync(part);
    bytes[bytes.length - 20] ^= 0x40;
    writeFileSync(part, bytes);
    forgeMetadata(b.path, () => {});
    const sums = readFileSync(join(b.path, 'checksums.sha256'), 'utf8').replace(/^[0-9a-f]{64}(  configs\/deployment\.config\.env)$/m, `${sha(part)}$1`);
    writeFileSync(join(b.path, 'checksums.sha256'), sums);
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(true); // the checksums alone cannot see it
    const v = await verifyBackupAsync(p.cfg(), p.ctx(), b.id);
    expect(v).toMatchObject({ valid: false, authenticated: false });
    expect(v.problems.join('\n')).toContain('configs/deployment.config.env cannot be decrypted');

    rmSync(join(p.dir, 'configs', 'nginx.conf'));
    writeFileSync(join(p.dir, 'apps', 'woosoo-nexus', '.env'), 'changed\n');
    const changed = tree(p.dir);
    expect((await errorOf(restoreBackup(p.cfg(), p.ctx(), b.id))).errorId).toBe('BackupPartTampered');
    expect(tree(p.dir)).toEqual(changed);
    expect(readdirSync(join(p.dir, 'backups'))).toEqual([b.id]);

    // Truncated: the checksum catches it without a key, the restore refuses it.
    truncateSync(part, 40);
    expect(verifyBackup(p.cfg(), b.id).valid).toBe(false);
  });

  it('-Encrypt without any key is BackupKeyMissing and leaves no backup; a passphrase backup stores its scrypt parameters', async () => {
    const p = makeProject({ files: 0 });
    expect((await errorOf(createBackup(p.cfg(), p.ctx(), { encryptAll: true }))).errorId).toBe('BackupKeyMissing');
    expect(existsSync(join(p.dir, 'backups')) ? readdirSync(join(p.dir, 'backups')) : []).toEqual([]);
    expect((await errorOf(createBackup(p.cfg(), p.ctx(), { keys: { passphrase: 'short' } }))).errorId).toBe('BackupPassphraseTooShort');
    const b = await createBackup(p.cfg(), p.ctx(), { keys: { passphrase: 'a long enough passphrase' } });
    const enc = JSON.parse(readFileSync(join(b.path, 'metadata.json'), 'utf8')).encryption;
    expect(enc).toMatchObject({ algorithm: 'AES-256-GCM', key_source: 'Passphrase', scrypt: { logN: 15, r: 8, p: 1 } });
    expect(JSON.stringify(enc)).not.toContain('a long enough passphrase');
    mkdirSync(join(p.dir, 'x'));
    expect(await verifyBackupAsync(p.cfg(), p.ctx(), b.id, { passphrase: 'a long enough passphrase' })).toMatchObject({ valid: true, authenticated: true });
  });
});
