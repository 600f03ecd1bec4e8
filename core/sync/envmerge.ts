/**
 * Merging a rendered .env into an app's existing .env without clobbering it: the keys the template manages are
 * updated where they stand (every occurrence), new managed keys are appended in the template's order, and every
 * other line — keys the template does not manage (Laravel's APP_KEY), comments, blank lines, order, line endings —
 * stays exactly as it was. A managed line whose value already reads back the same is left untouched too.
 * The app's .env is read as Laravel reads it (core/config/phpdotenv.ts): its lines grouped as phpdotenv groups them,
 * what phpdotenv accepts accepted, and a managed line phpdotenv refuses replaced (its value counts as unset).
 */
import { randomBytes } from 'node:crypto';
import { parseDotenv, readQuoted } from '../config/dotenv';
import { readLikePhpdotenv } from '../config/phpdotenv';

export interface EnvSpan {
  key: string;
  /** 0-based first and last line of the entry (a double-quoted value may span lines). */
  start: number;
  end: number;
}

export interface EnvSyntaxProblem {
  line: number;
  message: string;
}

const ENTRY_RE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=[ \t]*(.*)$/;

export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Where each entry of a dotenv text starts and ends (all occurrences, in file order). */
export function scanEntries(lines: string[]): EnvSpan[] {
  const spans: EnvSpan[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ENTRY_RE.exec(lines[i]);
    if (!m) continue;
    const rest = m[2];
    let end = i;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const found = readQuoted(lines, i, rest.slice(1), rest[0]);
      if (found) end = found.endLine;
    }
    spans.push({ key: m[1], start: i, end });
    i = end;
  }
  return spans;
}

/** Where each entry starts and ends as phpdotenv reads the text, refused entries with a good name included. */
function scanAsLaravel(lines: string[]): EnvSpan[] {
  const php = readLikePhpdotenv(lines.join('\n'));
  return [...php.entries, ...php.refusals.filter((r) => r.key !== undefined)]
    .sort((a, b) => a.line - b.line)
    .map((e) => ({ key: e.key as string, start: e.line - 1, end: e.endLine - 1 }));
}

/** Problems that make an app's .env unsafe to merge into: a value never closed, which Laravel drops to the end. */
export function dotenvSyntaxProblems(text: string): EnvSyntaxProblem[] {
  return parseDotenv(text, { as: 'laravel' }).problems.map((p) => ({ line: p.line, message: p.message }));
}

/** What to tell about an app's .env as Laravel reads it: each line phpdotenv refuses or cuts at a #. */
export function laravelReadingWarnings(text: string): string[] {
  const read = parseDotenv(text, { as: 'laravel' });
  return [
    ...read.phpdotenvRefuses.map((r) => `line ${r.line}: Laravel's phpdotenv refuses this file (${r.why}); Laravel does not start until that line is corrected.`),
    ...read.cutAtHash.map((c) => `line ${c.line}: the unquoted value of ${c.key} ends at the # in it, as Laravel reads it; quote it if the # belongs to the value.`),
  ];
}

export interface MergeResult {
  text: string;
  /** Managed keys whose lines were replaced or appended. */
  changedKeys: string[];
}

/** Values as Laravel sees them: the last occurrence of each key. */
function values(text: string): Map<string, string> {
  return new Map(parseDotenv(text, { as: 'laravel' }).entries.map((e) => [e.key, e.value]));
}

export function mergeDotenv(existing: string | null, rendered: string): MergeResult {
  const rLines = splitLines(rendered);
  const blocks = new Map<string, string[]>();
  for (const s of scanEntries(rLines)) blocks.set(s.key, rLines.slice(s.start, s.end + 1));
  if (existing === null) {
    return { text: rLines.length ? `${rLines.join('\n')}\n` : '', changedKeys: [...blocks.keys()] };
  }

  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(existing.replace(/^\uFEFF/, ''));
  const bom = existing.startsWith('\uFEFF') ? '\uFEFF' : '';
  const oldValues = values(existing);
  const newValues = values(rendered);
  const changed = new Set<string>();
  const seen = new Set<string>();
  const out: string[] = [];
  let next = 0;
  for (const span of scanAsLaravel(lines)) {
    out.push(...lines.slice(next, span.start));
    next = span.end + 1;
    const block = blocks.get(span.key);
    seen.add(span.key);
    if (block && oldValues.get(span.key) !== newValues.get(span.key)) {
      out.push(...block);
      changed.add(span.key);
    } else {
      out.push(...lines.slice(span.start, span.end + 1));
    }
  }
  out.push(...lines.slice(next));

  const missing = [...blocks.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0 && out.length > 0 && out[out.length - 1].trim() !== '') out.push('');
  for (const key of missing) {
    out.push(...blocks.get(key)!);
    changed.add(key);
  }
  if (changed.size === 0) return { text: existing, changedKeys: [] };
  const text = out.length ? `${bom}${out.join(eol)}${eol}` : '';
  return { text, changedKeys: [...changed] };
}

/**
 * A Laravel .env without a usable APP_KEY gets one, as `php artisan key:generate` writes it (base64: and 32 random
 * bytes from the CSPRNG): without it the app cannot encrypt sessions or cookies. An empty APP_KEY= line is filled in
 * place, a missing one goes after APP_NAME (else at the end). A key that is set is never touched. Returns the text and
 * the new key (null when none was needed), which the caller registers as a secret before anything is logged.
 */
export function withAppKey(text: string): { text: string; generated: string | null } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s*(?:export\s+)?APP_KEY\s*=/.test(l));
  const value = at >= 0 ? lines[at].replace(/^\s*(?:export\s+)?APP_KEY\s*=\s*/, '').replace(/\r$/, '').trim().replace(/^(['"])(.*)\1$/, '$2') : '';
  if (value !== '') return { text, generated: null };
  const key = `base64:${randomBytes(32).toString('base64')}`;
  const eol = text.includes('\r\n') ? '\r' : '';
  if (at >= 0) lines[at] = `APP_KEY=${key}${eol}`;
  else {
    const name = lines.findIndex((l) => /^\s*APP_NAME\s*=/.test(l));
    lines.splice(name >= 0 ? name + 1 : Math.max(lines.length - (lines[lines.length - 1] === '' ? 1 : 0), 0), 0, `APP_KEY=${key}${eol}`);
  }
  return { text: lines.join('\n'), generated: key };
}
