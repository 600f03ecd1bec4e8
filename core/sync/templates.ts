/**
 * Finding and rendering templates. Handlebars with noEscape (HTML escaping has no place in .env or nginx.conf) and
 * strict (a misspelt variable is an error, not an empty value), plus explicit quoting helpers:
 * {{dotenv VALUE}} writes a dotenv value every reader reads back exactly, {{nginx VALUE}} a path or word for
 * nginx.conf, {{eq A B}} compares. A project's TEMPLATES_PATH folder overrides a built-in template of the same name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import { WoosooError } from '../kernel/errors';
import { UnquotableValue, dotenvQuote, nginxString } from './quote';

/** The module's templates/ folder: the first one up from this file (core/sync in tests, bin/ in the bundle). */
export function builtinTemplatesDir(): string {
  const starts = [__dirname, dirname(process.execPath)];
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 5; i++) {
      if (existsSync(join(dir, 'templates', 'nginx.conf.hbs'))) return join(dir, 'templates');
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return join(__dirname, '..', 'templates');
}

export interface TemplateSource {
  name: string;
  file: string;
  overridden: boolean;
  text: string;
}

export function findTemplate(cfg: ProjectConfig, name: string): TemplateSource {
  const own = join(cfg.path('TEMPLATES_PATH'), name);
  const builtin = join(builtinTemplatesDir(), name);
  for (const [file, overridden] of [[own, true], [builtin, false]] as const) {
    if (!existsSync(file)) continue;
    try {
      return { name, file, overridden, text: readFileSync(file, 'utf8').replace(/^\uFEFF/, '') };
    } catch (err) {
      throw new WoosooError('SyncTemplateUnreadable', `Cannot read the template ${file}: ${(err as Error).message}`, {
        category: 'ReadError', target: file, fix: 'Check that the file exists and that you may read it.',
      });
    }
  }
  throw new WoosooError('SyncTemplateNotFound', `No template ${name}: neither ${own} nor the built-in ${builtin} exists.`, {
    category: 'ObjectNotFound', target: name,
    fix: `Put ${name} in ${cfg.path('TEMPLATES_PATH')} (TEMPLATES_PATH), or correct the template name in SYNC_TARGETS.`,
  });
}

type HelperOptions = { loc?: { start: { line: number; column: number } } };

function helperError(message: string, options: HelperOptions): Error {
  const at = options.loc ? ` (line ${options.loc.start.line}, column ${options.loc.start.column})` : '';
  return new Error(`${message}${at}`);
}

function stringArg(value: unknown, helper: string, options: HelperOptions): string {
  if (value === undefined || value === null) throw helperError(`{{${helper}}} was given an undefined value: the variable name is misspelt or not a configuration key`, options);
  return String(value);
}

/** A helper that quotes its one argument with `quote`; a value it cannot carry names the template line. */
function quotingHelper(name: string, quote: (v: string) => string) {
  return (value: unknown, options: HelperOptions) => {
    try {
      return quote(stringArg(value, name, options));
    } catch (err) {
      if (err instanceof UnquotableValue) throw helperError(err.message, options);
      throw err;
    }
  };
}

type HandlebarsEnv = typeof import('handlebars');
let hbEnv: Promise<HandlebarsEnv> | undefined;

/** Handlebars is loaded on first use: only the sync needs it, and it costs the engine memory at start. */
function handlebars(): Promise<HandlebarsEnv> {
  hbEnv ??= import('handlebars').then((mod) => {
    const hb = (mod.default ?? mod).create();
    hb.registerHelper('dotenv', quotingHelper('dotenv', dotenvQuote));
    hb.registerHelper('nginx', quotingHelper('nginx', nginxString));
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    return hb;
  });
  return hbEnv;
}

/** Compiled templates by their text (an edited template compiles anew). */
const compiled = new Map<string, (context: Record<string, unknown>) => string>();

/** Renders a template; any Handlebars error becomes SyncTemplateError naming the template file and line. */
export async function renderTemplate(source: TemplateSource, context: Record<string, unknown>): Promise<string> {
  const hb = await handlebars();
  try {
    let template = compiled.get(source.text);
    if (!template) {
      template = hb.compile(source.text, { noEscape: true, strict: true });
      if (compiled.size > 50) compiled.clear();
      compiled.set(source.text, template);
    }
    return template(context);
  } catch (err) {
    const raw = (err as Error).message;
    const message = raw
      .replace(/^"([^"]+)" not defined in \[object Object\] - (\d+):(\d+)$/, '"$1" is not defined (line $2, column $3)')
      .replace(/\n+/g, ' ');
    throw new WoosooError('SyncTemplateError', `Template ${source.file}: ${message}`, {
      category: 'InvalidData', target: source.file,
      fix: source.overridden
        ? 'Correct the template (the variables are the keys of deployment.config.env plus those listed in docs/configuration-sync.md), or delete it to use the built-in one.'
        : 'Correct the value in deployment.config.env, or override the template in TEMPLATES_PATH (docs/configuration-sync.md).',
    });
  }
}
