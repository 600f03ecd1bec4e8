/**
 * Which values of an app's .env are secrets. A secret key's value in the real .env (or rendered from
 * deployment.config.env) is; the same key's placeholder in the app's .env.example (REVERB_APP_KEY=woosoo-key,
 * change-me) is not, wherever it appears: masking it would mangle every path and message holding the word.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ProjectConfig } from '../config';
import { looksSecret } from '../util/redact';
import { scanEntries, splitLines } from './envmerge';

export interface SecretEntry {
  key: string;
  /** The value, and each line of a multi-line value (a diff shows it line by line). */
  values: string[];
}

/** The entries of a dotenv text whose key is secret (declared secret, or named like one). */
export function secretEntries(cfg: ProjectConfig, text: string): SecretEntry[] {
  const lines = splitLines(text);
  return scanEntries(lines).filter((span) => cfg.isSecret(span.key) || looksSecret(span.key)).map((span) => ({
    key: span.key,
    values: [
      lines.slice(span.start, span.end + 1).join('\n').replace(/^[^=]*=\s*/, '').replace(/^(['"])([\s\S]*)\1\s*$/, '$2'),
      ...lines.slice(span.start + 1, span.end + 1).map((l) => l.trim()),
    ],
  }));
}

/** The secret keys' placeholders of a .env.example; none when it is missing or unreadable (it is only a hint). */
export function placeholders(cfg: ProjectConfig, examplePath: string): Set<string> {
  try {
    if (!existsSync(examplePath)) return new Set();
    return new Set(secretEntries(cfg, readFileSync(examplePath, 'utf8')).flatMap((e) => e.values.map((v) => `${e.key}=${v}`)));
  } catch {
    return new Set();
  }
}

/** The secret values of a real .env or a rendered one (to be masked from now on), except the example's placeholders. */
export function secretValuesOf(cfg: ProjectConfig, text: string, skip: ReadonlySet<string> = new Set()): string[] {
  return secretEntries(cfg, text).flatMap((e) => e.values.filter((v) => !skip.has(`${e.key}=${v}`)));
}
