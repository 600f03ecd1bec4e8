/**
 * Set-WoosooConfig and Edit-WoosooConfig: keys of deployment.config.env edited in place, one or several at once.
 * Each key's line is replaced (its indentation, `export` and quoting style kept when the new value allows them); a
 * key not in the file is appended. Every other line — comments, order, blank lines, line ends — stays byte for byte.
 * The whole configuration is validated with all the new values first: values that bring an Error the file did not
 * have are refused together with the problems, and the file is not touched. Otherwise the old file is backed up
 * (one backup), then replaced atomically (one write). The value of a secret key is registered as a secret before
 * anything is shown, so the diff and the messages mask it.
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { createBackup, type KeySource } from '../backup';
import type { ProjectConfig } from '../config';
import { KEYS, isKeyName } from '../config/keys';
import { parseConfig } from '../config/load';
import { validateConfig } from '../config/validate';
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { MASK, looksSecret, redact } from '../util/redact';
import { writeFileAtomic } from './atomic';
import { unifiedDiff } from './diff';
import { scanEntries, splitLines } from './envmerge';
import type { ConfigChange } from './index';
import { UnquotableValue, dotenvQuote, dotenvRequote } from './quote';

const PREFIX = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*)(.*)$/;

function closest(name: string): string | undefined {
  const up = name.toUpperCase();
  return [...KEYS.keys()].find((k) => k === up || k.replace(/_/g, '') === up.replace(/_/g, ''));
}

/** One key and its new value, as text. */
export interface KeyChange {
  name: string;
  value: string;
}

function unknownKey(cfg: ProjectConfig, name: string): WoosooError {
  const guess = closest(name);
  return new WoosooError('ConfigKeyUnknown', `${name} is not a Woosoo setting; ${cfg.location.file} was not changed.`, {
    category: 'InvalidArgument', target: name, fix: guess ? `Did you mean ${guess}?` : 'Get-WoosooConfig lists the keys (docs/configuration.md describes each).',
  });
}

/** The file's lines with one key's line replaced (or appended), in place. */
function applyChange(lines: string[], file: string, { name, value }: KeyChange): void {
  const span = scanEntries(lines).filter((s) => s.key === name).pop();
  try {
    if (span) {
      const m = PREFIX.exec(lines[span.start]) as RegExpExecArray;
      lines.splice(span.start, span.end - span.start + 1, `${m[1]}${dotenvRequote(m[2], value)}`);
    } else {
      lines.push(`${name}=${dotenvQuote(value)}`);
    }
  } catch (err) {
    if (!(err instanceof UnquotableValue)) throw err;
    throw new WoosooError('ConfigValueUnwritable', `${name}: ${err.message}; ${file} was not changed.`, {
      category: 'InvalidArgument', target: name, fix: 'Use a value without that combination of characters.',
    });
  }
}

export async function setConfigValue(cfg: ProjectConfig, ctx: RequestContext, name: string, value: string, whatIf: boolean): Promise<ConfigChange> {
  return setConfigValues(cfg, ctx, [{ name, value }], whatIf);
}

/**
 * The file a change goes into: the overlay of an environment named by -Environment or $env:WOOSOO_ENVIRONMENT (when
 * it has one), else the shared file (then a key the applying overlay also sets is warned about: the overlay wins).
 */
function targetFile(cfg: ProjectConfig, changes: readonly KeyChange[], ctx: RequestContext): string {
  const { overlay, environmentFrom } = cfg.location;
  if (overlay !== undefined && (environmentFrom === 'Parameter' || environmentFrom === 'Variable')) return overlay;
  for (const c of changes) {
    if (overlay !== undefined && cfg.fileOf(c.name) === overlay) {
      ctx.log('warning', `${c.name} is also set in ${overlay}, which wins in ${cfg.environment}: the value set in ${cfg.location.file} applies to the other environments only. Set it there with -Environment ${cfg.environment}.`);
    }
  }
  return cfg.location.file;
}

/** Several keys set together: validated all together (one bad value refuses them all), one backup, one write. */
export async function setConfigValues(cfg: ProjectConfig, ctx: RequestContext, changes: readonly KeyChange[], whatIf: boolean, keys?: KeySource): Promise<ConfigChange> {
  const file = targetFile(cfg, changes, ctx);
  const unknown = changes.find((c) => !isKeyName(c.name));
  if (unknown) throw unknownKey(cfg, unknown.name);
  const isSecret = (key: string) => cfg.isSecret(key) || looksSecret(key);
  ctx.registerSecrets(changes.filter((c) => isSecret(c.name) && c.value !== '').map((c) => c.value));
  const before = readFileSync(file, 'utf8');
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(before);
  for (const c of changes) applyChange(lines, file, c);
  const after = `${lines.join(eol)}${eol}`;

  // The whole file with the new values, validated: only problems it did not have before refuse them.
  const old = validateConfig(cfg).filter((p) => p.severity === 'Error').map((p) => `${p.rule} ${p.key}`);
  const { location } = cfg;
  const other = (f: string | undefined) => (f === undefined ? undefined : readFileSync(f, 'utf8'));
  const whole = file === location.file ? parseConfig(location, after, other(location.overlay)) : parseConfig(location, other(location.file) ?? '', after);
  const next = validateConfig(whole).filter((p) => p.severity === 'Error' && !old.includes(`${p.rule} ${p.key}`));
  if (next.length > 0) {
    const shown = changes.map((c) => `${c.name}=${isSecret(c.name) ? MASK : redact(c.value)}`).join(', ');
    const target = changes.find((c) => next.some((p) => p.key === c.name)) ?? changes[0];
    throw new WoosooError('ConfigValueInvalid', `${shown} ${changes.length > 1 ? 'were' : 'was'} refused; ${file} was not changed:\n${next.map((p) => `  - ${p.message} Fix: ${p.fix}`).join('\n')}`, {
      category: 'InvalidArgument', target: target.name, fix: next[0].fix,
    });
  }

  const rel = relative(cfg.projectDir, file).replace(/\\/g, '/');
  const mask = (line: string) => {
    const m = PREFIX.exec(line);
    const key = m ? m[1].replace(/^\s*(?:export\s+)?/, '').replace(/\s*=\s*$/, '') : '';
    return m && isSecret(key) && m[2] !== '' ? `${m[1]}${MASK}` : redact(line);
  };
  const diff = unifiedDiff(splitLines(before), splitLines(after), { fromFile: `a/${rel}`, toFile: `b/${rel}`, mask });
  const change: ConfigChange = {
    app: basename(file), path: file, action: before === after ? 'Unchanged' : 'Update', diff: diff.text,
    linesAdded: diff.added, linesRemoved: diff.removed, template: '', check: `validated with the new value${changes.length > 1 ? 's' : ''}`, whatIf,
  };
  if (whatIf || before === after) return change;
  const names = [...new Set(changes.map((c) => c.name))].join(', ');
  const backup = await createBackup(cfg, ctx, {
    description: `Before Set-WoosooConfig ${names}`, includeDatabase: false, includeFiles: false, extraFiles: [file], creator: 'Set-WoosooConfig', keys,
  });
  await writeFileAtomic(file, after, { secret: true }, ctx);
  ctx.log('verbose', `${names} set in ${file} (the file as it was is in backup ${backup.id}).`);
  return { ...change, backupId: backup.id };
}
