/** RPC methods of the configuration slice: config.get, config.test, config.schema. Thin: load, shape, return. */
import { z } from 'zod';
import { WoosooError } from '../kernel/errors';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { MASK } from '../util/redact';
import { KEYS } from './keys';
import { loadProject, readProject, type ProjectConfig } from './index';
import { configProblemSchema, type ConfigIssue } from './problems';

/** The wire's Woosoo.ConfigProblem of a problem (Line only when the problem is on a line). */
function problemObject(p: ConfigIssue) {
  return typed('ConfigProblem', {
    Key: p.key, Rule: p.rule, Severity: p.severity, Message: p.message, Fix: p.fix,
    ...(p.line === undefined ? {} : { Line: p.line }), File: p.file,
  });
}
import { validateConfig } from './validate';
import { BASE, compareConfigs, readEnvironments } from './compare';
import { wildcard } from '../util/wildcard';

const configValueSchema = typedSchema('ConfigValue', {
  Name: z.string(), Value: z.union([z.string(), z.number(), z.boolean()]), Group: z.string(), Secret: z.boolean(),
  Source: z.enum(['File', 'Overlay', 'Environment', 'Default']).describe('File: the base file; Overlay: the environment\'s file; Environment: ENVIRONMENT as chosen by -Environment or $env:WOOSOO_ENVIRONMENT'),
  File: z.string().optional(), Line: z.number().int().positive().optional(),
});

/** Where a key's value comes from: the overlay or base file (and line), the environment chosen, or its default. */
function sourceOf(cfg: ProjectConfig, name: string) {
  const entry = cfg.entries.get(name);
  if (name === 'ENVIRONMENT' && cfg.environment !== undefined && entry?.file !== cfg.location.overlay && cfg.location.environmentFrom !== 'File') {
    return { Source: 'Environment' as const };
  }
  if (!entry) return { Source: 'Default' as const };
  return { Source: entry.file === cfg.location.file ? 'File' as const : 'Overlay' as const, File: entry.file, Line: entry.line };
}

export const configGet = defineMethod({
  name: 'config.get',
  summary: 'Without names: one Woosoo.Config (a property per key, typed, defaults applied). With names: a Woosoo.ConfigValue per matching key. Secrets masked unless reveal.',
  params: z.object({
    ...projectParams,
    names: z.array(z.string().min(1)).optional().describe('Keys to return; wildcards * and ? allowed'),
    reveal: z.boolean().default(false).describe('Return secret values instead of ********'),
  }),
  item: z.union([
    typedSchema('Config', {}).catchall(z.union([z.string(), z.number(), z.boolean()])),
    configValueSchema,
  ]),
  async handler(p, ctx) {
    const cfg = loadProject(p, ctx);
    const shown = (name: string) => (cfg.isSecret(name) && !p.reveal && cfg.text(name) !== '' ? MASK : cfg.values[name]);
    if (p.names === undefined) {
      const props: Record<string, string | number | boolean> = {};
      for (const name of KEYS.keys()) if (cfg.values[name] !== undefined) props[name] = shown(name);
      props.ProjectPath = cfg.projectDir;
      props.ConfigPath = cfg.location.file;
      if (cfg.location.overlay) props.OverlayPath = cfg.location.overlay;
      return { items: [typed('Config', props)], unmasked: p.reveal };
    }
    const patterns = p.names.map(wildcard);
    const items = [...KEYS.values()]
      .filter((k) => cfg.values[k.name] !== undefined && patterns.some((re) => re.test(k.name)))
      .map((k) => typed('ConfigValue', { Name: k.name, Value: shown(k.name), Group: k.group, Secret: cfg.isSecret(k.name), ...sourceOf(cfg, k.name) }));
    if (items.length === 0) {
      throw new WoosooError('ConfigKeyNotFound', `No configuration key matches ${p.names.join(', ')}.`, {
        category: 'ObjectNotFound', target: p.names.join(','), fix: 'Run Get-WoosooConfig without -Name to see every key.',
      });
    }
    return { items, unmasked: p.reveal };
  },
});

export const configTest = defineMethod({
  name: 'config.test',
  summary: 'Every problem with the configuration, as Woosoo.ConfigProblem objects; none when it is valid.',
  params: z.object({
    ...projectParams,
    quiet: z.boolean().default(false).describe('Return only true (no Error-severity problem) or false; a missing or unreadable file is false'),
  }),
  item: configProblemSchema,
  async handler(p, ctx) {
    if (!p.quiet) return { items: validateConfig(readProject(p, ctx)).map(problemObject) };
    try {
      return { value: !validateConfig(readProject(p, ctx)).some((x) => x.severity === 'Error') };
    } catch (err) {
      if (!(err instanceof WoosooError)) throw err;
      ctx.log('verbose', err.message);
      return { value: false };
    }
  },
});

export const configSchema = defineMethod({
  name: 'config.schema',
  summary: 'The declared keys: name, group, type, default, required, secret and help (the source of docs/configuration.md).',
  params: z.object({}),
  item: typedSchema('ConfigKey', {
    Name: z.string(), Group: z.string(), Type: z.string(), Default: z.string().optional(),
    Required: z.boolean(), Secret: z.boolean(), Help: z.string(),
  }),
  async handler() {
    return {
      items: [...KEYS.values()].map((k) => typed('ConfigKey', {
        Name: k.name, Group: k.group, Type: k.kind, Default: k.default, Required: k.required === true,
        Secret: k.secret === true, Help: k.help,
      })),
    };
  },
});

export const configCompare = defineMethod({
  name: 'config.compare',
  summary: 'The effective values of environments side by side (each overlay over deployment.config.env; "base" is the shared file alone): a Woosoo.ConfigDifference per key that differs (every key with includeEqual), with a property per environment. Secrets masked, compared all the same.',
  params: z.object({
    path: projectParams.path,
    environments: z.array(z.string().min(1)).min(1).max(4).describe('Environments to compare; one is compared with base'),
    includeEqual: z.boolean().default(false).describe('Also the keys that are the same everywhere (with Same = true)'),
  }),
  item: typedSchema('ConfigDifference', { Name: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean()])),
  async handler(p, ctx) {
    const names = p.environments.length === 1 ? [BASE, ...p.environments] : p.environments;
    const configs = readEnvironments(p.path, names, ctx);
    for (const cfg of configs.values()) ctx.registerSecrets(cfg.secretValues());
    const rows = compareConfigs(configs).filter((k) => p.includeEqual || !k.same);
    return {
      items: rows.map((k) => typed('ConfigDifference', {
        Name: k.name,
        ...Object.fromEntries([...k.values].map(([env, v]) => [env, k.secret && v !== '' ? MASK : v])),
        ...(p.includeEqual ? { Same: k.same } : {}),
      })),
    };
  },
});
