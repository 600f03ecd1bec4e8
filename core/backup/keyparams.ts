/**
 * The wire parameters that say where a backup's key comes from, for every method that makes or restores a backup:
 * the backup methods themselves, and those whose backups the engine makes on its own (deploy.run, deploy.undo,
 * config.sync, config.set). The cmdlets fill them with Get-WoosooBackupKeyParam (private/BackupKey.ps1): on Windows
 * a DPAPI-protected key file only they can open is sent as `key`. Never logged (resolveKey registers them as secrets).
 */
import { z } from 'zod';
import type { KeySource } from './keyfile';

/** Where the key of an encrypted backup comes from; none given: the project's .woosoo/backup.key when it exists. */
export const keyParams = {
  keyFile: z.string().min(1).optional().describe('The backup key file (default: .woosoo/backup.key in the project)'),
  key: z.string().optional().describe('The key itself, base64 (what the cmdlets send after opening a DPAPI-protected key file); never logged'),
  passphrase: z.string().optional().describe('A passphrase instead of a key file (scrypt, parameters stored with the backup); never logged'),
  keyFromProject: z.boolean().optional().describe('key is the project\'s own key file (opened by the cmdlet), not one the user named'),
};

/** The KeySource of a request's params (only the key fields). */
export const keysOf = (p: KeySource): KeySource => ({ keyFile: p.keyFile, key: p.key, passphrase: p.passphrase, keyFromProject: p.keyFromProject });
