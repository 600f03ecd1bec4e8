/**
 * Finds and reads a project's deployment.config.env: where the project is, what each key's typed value is
 * (defaults applied), and every problem found on the way. Loading never throws for bad content: the
 * validator and Get-WoosooConfig decide what to do with the problems.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { WoosooError } from '../kernel/errors';
import { looksSecret } from '../util/redact';
import { parseDotenv, type DotenvEntry, type DotenvParseResult } from './dotenv';
import { chooseEnvironment, type EnvironmentFrom } from './environments';
import { KEYS, isKeyName, type KeyName, type KeyValue } from './keys';
import type { ConfigIssue } from './problems';

export const CONFIG_FILE = 'deployment.config.env';

export interface ProjectLocation {
  projectDir: string;
  /** The base file, deployment.config.env. */
  file: string;
  /** The environment that applies (core/config/environments.ts), once read; undefined when none is known. */
  environment?: string;
  environmentFrom?: EnvironmentFrom;
  /** The environment's overlay file, deployment.config.<environment>.env, when it exists. */
  overlay?: string;
}

/** An entry as written, and in which file (the base file, or the environment's overlay, which wins). */
export interface ConfigEntry extends DotenvEntry {
  file: string;
}

/** Which environment to read: -Environment, and the session's $env:WOOSOO_ENVIRONMENT. */
export interface EnvironmentSelection {
  asked?: string;
  variable?: string;
}

export type ConfigValue = string | number | boolean;

/**
 * Which colour and release a configuration view describes (DEPLOY_STRATEGY=BlueGreen): core/releases makes these
 * views, with the colour's ports and the release's app folders in place of BACKEND_PORT, REVERB_PORT, BACKEND_PATH
 * and PWA_PATH; the service definitions name the green colour's services with a -green suffix.
 */
export interface SlotInfo {
  colour: 'blue' | 'green';
  /** The release (deployment id) whose folders the view points at; null = the app folders themselves. */
  releaseId: string | null;
}

/** The passwords of the URLs in a value (http://user:pass@host/, several separated by commas), as written and decoded. */
function urlPasswords(value: string): string[] {
  const found: string[] = [];
  for (const m of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s,/@:]*:([^\s,/@]+)@/gi)) {
    found.push(m[1]);
    try {
      found.push(decodeURIComponent(m[1]));
    } catch {
      /* not percent-encoded text: the raw form is enough */
    }
  }
  return found;
}

export class ProjectConfig {
  constructor(
    readonly location: ProjectLocation,
    readonly values: Readonly<Record<string, ConfigValue>>,
    /** Entries as written (string values, file and line; the overlay's win), including unknown keys. */
    readonly entries: ReadonlyMap<string, ConfigEntry>,
    readonly problems: readonly ConfigIssue[],
    /** Set on a colour's view (core/releases); undefined on the configuration as loaded. */
    readonly slot?: SlotInfo,
    /** The configuration as loaded, on a view. */
    private readonly loaded?: ProjectConfig,
  ) {}

  /** The configuration as loaded (a view's origin; itself when it is not a view). */
  get origin(): ProjectConfig {
    return this.loaded ?? this;
  }

  /** The same configuration with some typed values replaced, as the given colour's view (core/releases). */
  withSlot(slot: SlotInfo, values: Partial<Record<KeyName, ConfigValue>>): ProjectConfig {
    const origin = this.origin;
    return new ProjectConfig(origin.location, { ...origin.values, ...values }, origin.entries, origin.problems, slot, origin);
  }

  get projectDir(): string {
    return this.location.projectDir;
  }

  /** The environment that applies (the overlay's, the one asked for, or the base file's ENVIRONMENT). */
  get environment(): string | undefined {
    return this.location.environment;
  }

  /** The file a key is written in (the overlay when it sets it), else the base file, where a new key goes. */
  fileOf(name: string): string {
    return this.entries.get(name)?.file ?? this.location.file;
  }

  /**
   * The values of the secret keys as written (declared secret, or named like one): loading registers nothing
   * itself; the request that loaded the file registers these (config/index.ts), so masking starts there.
   */
  secretValues(): string[] {
    const declared = [...this.entries].filter(([name]) => this.isSecret(name)).map(([, e]) => e.value);
    return [...declared, ...[...this.entries.values()].flatMap((e) => urlPasswords(e.value))];
  }

  /**
   * A key's typed value (default applied), of the type its schema gives: `get('HTTP_PORT')` is a number. Only
   * declared keys compile. undefined when the key is neither set nor defaulted, or its value did not pass its schema
   * (the problems say which).
   */
  get<K extends KeyName>(name: K): KeyValue<K> | undefined {
    return this.values[name] as KeyValue<K> | undefined;
  }

  str(name: KeyName): string {
    const v = this.values[name];
    return v === undefined ? '' : String(v);
  }

  num(name: KeyName): number {
    return Number(this.values[name]);
  }

  flag(name: KeyName): boolean {
    return this.values[name] === true;
  }

  /** A path key resolved against the project folder. */
  path(name: KeyName): string {
    const p = this.str(name);
    return isAbsolute(p) ? p : join(this.projectDir, p);
  }

  /**
   * Any entry's value as text, declared or not, for what reads names at run time (a template's {{VARIABLE}}, the
   * listing of Get-WoosooConfig): code that knows its key uses the typed accessors above.
   */
  text(name: string): string {
    return isKeyName(name) ? this.str(name) : this.entries.get(name)?.value ?? '';
  }

  isSecret(name: string): boolean {
    return (isKeyName(name) ? KEYS.get(name)?.secret : undefined) ?? looksSecret(name);
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'Error');
  }
}

function notFound(what: string, target: string): WoosooError {
  return new WoosooError('ConfigNotFound', `${what}: no ${CONFIG_FILE} there.`, {
    category: 'ObjectNotFound',
    target,
    fix: `Pass -Path with the project folder (the one holding ${CONFIG_FILE}), set $env:WOOSOO_PROJECT, or run the command from inside the project folder.`,
  });
}

function fromPath(p: string, what: string): ProjectLocation {
  if (!existsSync(p)) throw notFound(`${what} ${p} does not exist`, p);
  if (statSync(p).isDirectory()) {
    const file = join(p, CONFIG_FILE);
    if (!existsSync(file)) throw notFound(`${what} ${p} is not a Woosoo project`, p);
    return { projectDir: p, file };
  }
  return { projectDir: dirname(p), file: p };
}

/** -Path (absolute, resolved by the module), else $env:WOOSOO_PROJECT, else walk up from the current location. */
export function findProject(path: string | undefined, session: { env: Record<string, string>; cwd: string }): ProjectLocation {
  if (path) return fromPath(resolve(session.cwd, path), 'The path');
  const fromEnv = session.env.WOOSOO_PROJECT;
  if (fromEnv) return fromPath(resolve(session.cwd, fromEnv), 'WOOSOO_PROJECT points to');
  let dir = resolve(session.cwd);
  for (;;) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return { projectDir: dir, file };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw notFound(`Neither ${session.cwd} nor any folder above it holds a project`, session.cwd);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new WoosooError('ConfigUnreadable', `Cannot read ${file}: ${(err as Error).message}`, {
      category: 'ReadError', target: file, fix: 'Check that the file exists and that you may read it.',
    });
  }
}

/** The base file, then the environment's overlay over it (which environment: see core/config/environments.ts). */
export function readConfig(location: ProjectLocation, select: EnvironmentSelection = {}): ProjectConfig {
  const base = parseDotenv(readText(location.file)); // parsed once: its ENVIRONMENT chooses the overlay, then it is the base
  const inFile = base.entries.filter((e) => e.key === 'ENVIRONMENT').pop()?.value;
  const choice = chooseEnvironment(location.projectDir, select.asked, select.variable, inFile);
  const at: ProjectLocation = { ...location, environment: choice.name, environmentFrom: choice.from, overlay: choice.overlay };
  return configOf(at, base, choice.overlay === undefined ? undefined : parseDotenv(readText(choice.overlay)));
}

/** The shared file alone, without any overlay (Compare-WoosooConfig's "base"). */
export function readBaseConfig(location: ProjectLocation): ProjectConfig {
  return parseConfig(location, readText(location.file));
}

/** The entries of one file, its syntax problems, warnings and duplicates reported against that file. */
function readEntries(file: string, parsed: DotenvParseResult, problem: (p: Omit<ConfigIssue, 'file'> & { file?: string }) => void): ConfigEntry[] {
  const name = basename(file);
  for (const p of parsed.problems) {
    problem({ file, key: '', rule: 'Syntax', severity: 'Error', line: p.line, message: `${name} line ${p.line}: ${p.message}.`, fix: p.fix });
  }
  for (const c of parsed.cutAtHash) {
    problem({
      file, key: c.key, rule: 'UnquotedHash', severity: 'Warning', line: c.line,
      message: `${c.key} (${name === CONFIG_FILE ? '' : `${name} `}line ${c.line}) has a # inside its unquoted value: Laravel's phpdotenv, Node's dotenv and Woosoo all end the value there (the rest is a comment), which is rarely what was meant (a password such as p@ss#1 would be read as p@ss).`,
      fix: `Quote the value: ${c.key}='…' (Set-WoosooConfig quotes for you).`,
    });
  }
  for (const d of parsed.phpdotenvDiffers) {
    problem({
      file, key: d.key, rule: 'PhpdotenvDiffers', severity: 'Warning', line: d.line,
      message: `${d.key} (${name === CONFIG_FILE ? '' : `${name} `}line ${d.line}): ${d.why}. Woosoo reads this file strictly; the same line in an app's .env would mean something else to Laravel.`,
      fix: `Write the value with Set-WoosooConfig ${d.key} '<value>' (it quotes so that Laravel reads it back exactly).`,
    });
  }
  for (const d of parsed.duplicates) {
    problem({ file, key: d.key, rule: 'DuplicateKey', severity: 'Warning', line: d.line, message: `${d.key} is set on line ${d.firstLine} and again on line ${d.line}${name === CONFIG_FILE ? '' : ` of ${name}`}; line ${d.line} wins.`, fix: `Delete one of the two ${d.key} lines.` });
  }
  return parsed.entries.map((e) => ({ ...e, file }));
}

/** `overlay` is the text of location.overlay: its entries win over the base file's. */
export function parseConfig(location: ProjectLocation, text: string, overlay?: string): ProjectConfig {
  return configOf(location, parseDotenv(text), overlay === undefined ? undefined : parseDotenv(overlay));
}

function configOf(location: ProjectLocation, base: DotenvParseResult, overlay: DotenvParseResult | undefined): ProjectConfig {
  const problems: ConfigIssue[] = [];
  const problem = (p: Omit<ConfigIssue, 'file'> & { file?: string }) => problems.push({ ...p, file: p.file ?? location.file });
  const entries = new Map(readEntries(location.file, base, problem).map((e) => [e.key, e]));
  if (location.overlay !== undefined && overlay !== undefined) {
    for (const e of readEntries(location.overlay, overlay, problem)) entries.set(e.key, e);
    const said = entries.get('ENVIRONMENT');
    if (said?.file === location.overlay && said.value.trim().toLowerCase() !== location.environment) {
      problem({
        file: location.overlay, key: 'ENVIRONMENT', rule: 'EnvironmentMismatch', severity: 'Error', line: said.line,
        message: `${basename(location.overlay)} line ${said.line} sets ENVIRONMENT=${said.value}, but the file is the ${location.environment} overlay.`,
        fix: `Delete that line (the overlay's name sets ENVIRONMENT), or rename the file to deployment.config.${said.value}.env.`,
      });
    }
  }

  const values: Record<string, ConfigValue> = {};
  for (const def of KEYS.values()) {
    const entry = entries.get(def.name);
    const input = entry?.value ?? def.default;
    if (input === undefined) continue;
    const r = def.schema.safeParse(input);
    if (r.success) {
      values[def.name] = r.data as ConfigValue;
    } else {
      const where = entry ? ` (${entry.file === location.file ? '' : `${basename(entry.file)} `}line ${entry.line})` : ' (default)';
      problem({
        file: entry?.file, key: def.name, rule: 'Type', severity: 'Error', line: entry?.line,
        message: `${def.name}${where} ${r.error.issues.map((i) => i.message).join('; ')}.`,
        fix: `Set ${def.name} to a valid value (${def.kind})${def.example ? `, e.g. ${def.name}=${def.example}` : ''}. ${def.help}`,
      });
    }
  }
  // The environment asked for is the one that applies, even where no file says it (an overlay without ENVIRONMENT).
  if (location.environment !== undefined && !problems.some((p) => p.key === 'ENVIRONMENT')) values.ENVIRONMENT = location.environment;
  return new ProjectConfig(location, values, entries, problems);
}
