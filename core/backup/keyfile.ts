/**
 * Backup keys: the key file New-WoosooBackupKey writes, and where a backup's key comes from (a key file, a key the
 * PowerShell layer unprotected with DPAPI, or a passphrase). The key file is one line of text:
 *
 *   woosoo-backup-key 1 raw <base64 of 32 bytes>                      (Unix: the file is 0600)
 *   woosoo-backup-key 1 dpapi-machine|dpapi-user <key id> <base64>    (Windows: opened by the cmdlets, not the engine)
 *
 * Lines starting with # are comments. Nothing here logs or returns a key or a passphrase: only key ids.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { KEY_BYTES, keyIdOf, passphraseKey, deriveScrypt, type MasterKey, type PartHeader, type ScryptParams } from './crypto';
import { restrictSecretFile } from './files';

export const KEY_FILE_TAG = 'woosoo-backup-key';
export const PASSPHRASE_MIN = 12;

/** Where a request's key comes from (the wire parameters keyFile, key, passphrase). */
export interface KeySource {
  keyFile?: string;
  /** base64 of the 32 bytes: what the cmdlets send after opening a DPAPI-protected key file. */
  key?: string;
  /** The key is the project's own .woosoo/backup.key (opened by the cmdlet), not one the user named. */
  keyFromProject?: boolean;
  passphrase?: string;
}

export type KeyFileContent =
  | { scheme: 'raw'; key: Buffer; keyId: string }
  | { scheme: 'dpapi-machine' | 'dpapi-user'; keyId: string };

export function defaultKeyFile(cfg: Pick<ProjectConfig, 'projectDir'>): string {
  return join(cfg.projectDir, '.woosoo', 'backup.key');
}

function invalidKeyFile(file: string, why: string): WoosooError {
  return new WoosooError('BackupKeyFileInvalid', `${file} is not a Woosoo backup key file: ${why}.`, {
    category: 'InvalidData', target: file, fix: 'Point -KeyFile to the file New-WoosooBackupKey wrote (or restore it from where you keep its copy).',
  });
}

export function parseKeyFile(text: string, file: string): KeyFileContent {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length !== 1) return fail(file, `expected one "${KEY_FILE_TAG} 1 ..." line, found ${lines.length}`);
  const f = lines[0].split(/\s+/);
  if (f[0] !== KEY_FILE_TAG || f[1] !== '1') return fail(file, `line 1 does not start with "${KEY_FILE_TAG} 1"`);
  if (f[2] === 'raw' && f.length === 4) {
    const key = Buffer.from(f[3], 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== f[3]) return fail(file, `the key is not ${KEY_BYTES} bytes of base64`);
    return { scheme: 'raw', key, keyId: keyIdOf(key) };
  }
  if ((f[2] === 'dpapi-machine' || f[2] === 'dpapi-user') && f.length === 5 && /^[0-9a-f]{16}$/.test(f[3])) return { scheme: f[2], keyId: f[3] };
  return fail(file, `"${f[2] ?? ''}" is not a key scheme this Woosoo knows (raw, dpapi-machine, dpapi-user)`);
}

function fail(file: string, why: string): never {
  throw invalidKeyFile(file, why);
}

export function readKeyFile(file: string): KeyFileContent {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WoosooError(code === 'ENOENT' ? 'BackupKeyMissing' : 'BackupKeyFileInvalid', `The backup key file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}.`, {
      category: code === 'ENOENT' ? 'ObjectNotFound' : 'PermissionDenied', target: file, fix: 'Check -KeyFile, or run New-WoosooBackupKey to make a key for new backups.',
    });
  }
  return parseKeyFile(text, file);
}

/** The key of a request: it encrypts new parts and opens the parts whose header (or metadata) names it. */
export interface Keyring {
  /** 'KeyFile' or 'Passphrase' (recorded in the metadata). */
  source: 'KeyFile' | 'Passphrase';
  /** For new parts; a passphrase gets fresh scrypt parameters once per keyring (one backup). */
  forEncrypt(): Promise<MasterKey>;
  /** The master key for parts made with this key id (and scrypt parameters); BackupKeyWrong when it is another key. */
  open(keyId: string, scrypt?: ScryptParams): Promise<Buffer>;
}

function wrongKey(what: string, keyId: string, have: string): WoosooError {
  return new WoosooError('BackupKeyWrong', `${what} was encrypted with key ${keyId}; the key given is ${have}. Nothing was written.`, {
    category: 'SecurityError', target: keyId, fix: 'Give the key file (-KeyFile) or -Passphrase this backup was made with; Get-WoosooBackup shows its KeyId.',
  });
}

export function keyMissing(what: string, keyId: string, extra = ''): WoosooError {
  return new WoosooError('BackupKeyMissing', `${what} is encrypted (key ${keyId}) and no key was given${extra}. Nothing was written.`, {
    category: 'SecurityError', target: keyId, fix: 'Add -KeyFile <the key file> or -Passphrase, or put the key file back in .woosoo/backup.key.',
  });
}

export function fileKeyring(key: Buffer): Keyring {
  const keyId = keyIdOf(key);
  return {
    source: 'KeyFile',
    forEncrypt: async () => ({ key, keyId }),
    async open(id, scrypt) {
      if (scrypt) throw wrongKey('It', `${id} (a passphrase)`, `the key file's ${keyId}`);
      if (id !== keyId) throw wrongKey('It', id, keyId);
      return key;
    },
  };
}

export function passphraseKeyring(passphrase: string): Keyring {
  let mine: Promise<MasterKey> | undefined;
  const derived = new Map<string, Promise<Buffer>>();
  return {
    source: 'Passphrase',
    forEncrypt: () => (mine ??= passphraseKey(passphrase)),
    async open(id, scrypt) {
      if (!scrypt) throw wrongKey('It', `${id} (a key file)`, 'a passphrase');
      const k = `${scrypt.logN}/${scrypt.r}/${scrypt.p}/${scrypt.salt}`;
      if (!derived.has(k)) derived.set(k, deriveScrypt(passphrase, scrypt));
      const key = await derived.get(k)!;
      if (keyIdOf(key) !== id) throw wrongKey('It', id, 'another passphrase (it does not derive that key)');
      return key;
    },
  };
}

/** Opens a part header with a keyring (the lookup DecryptStream needs). */
export const headerLookup = (ring: Keyring) => (h: PartHeader) => ring.open(h.keyId, h.scrypt);

export interface ResolvedKey {
  ring: Keyring | null;
  /** Why there is no usable key although a key file exists (a DPAPI key file the engine cannot open). */
  unavailable?: string;
}

/**
 * The key of a request: a passphrase, else a key (base64), else -KeyFile, else the project's .woosoo/backup.key
 * when it exists. No key at all is not an error here: callers decide (encrypt nothing, or refuse).
 */
export function resolveKey(cfg: Pick<ProjectConfig, 'projectDir'>, src: KeySource, ctx: Pick<RequestContext, 'registerSecrets'>): ResolvedKey {
  ctx.registerSecrets([src.key, src.passphrase].filter((v): v is string => typeof v === 'string'));
  if (src.passphrase !== undefined) {
    if (src.passphrase.length < PASSPHRASE_MIN) {
      throw new WoosooError('BackupPassphraseTooShort', `A backup passphrase must be at least ${PASSPHRASE_MIN} characters.`, {
        category: 'InvalidArgument', target: 'Passphrase', fix: 'Use a longer passphrase, or a key file (New-WoosooBackupKey).',
      });
    }
    return { ring: passphraseKeyring(src.passphrase) };
  }
  if (src.key !== undefined) {
    const key = Buffer.from(src.key, 'base64');
    if (key.length !== KEY_BYTES) throw invalidKeyFile('the key given', `it is not ${KEY_BYTES} bytes`);
    return { ring: fileKeyring(key) };
  }
  const file = src.keyFile !== undefined ? resolve(cfg.projectDir, src.keyFile) : defaultKeyFile(cfg);
  if (src.keyFile === undefined && !existsSync(file)) return { ring: null };
  const content = readKeyFile(file);
  if (content.scheme === 'raw') return { ring: fileKeyring(content.key) };
  return { ring: null, unavailable: `${file} is protected with DPAPI (${content.scheme}, key ${content.keyId}): only the Woosoo cmdlets on that machine can open it` };
}

export interface WrittenKey {
  path: string;
  keyId: string;
  protection: 'None' | 'DpapiMachine' | 'DpapiUser';
}

/**
 * Writes a new key file (0600 on Unix; the secret-file ACL on Windows): a fresh random key, or the DPAPI blob the
 * cmdlet made. An existing key file is replaced only with force (its backups then need the old key's copy).
 */
export async function writeKeyFile(file: string, force: boolean, ctx: Pick<RequestContext, 'env' | 'signal' | 'log'>,
  dpapi?: { scheme: 'dpapi-machine' | 'dpapi-user'; keyId: string; blob: string }): Promise<WrittenKey> {
  if (existsSync(file) && !force) {
    throw new WoosooError('BackupKeyExists', `${file} already holds a backup key; it was left as it was.`, {
      category: 'ResourceExists', target: file,
      fix: 'Keep it (backups made with it need it), or add -Force to replace it after keeping a copy of the old one; or use -OutFile.',
    });
  }
  let line: string;
  let keyId: string;
  if (dpapi) {
    if (!/^[0-9a-f]{16}$/.test(dpapi.keyId) || !/^[A-Za-z0-9+/]+=*$/.test(dpapi.blob)) throw invalidKeyFile('the protected key given', 'its key id or blob is malformed');
    keyId = dpapi.keyId;
    line = `${KEY_FILE_TAG} 1 ${dpapi.scheme} ${keyId} ${dpapi.blob}`;
  } else {
    const key = randomBytes(KEY_BYTES);
    keyId = keyIdOf(key);
    line = `${KEY_FILE_TAG} 1 raw ${key.toString('base64')}`;
  }
  const text = `# Woosoo backup key ${keyId} (New-WoosooBackupKey, ${new Date().toISOString()}).\n`
    + '# Keep it secret, and keep a copy away from the backups: encrypted backups cannot be restored without it.\n'
    + `${line}\n`;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(file), `.${basename(file)}.woosoo-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    if (process.platform !== 'win32') await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await restrictSecretFile(file, ctx);
  ctx.log('verbose', `Wrote backup key ${keyId} to ${file}.`);
  return { path: file, keyId, protection: dpapi ? (dpapi.scheme === 'dpapi-machine' ? 'DpapiMachine' : 'DpapiUser') : 'None' };
}
