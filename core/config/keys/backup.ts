/** Keys of the backups capability: where backups go, retention, and which uploads -IncludeFiles copies. */
import { key, t, type KeyTable } from './define';

export const backupKeys = {
  BACKUP_PATH: key(t.path(), {
    group: 'Backups', default: 'backups',
    help: 'Folder that holds the backups (one sub-folder per backup), relative to the project folder or absolute.',
  }),
  BACKUP_RETENTION_DAYS: key(t.int(1, 3650), {
    group: 'Backups', default: '30',
    help: 'Remove-WoosooBackup without -OlderThan removes backups older than this many days.',
  }),
  BACKUP_KEEP_MINIMUM: key(t.int(1, 1000), {
    group: 'Backups', default: '5',
    help: 'Retention always keeps at least this many of the newest backups (and never the newest valid one).',
  }),
  BACKUP_KEEP_MAXIMUM: key(t.int(1, 100_000), {
    group: 'Backups', default: '20',
    help: 'Retention (after every deploy, and Remove-WoosooBackup without -Id) also removes the oldest backups beyond this many, however young: a failed deploy leaves two or three. Never the newest valid one, one a deployment still needs for its rollback, or below BACKUP_KEEP_MINIMUM.',
  }),
  BACKUP_STORAGE_PATH: key(t.optionalPath(), {
    group: 'Backups', default: '', example: 'apps/woosoo-nexus/storage/app',
    help: 'Folder of uploaded files that New-WoosooBackup -IncludeFiles copies, relative to the project folder; empty = the backend\'s storage/app (BACKEND_PATH/storage/app, where Laravel keeps uploads).',
  }),
} satisfies KeyTable;
