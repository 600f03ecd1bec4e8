/**
 * Reading dotenv files, two ways:
 * - as Woosoo reads deployment.config.env (the default): comments, blank lines, `export `, single quotes (literal),
 *   double quotes (escapes \n \r \t \f \v \" \\ \$, may span lines), unquoted values ending at a `#` (`a#b` is `a`),
 *   values containing `=`, `${KEY}` references to keys defined above, CRLF/CR line endings and a UTF-8 BOM. Stricter
 *   than phpdotenv on names and on lines without `=` (problems, whose messages say what phpdotenv would do); where it
 *   reads what phpdotenv refuses or reads otherwise, that is listed (phpdotenvRefuses, phpdotenvDiffers).
 * - as Laravel reads an app's .env (`{ as: 'laravel' }`): exactly phpdotenv's reading (./phpdotenv.ts), what it
 *   refuses listed; the one problem is a multi-line value never closed (phpdotenv silently drops the lines after it).
 * It never throws: problems come back with their line numbers.
 * Kept by hand, not the dotenv package: that one returns values only, and Woosoo needs each key's line (for the
 * errors, Test-WoosooConfig and the sync's merge that keeps the apps' own lines) and every problem, not a skip.
 */
import { phpdotenvValues, readLikePhpdotenv, type PhpdotenvReading } from './phpdotenv';

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
  quote: 'none' | 'single' | 'double';
}

export interface DotenvProblem {
  line: number;
  message: string;
  fix: string;
}

export interface DotenvParseResult {
  entries: DotenvEntry[];
  problems: DotenvProblem[];
  /** Later duplicates: the last value wins, as in every dotenv loader. */
  duplicates: { key: string; line: number; firstLine: number }[];
  /** Unquoted values cut at a # with no space before it (phpdotenv's reading, which may surprise): keys and lines. */
  cutAtHash: { key: string; line: number }[];
  /** What Laravel's phpdotenv refuses (the whole file then fails to load in Laravel). */
  phpdotenvRefuses: { line: number; why: string }[];
  /** Keys Woosoo reads but phpdotenv reads with another value or not at all (the default reading only). */
  phpdotenvDiffers: { key: string; line: number; why: string }[];
}

export interface DotenvParseOptions {
  /** 'woosoo' (the default): deployment.config.env; 'laravel': an app's .env, exactly as phpdotenv reads it. */
  as?: 'woosoo' | 'laravel';
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function parseDotenv(text: string, options: DotenvParseOptions = {}): DotenvParseResult {
  const php = readLikePhpdotenv(text);
  return options.as === 'laravel' ? asLaravel(php) : besidePhpdotenv(asWoosoo(text), php);
}

function asWoosoo(text: string): DotenvParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  // Insertion-ordered: a later duplicate is deleted and set again, so it moves to the end (the last one wins).
  const byKey = new Map<string, DotenvEntry>();
  const problems: DotenvProblem[] = [];
  const duplicates: DotenvParseResult['duplicates'] = [];
  const cutAtHash: DotenvParseResult['cutAtHash'] = [];
  const seen = new Map<string, number>();
  const values = new Map<string, string>();

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i].trimStart();
    if (raw === '' || raw.startsWith('#')) continue;
    if (/^export\s+/.test(raw)) raw = raw.replace(/^export\s+/, '');
    const eq = raw.indexOf('=');
    if (eq < 0) {
      problems.push({ line: lineNo, message: `expected KEY=VALUE but found "${preview(raw)}"`, fix: 'Write the line as KEY=value, or start it with # to make it a comment.' });
      continue;
    }
    const key = raw.slice(0, eq).trim();
    if (!KEY_RE.test(key)) {
      problems.push({ line: lineNo, message: `"${preview(key)}" is not a valid key name`, fix: 'Key names use letters, digits and underscores and do not start with a digit (e.g. DB_HOST).' });
      continue;
    }
    const rest = raw.slice(eq + 1).replace(/^[ \t]+/, '');
    let value: string;
    let quote: DotenvEntry['quote'] = 'none';

    if (rest.startsWith('"') || rest.startsWith("'")) {
      const q = rest[0];
      quote = q === '"' ? 'double' : 'single';
      const found = readQuoted(lines, i, rest.slice(1), q);
      if (!found) {
        problems.push({ line: lineNo, message: `the ${quote}-quoted value of ${key} is never closed`, fix: `Add the closing ${q} at the end of the value.` });
        break; // Everything after an unclosed quote would be misread.
      }
      i = found.endLine;
      const trailing = found.after.trim();
      if (trailing !== '' && !trailing.startsWith('#')) {
        problems.push({ line: found.endLine + 1, message: `unexpected text after the closing quote of ${key}: "${preview(trailing)}"`, fix: 'Put the whole value inside the quotes, or start the trailing text with # to make it a comment.' });
        continue;
      }
      value = found.body;
    } else {
      // As phpdotenv (Laravel) and Node's dotenv read it: an unquoted value ends at the first #, space before it or
      // not (`p@ss#1` is `p@ss`). Where no space precedes it, that may not be what the writer meant: noted.
      const hash = rest.indexOf('#');
      value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
      if (hash > 0 && !/\s/.test(rest[hash - 1])) cutAtHash.push({ key, line: lineNo });
    }

    if (quote !== 'single') {
      const interpolated = expand(value, values, quote === 'double');
      for (const missing of interpolated.missing) {
        problems.push({ line: lineNo, message: `\${${missing}} in ${key} refers to a key that is not defined above it`, fix: `Define ${missing} before line ${lineNo}, or put the value in single quotes to keep it literal.` });
      }
      value = interpolated.value;
    }

    const first = seen.get(key);
    if (first !== undefined) duplicates.push({ key, line: lineNo, firstLine: first });
    else seen.set(key, lineNo);
    values.set(key, value);
    byKey.delete(key);
    byKey.set(key, { key, value, line: lineNo, quote });
  }
  return { entries: [...byKey.values()], problems, duplicates, cutAtHash, phpdotenvRefuses: [], phpdotenvDiffers: [] };
}

/** phpdotenv's reading as the result: the last line of a key wins, a bare name unsets it. */
function asLaravel(php: PhpdotenvReading): DotenvParseResult {
  const byKey = new Map<string, DotenvEntry>();
  const seen = new Map<string, number>();
  const duplicates: DotenvParseResult['duplicates'] = [];
  for (const e of php.entries) {
    const first = seen.get(e.key);
    if (first !== undefined) duplicates.push({ key: e.key, line: e.line, firstLine: first });
    else seen.set(e.key, e.line);
    byKey.delete(e.key);
    if (e.value !== null) byKey.set(e.key, { key: e.key, value: e.value, line: e.line, quote: e.quote });
  }
  const d = php.dropped;
  const problems = d ? [{
    line: d.line, message: `line ${d.line} opens a double-quoted value (it holds =" and no closing quote) that is never closed: Laravel's phpdotenv ignores lines ${d.line} to ${d.endLine}`,
    fix: `Close the quote on line ${d.line}, or put that value in single quotes without =" in it.`,
  }] : [];
  return {
    entries: [...byKey.values()], problems, duplicates, phpdotenvDiffers: [],
    cutAtHash: php.entries.filter((e) => e.cutAtHash).map((e) => ({ key: e.key, line: e.line })),
    phpdotenvRefuses: php.refusals.map((r) => ({ line: r.line, why: r.why })),
  };
}

/** Woosoo's reading with what phpdotenv does otherwise: refusals, other values, and lines Woosoo rejects. */
function besidePhpdotenv(ours: DotenvParseResult, php: PhpdotenvReading): DotenvParseResult {
  const theirs = phpdotenvValues(php);
  const refusedAt = (line: number) => php.refusals.find((r) => r.line <= line && line <= r.endLine);
  const joinedAt = (line: number) => php.joined.find((j) => j.line <= line && line <= j.endLine && j.line !== j.endLine);
  const problems = ours.problems.map((p) => {
    const e = php.entries.find((x) => x.line === p.line);
    const php5 = refusedAt(p.line) ? 'refuses it too' : e?.value === null ? `would read it as unsetting ${e.key}` : e ? `would accept it and set ${e.key}` : 'would skip it';
    return { ...p, message: `${p.message} (Laravel's phpdotenv ${php5})` };
  });
  const phpdotenvDiffers: DotenvParseResult['phpdotenvDiffers'] = [];
  for (const e of ours.entries) {
    if (theirs.get(e.key) === e.value || refusedAt(e.line)?.key === e.key) continue;
    const j = joinedAt(e.line);
    const why = j === php.dropped && j ? `phpdotenv takes line ${j.line} as the start of a double-quoted value (it holds =" and no closing quote) that is never closed, and ignores lines ${j.line} to ${j.endLine}`
      : j ? `phpdotenv joins lines ${j.line} to ${j.endLine} into one value (line ${j.line} holds =" and no closing quote)`
        : theirs.has(e.key) ? `phpdotenv reads another value for ${e.key}` : `phpdotenv does not set ${e.key}`;
    phpdotenvDiffers.push({ key: e.key, line: e.line, why });
  }
  return { ...ours, problems, phpdotenvRefuses: php.refusals.map((r) => ({ line: r.line, why: r.why })), phpdotenvDiffers };
}

function preview(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Reads a quoted value that may continue over following lines. */
export function readQuoted(lines: string[], startLine: number, first: string, q: string): { body: string; after: string; endLine: number } | null {
  let body = '';
  let text = first;
  for (let ln = startLine; ln < lines.length; ln++) {
    if (ln > startLine) {
      body += '\n';
      text = lines[ln];
    }
    for (let c = 0; c < text.length; c++) {
      const ch = text[c];
      if (q === '"' && ch === '\\' && c + 1 < text.length) {
        body += ch + text[c + 1];
        c++;
        continue;
      }
      if (ch === q) return { body, after: text.slice(c + 1), endLine: ln };
      body += ch;
    }
  }
  return null;
}

/**
 * One pass over a value: `${KEY}` references (keys defined above) and, in double quotes, the escapes
 * \f \n \r \t \v \" \\ \$ (phpdotenv's) — so `\${X}` stays a literal `${X}`.
 */
function expand(value: string, known: Map<string, string>, escapes: boolean): { value: string; missing: string[] } {
  const missing: string[] = [];
  const re = escapes ? /\\([fnrtv"\\$])|\$\{([A-Za-z0-9_.]+)\}/g : /()\$\{([A-Za-z0-9_.]+)\}/g;
  const out = value.replace(re, (m, esc: string | undefined, name: string | undefined) => {
    if (esc) return ({ f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[esc] ?? esc;
    const v = name === undefined ? undefined : known.get(name);
    if (v === undefined) {
      missing.push(name ?? m);
      return m;
    }
    return v;
  });
  return { value: out, missing };
}
