/** RPC method of the configuration sync: config.sync. Thin: validate the project, sync, shape the items. */
import { z } from 'zod';
import { loadValidProject } from '../config';
import { defineMethod, projectPathParam, typed, typedSchema } from '../kernel/method';
import { readProject } from '../config';
import { syncConfig, type ConfigChange } from './index';
import { setConfigValue } from './set';

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
    path: projectPathParam,
    apps: z.array(z.string().min(1)).optional().describe('Targets to sync (backend, pwa, nginx, or SYNC_TARGETS names); all when omitted'),
    whatIf: z.boolean().default(false).describe('Plan only: return the changes, write nothing'),
  }),
  item: configChangeSchema,
  async handler(p, ctx) {
    const cfg = loadValidProject(p.path, ctx);
    const changes = await syncConfig(cfg, ctx, { apps: p.apps, whatIf: p.whatIf });
    return { items: changes.map(changeObject) };
  },
});

export const configSet = defineMethod({
  name: 'config.set',
  summary: 'Sets one key of deployment.config.env in place (comments, order and quoting kept): the whole configuration is validated with the new value first (refused: nothing written), the old file backed up, then replaced atomically. A Woosoo.ConfigChange (diff, secrets masked); whatIf writes nothing.',
  params: z.object({
    path: projectPathParam,
    name: z.string().min(1).describe('The key (a declared Woosoo setting)'),
    value: z.string().describe('The new value, as text (quoted as the file needs)'),
    whatIf: z.boolean().default(false).describe('Return the change, write nothing'),
  }),
  item: configChangeSchema,
  async handler(p, ctx) {
    // The file as written: a file with problems can be fixed this way (a value bringing new errors is refused).
    const cfg = readProject(p.path, ctx);
    return { items: [changeObject(await setConfigValue(cfg, ctx, p.name, p.value, p.whatIf))] };
  },
});
