/**
 * Set-WoosooConfig: one key of deployment.config.env edited in place. The key's line is replaced (its indentation,
 * `export` and quoting style kept when the new value allows them); a key not in the file is appended. Every other
 * line — comments, order, blank lines, line ends — stays byte for byte. The whole configuration is validated with
 * the new value first: a value that brings an Error the file did not have is refused with the problems, and the file
 * is not touched. Otherwise the old file is backed up, then replaced atomically. The value of a secret key is
 * registered as a secret before anything is shown, so the diff and the messages mask it.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createBackup } from '../backup';
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
import { UnquotableValue, dotenvQuote } from './quote';

const PREFIX = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*)(.*)$/;

/** The value written as the old line wrote its value when that reads back the same (single or double quotes), else dotenvQuote. */
function quoteLike(old: string, value: string): string {
  if (old.startsWith("'") && !/['\r\n]/.test(value)) return `'${value}'`;
  if (old.startsWith('"') && !/["\\\r\n$]/.test(value)) return `"${value}"`;
  return dotenvQuote(value);
}

function closest(name: string): string | undefined {
  const up = name.toUpperCase();
  return [...KEYS.keys()].find((k) => k === up || k.replace(/_/g, '') === up.replace(/_/g, ''));
}

export async function setConfigValue(cfg: ProjectConfig, ctx: RequestContext, name: string, value: string, whatIf: boolean): Promise<ConfigChange> {
  const file = cfg.location.file;
  if (!isKeyName(name)) {
    const guess = closest(name);
    throw new WoosooError('ConfigKeyUnknown', `${name} is not a Woosoo setting; ${cfg.location.file} was not changed.`, {
      category: 'InvalidArgument', target: name, fix: guess ? `Did you mean ${guess}?` : 'Get-WoosooConfig lists the keys (docs/configuration.md describes each).',
    });
  }
  const secret = cfg.isSecret(name) || looksSecret(name);
  if (secret && value !== '') ctx.registerSecrets([value]);
  const before = readFileSync(file, 'utf8');
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(before);
  const span = scanEntries(lines).filter((s) => s.key === name).pop();
  let written: string;
  try {
    if (span) {
      const m = PREFIX.exec(lines[span.start]) as RegExpExecArray;
      written = `${m[1]}${quoteLike(m[2], value)}`;
      lines.splice(span.start, span.end - span.start + 1, written);
    } else {
      written = `${name}=${dotenvQuote(value)}`;
      lines.push(written);
    }
  } catch (err) {
    if (!(err instanceof UnquotableValue)) throw err;
    throw new WoosooError('ConfigValueUnwritable', `${name}: ${err.message}; ${file} was not changed.`, {
      category: 'InvalidArgument', target: name, fix: 'Use a value without that combination of characters.',
    });
  }
  const after = `${lines.join(eol)}${eol}`;

  // The whole file with the new value, validated: only problems it did not have before refuse it.
  const old = validateConfig(cfg).filter((p) => p.severity === 'Error').map((p) => `${p.rule} ${p.key}`);
  const next = validateConfig(parseConfig(cfg.location, after)).filter((p) => p.severity === 'Error' && !old.includes(`${p.rule} ${p.key}`));
  if (next.length > 0) {
    throw new WoosooError('ConfigValueInvalid', `${name}=${secret ? MASK : redact(value)} was refused; ${file} was not changed:\n${next.map((p) => `  - ${p.message} Fix: ${p.fix}`).join('\n')}`, {
      category: 'InvalidArgument', target: name, fix: next[0].fix,
    });
  }

  const rel = relative(cfg.projectDir, file).replace(/\\/g, '/');
  const mask = (line: string) => {
    const m = PREFIX.exec(line);
    const key = m ? m[1].replace(/^\s*(?:export\s+)?/, '').replace(/\s*=\s*$/, '') : '';
    return m && (cfg.isSecret(key) || looksSecret(key)) && m[2] !== '' ? `${m[1]}${MASK}` : redact(line);
  };
  const diff = unifiedDiff(splitLines(before), splitLines(after), { fromFile: `a/${rel}`, toFile: `b/${rel}`, mask });
  const change: ConfigChange = {
    app: 'deployment.config.env', path: file, action: before === after ? 'Unchanged' : 'Update', diff: diff.text,
    linesAdded: diff.added, linesRemoved: diff.removed, template: '', check: 'validated with the new value', whatIf,
  };
  if (whatIf || before === after) return change;
  const backup = await createBackup(cfg, ctx, {
    description: `Before Set-WoosooConfig ${name}`, includeDatabase: false, includeFiles: false, extraFiles: [file], creator: 'Set-WoosooConfig',
  });
  await writeFileAtomic(file, after, { secret: true }, ctx);
  ctx.log('verbose', `${name} set in ${file} (the file as it was is in backup ${backup.id}).`);
  return { ...change, backupId: backup.id };
}
