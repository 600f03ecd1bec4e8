/**
 * What a build would run, app by app: the commands (defaults or the configuration's overrides), the tools
 * they resolve to on the session's PATH (or the *_PATH keys), and why an app is skipped or cannot be built.
 * Nothing is started or written here: -WhatIf and the deploy plan show exactly this.
 */
import { existsSync, statSync } from 'node:fs';
import type { KeyName, ProjectConfig } from '../config';
import { displayCommand } from '../process/run';
import { locateTool, toolQuery } from '../process/locate';
import { which } from '../process/which';
import { isNone, parseCommandList } from '../process/commandline';
import { APP_KINDS, type AppKind, type BuildCommand, type BuildPlan, type CommandKind, type PlanOptions } from './types';

interface AppSpec {
  dirKey: KeyName;
  buildKey: KeyName;
  testKey: KeyName;
  build: string[][];
  test: string[][];
}

export const APP_SPECS: Record<AppKind, AppSpec> = {
  backend: {
    dirKey: 'BACKEND_PATH', buildKey: 'BUILD_BACKEND_COMMANDS', testKey: 'TEST_BACKEND_COMMAND',
    build: [
      ['composer', 'install', '--no-dev', '--optimize-autoloader', '--no-interaction'],
      ['php', 'artisan', 'migrate', '--force'],
      ['php', 'artisan', 'config:cache'],
      ['php', 'artisan', 'route:cache'],
      ['php', 'artisan', 'view:cache'],
    ],
    test: [['php', 'artisan', 'app:selftest']],
  },
  pwa: {
    dirKey: 'PWA_PATH', buildKey: 'BUILD_PWA_COMMANDS', testKey: 'TEST_PWA_COMMAND',
    build: [['npm', 'ci'], ['npm', 'run', 'build']],
    test: [['npm', 'test']],
  },
  relay: {
    dirKey: 'RELAY_PATH', buildKey: 'BUILD_RELAY_COMMANDS', testKey: 'TEST_RELAY_COMMAND',
    build: [['flutter', 'pub', 'get'], ['flutter', 'build', 'apk']],
    test: [['flutter', 'test']],
  },
};

/** Programs with a configuration key of their own. */
const TOOL_KEYS: Record<string, KeyName | undefined> = {
  php: 'PHP_PATH', composer: 'COMPOSER_PATH', npm: 'NPM_PATH', node: 'NODE_PATH', flutter: 'FLUTTER_PATH',
};

export interface ResolvedTool {
  path: string | null;
  /** How it was looked for, for messages ("COMPOSER_PATH=/opt/composer" or "composer on the PATH"). */
  how: string;
}

/** A program of a build command: its *_PATH key when set, else the session's PATH (a relative path: the app folder). */
export function resolveTool(name: string, cfg: ProjectConfig, env: Record<string, string>, cwd: string): ResolvedTool {
  const keyName = TOOL_KEYS[name.toLowerCase()];
  const configured = keyName ? cfg.str(keyName).trim() : '';
  if (keyName && configured) return { path: locateTool(toolQuery(cfg, keyName, [name]), env).path, how: `${keyName}=${configured}` };
  if (/[\\/]/.test(name)) {
    const p = which(name.startsWith('.') ? `${cwd}/${name}` : name, env);
    return { path: p, how: name };
  }
  return { path: which(name, env), how: `${name} on the PATH${keyName ? ` (${keyName} is empty)` : ''}` };
}

/** The commands of one list key: the override when set (none = no command), else the defaults. */
function commandWords(cfg: ProjectConfig, keyName: KeyName, defaults: string[][]): string[][] {
  const text = cfg.str(keyName);
  if (text.trim() === '') return defaults;
  if (isNone(text)) return [];
  const r = parseCommandList(text);
  // The key's schema already rejected a bad list (the config would not load as valid); stay safe anyway.
  return r.ok ? r.commands : defaults;
}

function kindOf(words: string[], listKind: 'build' | 'test'): CommandKind {
  if (listKind === 'test') return 'test';
  const artisan = words.findIndex((w) => /(^|[\\/])artisan$/.test(w));
  return artisan >= 0 && words[artisan + 1] === 'migrate' ? 'migrate' : 'build';
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function planApp(cfg: ProjectConfig, app: AppKind, explicit: boolean, opts: PlanOptions): BuildPlan {
  const spec = APP_SPECS[app];
  const dir = cfg.path(spec.dirKey);
  const lists: [string[][], 'build' | 'test'][] = [[commandWords(cfg, spec.buildKey, spec.build), 'build']];
  if (!opts.skipTests) lists.push([commandWords(cfg, spec.testKey, spec.test), 'test']);

  const commands: BuildCommand[] = [];
  const missing: string[] = [];
  for (const [list, listKind] of lists) {
    for (const words of list) {
      const [name, ...args] = words;
      const tool = resolveTool(name, cfg, opts.env, dir);
      if (!tool.path && !missing.some((m) => m.startsWith(`${name} `))) missing.push(`${name} (looked for ${tool.how})`);
      const program = tool.path ?? name;
      commands.push({ program, args, display: displayCommand(name, args), kind: kindOf(words, listKind) });
    }
  }
  const plan: BuildPlan = { app, dir, commands };

  if (app === 'pwa' && !cfg.flag('PWA_ENABLED')) {
    plan.skipped = 'PWA_ENABLED is false: the project has no PWA.';
    plan.skipWarns = explicit;
    return plan;
  }
  if (app === 'relay') {
    const enabled = cfg.flag('RELAY_ENABLED');
    if (!enabled && !explicit) {
      plan.skipped = 'RELAY_ENABLED is false: the relay app is not part of this deployment.';
      return plan;
    }
    if (missing.length > 0 && !enabled) {
      plan.skipped = `Flutter is not installed (${missing.join(', ')}) and RELAY_ENABLED is false: the relay app is not built.`;
      plan.skipWarns = true;
      return plan;
    }
  }
  if (!isDir(dir)) {
    plan.error = `${spec.dirKey} points to ${dir}, which ${existsSync(dir) ? 'is not a folder' : 'does not exist'}.`;
  } else if (missing.length > 0) {
    plan.error = `Cannot build the ${app}: not found: ${missing.join(', ')}.`;
  } else if (commands.length === 0) {
    plan.skipped = `${spec.buildKey} and ${spec.testKey} are both none: nothing to run.`;
  }
  return plan;
}

/** The builds that would run for these apps (all three when none are given), in the order given. */
export function planBuilds(cfg: ProjectConfig, opts: PlanOptions): BuildPlan[] {
  const explicit = opts.apps !== undefined && opts.apps.length > 0;
  const apps = explicit ? APP_KINDS.filter((a) => opts.apps!.includes(a)) : [...APP_KINDS];
  return apps.filter((a) => !opts.exclude?.includes(a)).map((app) => planApp(cfg, app, explicit, opts));
}
