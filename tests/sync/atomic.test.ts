// Atomic replacement of a target file: symlinks stay links, modes are exact whatever the umask, and the Windows
// ACL arguments (icacls itself cannot run here; the arguments are checked instead).
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { icaclsArgs } from '../../core/process/icacls';
import { writeFileAtomic } from '../../core/sync/atomic';

const ctx = { env: process.env as Record<string, string>, signal: new AbortController().signal };

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a symlink: the link stays a link, its target gets the content', async () => {
    const real = join(dir, 'real.env');
    const link = join(dir, '.env');
    writeFileSync(real, 'OLD=1\n');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'NEW=1\n', { secret: false }, ctx);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('NEW=1\n');
  });

  it.skipIf(process.platform === 'win32')('sets exact modes whatever the umask: 0600 for secrets, the old mode otherwise', async () => {
    const old = process.umask(0o077);
    try {
      const plain = join(dir, 'nginx.conf');
      writeFileSync(plain, 'old');
      chmodSync(plain, 0o644);
      await writeFileAtomic(plain, 'new', { secret: false }, ctx);
      expect(statSync(plain).mode & 0o777).toBe(0o644);
      const secret = join(dir, '.env');
      await writeFileAtomic(secret, 'DB_PASSWORD=x', { secret: true }, ctx);
      expect(statSync(secret).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});

describe('icaclsArgs', () => {
  it('removes inheritance and grants Administrators, SYSTEM and the current user only', () => {
    expect(icaclsArgs('C:\\woosoo\\apps\\woosoo-nexus\\.env', { USERNAME: 'admin', USERDOMAIN: 'SHOP' })).toEqual([
      'C:\\woosoo\\apps\\woosoo-nexus\\.env', '/inheritance:r', '/grant:r', '*S-1-5-32-544:F', '/grant:r', '*S-1-5-18:F', '/grant:r', 'SHOP\\admin:F',
    ]);
    expect(icaclsArgs('x', {})).toEqual(['x', '/inheritance:r', '/grant:r', '*S-1-5-32-544:F', '/grant:r', '*S-1-5-18:F']);
  });
});
