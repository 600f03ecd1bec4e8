/**
 * RPC method of New-WoosooProject: project.new. Detects the apps (detect.ts), generates the configuration
 * (generate.ts) with ports that clash with nothing (ports.ts) and the backend's APP_KEY (appkey.ts), validates it, and
 * writes deployment.config.env — never over an existing one without force, and then only after backing it up.
 * whatIf returns the same object with nothing written. Secrets are registered before anything is returned or logged
 * (masked in Content and everywhere else); only reveal, on a real run, returns them (Secrets, Content).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { createBackup } from '../backup';
import { CONFIG_FILE, readProject } from '../config';
import { parseConfig } from '../config/load';
import { validateConfig } from '../config/validate';
import { WoosooError } from '../kernel/errors';
import { defineMethod, typed, typedSchema } from '../kernel/method';
import { dotenvQuote, writeFileAtomic } from '../sync';
import { MASK } from '../util/redact';
import { planAppKey } from './appkey';
import { detectApps } from './detect';
import { configText, generateValues } from './generate';
import { configuredPorts, installedServicePorts } from './ports';

const newProjectSchema = typedSchema('NewProject', {
  Path: z.string(), ConfigPath: z.string(), Apps: z.array(z.string()), Notes: z.array(z.string()), Content: z.string(),
  Written: z.boolean(), BackupId: z.string(), Secrets: z.record(z.string(), z.string()).optional(),
});

export const projectNew = defineMethod({
  name: 'project.new',
  summary: 'Detects the apps under a folder and writes a deployment.config.env for them (free ports, generated secrets, help comments) and an APP_KEY into a backend .env without one. Refuses to overwrite a configuration without force (then backs it up first); whatIf writes nothing; secrets only with reveal.',
  params: z.object({
    path: z.string().min(1).optional().describe('The project folder (default: the current folder)'),
    apps: z.array(z.string().min(1)).optional().describe('App folders to use instead of looking under the project folder'),
    force: z.boolean().default(false).describe('Replace an existing deployment.config.env (backed up first)'),
    whatIf: z.boolean().default(false).describe('Return the file that would be written; write nothing'),
    reveal: z.boolean().default(false).describe('Return the secrets written (Secrets, and Content unmasked); never with whatIf'),
  }),
  item: newProjectSchema,
  async handler(p, ctx) {
    const dir = resolve(ctx.cwd, p.path ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new WoosooError('ProjectFolderMissing', `${dir} is not a folder.`, { category: 'ObjectNotFound', target: dir, fix: 'Give the folder that holds (or will hold) the apps, e.g. D:\\woosoo.' });
    }
    const apps = await detectApps(dir, { env: ctx.env, signal: ctx.signal }, p.apps?.map((a) => resolve(dir, a)));
    for (const a of apps) ctx.log('verbose', `${a.kind} in ${a.rel} (${Math.round(a.confidence * 100)} %): ${a.evidence.join('; ')}`);
    const backend = apps.find((a) => a.kind === 'laravel');
    if (!backend) {
      throw new WoosooError('ProjectNoBackend', `No Laravel app (artisan and composer.json) ${p.apps ? `in ${p.apps.join(', ')}` : `in ${dir}, its subfolders or apps/*`}${apps.length ? `; found: ${apps.map((a) => `${a.kind} in ${a.rel}`).join(', ')}` : ': the folder holds no app at all'}. Nothing was written.`, {
        category: 'ObjectNotFound', target: dir, fix: `Check the backend out under ${dir} (e.g. ${join(dir, 'apps', 'backend')}), or name its folder with -App.`,
      });
    }
    const file = join(dir, CONFIG_FILE);
    const exists = existsSync(file);
    // Ports of the file being replaced stay with its services until they are reinstalled; those of any project's
    // installed services too.
    const taken = [...(exists ? configuredPorts(readFileSync(file, 'utf8')) : []), ...await installedServicePorts(ctx.env, ctx.signal)];
    const gen = await generateValues(apps, basename(dir), { taken });
    const appKey = planAppKey(backend.dir);
    if (appKey.key) gen.secrets.APP_KEY = appKey.key;
    ctx.registerSecrets(Object.values(gen.secrets));
    ctx.log('verbose', `Ports: ${Object.entries(gen.values).filter(([k]) => k.endsWith('_PORT')).map(([k, v]) => `${k}=${v}`).join(', ')} (free here${taken.length ? `, not ${[...new Set(taken)].join(', ')}` : ''}). Secrets generated: ${Object.keys(gen.secrets).join(', ')}.`);
    const text = configText(gen.values, apps, dotenvQuote);
    const errors = validateConfig(parseConfig({ projectDir: dir, file }, text)).filter((x) => x.severity === 'Error');
    if (errors.length > 0) {
      throw new WoosooError('ProjectConfigInvalid', `The generated configuration has problems; nothing was written:\n${errors.map((x) => `  - ${x.message}`).join('\n')}`, {
        category: 'InvalidResult', target: file, fix: 'Report this; meanwhile write deployment.config.env by hand (docs/configuration.md).',
      });
    }
    const notes = [...gen.notes];
    if (exists && !p.force) {
      if (!p.whatIf) {
        throw new WoosooError('ProjectConfigExists', `${file} exists; nothing was written.`, {
          category: 'ResourceExists', target: file, fix: 'Edit it with Set-WoosooConfig, or replace it with -Force (it is backed up first).',
        });
      }
      notes.push(`${file} exists: -Force replaces it (backed up first).`);
    }
    notes.push(appKey.key ? `APP_KEY is new (base64: and 32 random bytes), written into ${appKey.path} only.` : `${appKey.path} keeps the APP_KEY it has.`);
    const reveal = p.reveal && !p.whatIf;
    if (p.reveal && p.whatIf) notes.push('-Reveal shows the secrets of a real run only: -WhatIf makes values that are never written.');
    const secretKeys = new Set(Object.keys(gen.secrets));
    const masked = text.split('\n').map((l) => (secretKeys.has(l.split('=')[0]) ? l.replace(/=.*$/, `=${MASK}`) : l)).join('\n');
    const item = (written: boolean, backupId: string) => typed('NewProject', {
      Path: dir, ConfigPath: file, Apps: apps.map((a) => `${a.kind} ${a.rel} (${Math.round(a.confidence * 100)} %: ${a.evidence.join('; ')})`),
      Notes: notes, Content: reveal ? text : masked, Written: written, BackupId: backupId, ...(reveal ? { Secrets: gen.secrets } : {}),
    });
    if (p.whatIf) return { items: [item(false, '')] };
    let backupId = '';
    if (exists) {
      backupId = (await createBackup(readProject(dir, ctx), ctx, {
        description: 'Before New-WoosooProject -Force', includeDatabase: false, includeFiles: false, extraFiles: [file], creator: 'New-WoosooProject',
      })).id;
    }
    await writeFileAtomic(file, text, { secret: true }, ctx);
    ctx.log('verbose', `Wrote ${file}.`);
    if (appKey.text !== null) {
      await writeFileAtomic(appKey.path, appKey.text, { secret: true }, ctx);
      ctx.log('verbose', `Wrote APP_KEY into ${appKey.path}.`);
    }
    return { items: [item(true, backupId)], unmasked: reveal };
  },
});
