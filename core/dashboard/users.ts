/**
 * The dashboard's users: the project's .woosoo/users.json, written atomically (a temporary file renamed over it,
 * mode 0600 on Unix). A password is never stored: only its scrypt hash, with its random salt and the cost
 * parameters (N, r, p) it was made with, so that a later change of cost still verifies old hashes. Roles are ordered:
 * viewer (read) < operator (services, deploy) < admin (configuration, users, restore).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WoosooError } from '../kernel/errors';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a user of role `has` may do what needs role `needs`. */
export function roleAtLeast(has: Role, needs: Role): boolean {
  return ROLES.indexOf(has) >= ROLES.indexOf(needs);
}

export const USERS_FILE = join('.woosoo', 'users.json');
export const USER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 12;

const hashSchema = z.object({
  algorithm: z.literal('scrypt'), N: z.number().int().positive(), r: z.number().int().positive(),
  p: z.number().int().positive(), salt: z.string().min(1), hash: z.string().min(1),
});
const userSchema = z.object({
  name: z.string().regex(USER_NAME_RE), role: z.enum(ROLES), password: hashSchema, created: z.string(), updated: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), users: z.array(userSchema) });
export type StoredUser = z.output<typeof userSchema>;
export type PasswordHash = z.output<typeof hashSchema>;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** scrypt's cost: N = 2^15 with r = 8 needs 32 MB per hash (memory-hard), well under a second. */
export const COST: Readonly<ScryptCost> = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** A new hash of the password with a random salt; `cost` is for tests (cheaper hashes, same code). */
export async function hashPassword(password: string, cost: ScryptCost = COST): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return { algorithm: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await scrypt(password, Buffer.from(stored.salt, 'base64'), { N: stored.N, r: stored.r, p: stored.p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to verify against when the user does not exist, so that an unknown name costs the same time. */
let decoy: Promise<PasswordHash> | undefined;
export function decoyHash(): Promise<PasswordHash> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

export function usersPath(projectDir: string): string {
  return join(projectDir, USERS_FILE);
}

/** The users of the project (none when the file does not exist); a damaged file is an error naming it. */
export function readUsers(projectDir: string): StoredUser[] {
  const file = usersPath(projectDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new WoosooError('DashboardUsersUnreadable', `${file} cannot be read: ${(err as Error).message}`, { category: 'ReadError', target: file });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const r = fileSchema.safeParse(parsed);
  if (!r.success) {
    throw new WoosooError('DashboardUsersInvalid', `${file} is not a valid users file (${r.error.issues[0]?.path.join('.') || 'JSON'}: ${r.error.issues[0]?.message ?? 'not JSON'}).`, {
      category: 'InvalidData', target: file,
      fix: `Restore ${USERS_FILE} from a backup, or delete it and create the users again with New-WoosooDashboardUser.`,
    });
  }
  return r.data.users;
}

function writeUsers(projectDir: string, users: StoredUser[]): void {
  const file = usersPath(projectDir);
  mkdirSync(join(projectDir, '.woosoo'), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify({ version: 1, users }, null, 2)}\n`, { mode: 0o600 });
    if (process.platform !== 'win32') chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export interface NewUser {
  name: string;
  role: Role;
  password: string;
  /** Replace the password and role of an existing user instead of refusing. */
  force?: boolean;
}

/** The user as it may be shown: no hash, no salt. */
export interface PublicUser {
  name: string;
  role: Role;
  created: string;
  updated: string;
  replaced: boolean;
}

/** Checks a new user's name and password; throws a clear error without echoing the password. */
export function checkNewUser(u: Pick<NewUser, 'name' | 'password'>): void {
  if (!USER_NAME_RE.test(u.name)) {
    throw new WoosooError('DashboardUserNameInvalid', `"${u.name}" is not a valid user name.`, {
      category: 'InvalidArgument', fix: 'Use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    });
  }
  if (u.password.length < MIN_PASSWORD_LENGTH) {
    throw new WoosooError('DashboardPasswordTooShort', `The password for "${u.name}" is too short.`, {
      category: 'InvalidArgument', fix: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
  }
}

/** Adds a user (or, with force, replaces one); the file is rewritten atomically. */
export async function createUser(projectDir: string, u: NewUser, opts: { now?: Date; cost?: ScryptCost } = {}): Promise<PublicUser> {
  checkNewUser(u);
  const users = readUsers(projectDir);
  const existing = users.find((x) => x.name.toLowerCase() === u.name.toLowerCase());
  if (existing && !u.force) {
    throw new WoosooError('DashboardUserExists', `The dashboard user "${existing.name}" already exists.`, {
      category: 'ResourceExists', target: existing.name, fix: 'Choose another name, or add -Force to replace its password and role.',
    });
  }
  const stamp = (opts.now ?? new Date()).toISOString();
  const user: StoredUser = {
    name: existing?.name ?? u.name, role: u.role, password: await hashPassword(u.password, opts.cost), created: existing?.created ?? stamp, updated: stamp,
  };
  writeUsers(projectDir, [...users.filter((x) => x !== existing), user]);
  return { name: user.name, role: user.role, created: user.created, updated: user.updated, replaced: existing !== undefined };
}

/** The user with this name and password, or undefined; an unknown name costs as much as a wrong password. */
export async function authenticate(projectDir: string, name: string, password: string): Promise<StoredUser | undefined> {
  const user = readUsers(projectDir).find((x) => x.name.toLowerCase() === name.toLowerCase());
  const ok = await verifyPassword(password, user?.password ?? (await decoyHash()));
  return ok && user ? user : undefined;
}

function publicUser(u: StoredUser): PublicUser {
  return { name: u.name, role: u.role, created: u.created, updated: u.updated, replaced: false };
}

/** The users as they may be shown (no hash), in the file's order. */
export function listUsers(projectDir: string): PublicUser[] {
  return readUsers(projectDir).map(publicUser);
}

/** The user of this name (ignoring case), or a clear "no such user" error. */
export function findUser(projectDir: string, name: string): PublicUser {
  const user = readUsers(projectDir).find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!user) {
    throw new WoosooError('DashboardUserNotFound', `There is no dashboard user "${name}" in ${usersPath(projectDir)}.`, {
      category: 'ObjectNotFound', target: name, fix: 'Get-WoosooDashboardUser lists the users.',
    });
  }
  return publicUser(user);
}

/** Removes a user (the file rewritten atomically); returns it as it was. */
export function removeUser(projectDir: string, name: string): PublicUser {
  const gone = findUser(projectDir, name);
  writeUsers(projectDir, readUsers(projectDir).filter((x) => x.name !== gone.name));
  return gone;
}

let seen: { file: string; stamp: string; users: StoredUser[] } | undefined;

/**
 * Whether the user still exists with this role, for a running dashboard's sessions: the file is read again only when
 * it changed (its size, time or inode), so a user removed or given another role from PowerShell loses their session
 * at the next request. A missing or damaged file holds nobody.
 */
export function stillHasRole(projectDir: string, name: string, role: Role): boolean {
  const file = usersPath(projectDir);
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return false;
  }
  if (seen?.file !== file || seen.stamp !== stamp) {
    let users: StoredUser[];
    try {
      users = readUsers(projectDir);
    } catch {
      users = [];
    }
    seen = { file, stamp, users };
  }
  return seen.users.some((u) => u.name.toLowerCase() === name.toLowerCase() && u.role === role);
}
