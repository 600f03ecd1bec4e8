/** RPC method of the configuration sync: config.sync. Thin: validate the project, sync, shape the items. */
import { z } from 'zod';
import { keyParams, keysOf } from '../backup';
import { loadValidProject } from '../config';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { readProject } from '../config';
import { syncConfig, type ConfigChange } from './index';
import { setConfigValues } from './set';

/** The wire's Woosoo.ConfigChange of a file's change (BackupId only when the file was overwritten). */
function changeObject(c: ConfigChange) {
  return typed('ConfigChange', {
    App: c.app, Path: c.path, Action: c.action, Diff: c.diff, LinesAdded: c.linesAdded, LinesRemoved: c.linesRemoved,
    Template: c.template, Check: c.check, ...(c.backupId === undefined ? {} : { BackupId: c.backupId }), WhatIf: c.whatIf,
  });
}

export const configChangeSchema = typedSchema('ConfigChange', {
  App: z.string(),
  Path: z.string(),
  Action: z.enum(['Create', 'Update', 'Unchanged']),
  Diff: z.string(),
  LinesAdded: z.number().int().min(0),
  LinesRemoved: z.number().int().min(0),
  Template: z.string(),
  Check: z.string(),
  BackupId: z.string().optional(),
  WhatIf: z.boolean(),
});

export const configSync = defineMethod({
  name: 'config.sync',
  summary: 'Renders deployment.config.env into the apps\' .env files and configs/nginx.conf: a Woosoo.ConfigChange per file (unified diff, secrets masked). whatIf writes nothing; otherwise the old files are backed up first and each is replaced atomically.',
  params: z.object({
    ...projectParams,
    apps: z.array(z.string().min(1)).optional().describe('Targets to sync (backend, pwa, nginx, or SYNC_TARGETS names); all when omitted'),
    whatIf: z.boolean().default(false).describe('Plan only: return the changes, write nothing'),
    ...keyParams,
  }),
  item: configChangeSchema,
  async handler(p, ctx) {
    const cfg = loadValidProject(p, ctx);
    const changes = await syncConfig(cfg, ctx, { apps: p.apps, whatIf: p.whatIf, keys: keysOf(p) });
    return { items: changes.map(changeObject) };
  },
});

const keyChange = z.object({
  name: z.string().min(1).describe('The key (a declared Woosoo setting)'),
  value: z.string().describe('The new value, as text (quoted as the file needs)'),
});

export const configSet = defineMethod({
  name: 'config.set',
  summary: 'Sets keys of deployment.config.env (or, with environment named, its overlay deployment.config.<environment>.env) in place (comments, order and quoting kept): one (name, value) or several (changes), validated all together with the whole configuration first (one refused: none written), the old file backed up once, then replaced atomically. One Woosoo.ConfigChange with the combined diff (secrets masked); whatIf writes nothing.',
  params: z.object({
    ...projectParams,
    name: keyChange.shape.name.optional(),
    value: keyChange.shape.value.optional(),
    changes: z.array(keyChange).min(1).optional().describe('Several keys at once, instead of name and value'),
    whatIf: z.boolean().default(false).describe('Return the change, write nothing'),
    ...keyParams,
  }).refine((p) => (p.changes === undefined ? p.name !== undefined && p.value !== undefined : p.name === undefined && p.value === undefined), {
    message: 'give either name and value, or changes (not both)',
  }),
  item: configChangeSchema,
  async handler(p, ctx) {
    // The file as written: a file with problems can be fixed this way (values bringing new errors are refused).
    const cfg = readProject(p, ctx);
    const changes = p.changes ?? [{ name: p.name as string, value: p.value as string }];
    return { items: [changeObject(await setConfigValues(cfg, ctx, changes, p.whatIf, keysOf(p)))] };
  },
});
