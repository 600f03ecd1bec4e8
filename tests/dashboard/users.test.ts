/** core/dashboard/users.ts: scrypt hashes with their own salt and cost, the atomic 0600 file, roles, bad input. */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticate, createUser, hashPassword, readUsers, roleAtLeast, usersPath, verifyPassword } from '../../core/dashboard/users';
import { WoosooError } from '../../core/kernel/errors';
import { makeProject, type Project } from '../sync/fixtures';

const CHEAP = { N: 2 ** 12, r: 8, p: 1 };
let project: Project | undefined;
afterEach(() => project?.cleanup());

const errorId = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (err) {
    return err instanceof WoosooError ? err.errorId : String(err);
  }
  return 'no error';
};

describe('dashboard users', () => {
  it('hashes with a random salt and the default memory-hard cost; verifies only the right password', async () => {
    const a = await hashPassword('Same-password-1');
    const b = await hashPassword('Same-password-1');
    expect(a).toMatchObject({ algorithm: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPassword('Same-password-1', a)).toBe(true);
    expect(await verifyPassword('Same-password-2', a)).toBe(false);
    expect(await verifyPassword('Same-password-1', { ...a, N: 1024 })).toBe(false); // the stored cost is the one used
  });

  it('writes .woosoo/users.json atomically, 0600, with the hash only; authenticates by name, any case', async () => {
    project = makeProject();
    const u = await createUser(project.dir, { name: 'Alice', role: 'operator', password: 'Alice-password-1' }, { cost: CHEAP });
    expect(u).toMatchObject({ name: 'Alice', role: 'operator', replaced: false });
    const text = readFileSync(usersPath(project.dir), 'utf8');
    expect(text).not.toContain('Alice-password-1');
    expect(readUsers(project.dir)[0].password).toMatchObject({ algorithm: 'scrypt', N: 4096 });
    if (process.platform !== 'win32') expect(statSync(usersPath(project.dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(project.dir, '.woosoo')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await authenticate(project.dir, 'alice', 'Alice-password-1'))?.name).toBe('Alice');
    expect(await authenticate(project.dir, 'Alice', 'alice-password-1')).toBeUndefined();
    expect(await authenticate(project.dir, 'nobody', 'Alice-password-1')).toBeUndefined();
  });

  it('refuses a duplicate without force, a bad name, a short password; a damaged file names itself', async () => {
    project = makeProject();
    const dir = project.dir;
    await createUser(dir, { name: 'bob', role: 'viewer', password: 'Bob-password-01' }, { cost: CHEAP });
    expect(await errorId(() => createUser(dir, { name: 'BOB', role: 'admin', password: 'Bob-password-02' }, { cost: CHEAP }))).toBe('DashboardUserExists');
    expect(await createUser(dir, { name: 'BOB', role: 'admin', password: 'Bob-password-02', force: true }, { cost: CHEAP })).toMatchObject({ name: 'bob', role: 'admin', replaced: true });
    expect(readUsers(dir)).toHaveLength(1);
    expect(await errorId(() => createUser(dir, { name: '../evil', role: 'admin', password: 'Long-enough-pass' }))).toBe('DashboardUserNameInvalid');
    const short = await errorId(() => createUser(dir, { name: 'carol', role: 'admin', password: 'short-1' }));
    expect(short).toBe('DashboardPasswordTooShort');
    writeFileSync(usersPath(dir), '{"version":1,"users":[{"name":"x"}]}');
    const err = await createUser(dir, { name: 'dave', role: 'viewer', password: 'Dave-password-01' }).catch((e: WoosooError) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect((err as WoosooError).message).toContain(usersPath(dir));
    expect(readFileSync(usersPath(dir), 'utf8')).not.toContain('dave'); // nothing written
  });

  it('orders the roles viewer < operator < admin', () => {
    expect([roleAtLeast('viewer', 'operator'), roleAtLeast('operator', 'operator'), roleAtLeast('admin', 'operator'), roleAtLeast('operator', 'admin')])
      .toEqual([false, true, true, false]);
  });
});
