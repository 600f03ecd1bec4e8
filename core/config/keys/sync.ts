/** Keys of Sync-WoosooConfig: where a project's own templates are, extra targets, and (nginx.conf goes to configs/nginx.conf). */
import { z } from 'zod';
import { key, t, type KeyTable } from './define';

/** `name:template:path` entries, comma-separated (may be empty). */
export const SYNC_TARGET_RE = /^([A-Za-z][A-Za-z0-9_-]*):([^:,\\/]+\.hbs):(.+)$/;

const targetList = () => ({
  kind: 'comma-separated name:template.hbs:path entries',
  schema: z.string().refine(
    (s) => s.split(',').map((x) => x.trim()).filter(Boolean).every((x) => SYNC_TARGET_RE.test(x)),
    'must be name:template.hbs:path entries separated by commas (e.g. relay:relay.env.hbs:apps/relay-device-v2/.env)',
  ),
});

export const syncKeys = {
  TEMPLATES_PATH: key(t.path(), {
    group: 'Configuration sync', default: 'templates',
    help: 'Folder of the project\'s own templates, relative to the project folder. A file here with the name of a built-in template (laravel.env.hbs, pwa.env.hbs, nginx.conf.hbs) replaces it.',
  }),
  SYNC_TARGETS: key(targetList(), {
    group: 'Configuration sync', default: '',
    help: 'Extra files Sync-WoosooConfig renders: name:template.hbs:path, comma-separated; the template is looked up in TEMPLATES_PATH, then among the built-in ones; a path ending in .env is merged key by key.',
  }),
} satisfies KeyTable;
