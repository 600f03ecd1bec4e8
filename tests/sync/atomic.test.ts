// Atomic replacement of a target file: symlinks stay links, modes are exact whatever the umask, and the Windows
// ACL: its arguments, and the retry of a failed icacls run (the real icacls runs in the Windows tier, under Wine).
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { icaclsArgs, runIcacls } from '../../core/process/icacls';
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

describe('runIcacls (a FAKE icacls on PATH: a shell script standing in for the Windows program)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-icacls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** An icacls that logs its arguments, and exits `codes[n]` on its n-th run (the last code after that), saying `words`. */
  const fakeIcacls = (codes: number[], words = '') => {
    writeFileSync(join(dir, 'icacls'), `#!/bin/sh
n=$(cat "${dir}/runs" 2>/dev/null || echo 0)
echo $((n + 1)) > "${dir}/runs"
echo "$@" >> "${dir}/args"
${words ? `echo "${words}" >&2` : ''}
set -- ${codes.join(' ')}
shift $(( n < $# - 1 ? n : $# - 1 ))
exit $1
`);
    chmodSync(join(dir, 'icacls'), 0o755);
    return { env: { ...(process.env as Record<string, string>), PATH: `${dir}:${process.env.PATH}` } };
  };
  const runs = () => Number(readFileSync(join(dir, 'runs'), 'utf8'));

  it('a run that fails without a word is tried once more, and the second run counts', async () => {
    const c = fakeIcacls([1, 0]);
    expect(await runIcacls(icaclsArgs('C:\\p\\.env', {}), c, 10_000)).toBe('');
    expect(runs()).toBe(2);
    expect(readFileSync(join(dir, 'args'), 'utf8').split('\n')[1]).toBe('C:\\p\\.env /inheritance:r /grant:r *S-1-5-32-544:F /grant:r *S-1-5-18:F');
  });

  it('a success is run once; two failures give the exit code and what icacls said', async () => {
    expect(await runIcacls(['x'], fakeIcacls([0]), 10_000)).toBe('');
    expect(runs()).toBe(1);
    rmSync(join(dir, 'runs'));
    expect(await runIcacls(['x'], fakeIcacls([5], 'x: Access is denied.'), 10_000)).toBe('icacls exit 5 (twice): x: Access is denied.');
    expect(runs()).toBe(2);
    rmSync(join(dir, 'runs'));
    expect(await runIcacls(['x'], fakeIcacls([1]), 10_000)).toBe('icacls exit 1 (twice), and it said nothing');
  });
});
