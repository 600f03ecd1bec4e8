/**
 * How Laravel reads a .env file: a port of phpdotenv 5.4 (Debian's php-vlucas-phpdotenv, which Laravel 8 loads through
 * Dotenv::create(...)->safeLoad()), step for step, so that Woosoo reads an app's .env exactly as the app will.
 * `tests/config/dotenv-differential.test.ts` holds it against the real phpdotenv through php.
 *
 * What phpdotenv does, in its order:
 * 1. The file loader drops a UTF-8 byte order mark; lines split at CRLF, LF or CR.
 * 2. Lines::process joins multi-line values: a line that holds `="` anywhere (a comment too, or inside single quotes)
 *    and fewer than two `"` not preceded by a backslash (after removing `\\` pairs) opens one; it ends at the next
 *    line with such a `"`. One never closed drops every line from it to the end, silently. Blank and # lines drop.
 * 3. Each entry splits at its first `=`, both sides trimmed (space, tab, CR, LF, NUL, VT). The name may carry
 *    `export ` (only when the name is longer than 8 characters then), may be quoted, and is [A-Za-z0-9_.]+.
 * 4. The value is lexed and read by a state machine: unquoted (ends at `#` or whitespace, whitespace followed by
 *    anything but a comment is refused), single quotes (literal), double quotes (\" \\ \$ \f \n \r \t \v, any other
 *    backslash is refused). After a closing quote only whitespace or a comment may follow.
 * 5. `${NAME}` at a `$` outside single quotes takes NAME's value set above it ([A-Za-z0-9_.]+), or stays as written.
 *    A name without `=` unsets the key.
 * phpdotenv refuses the whole file at its first bad entry (Laravel does not start); this reading goes on past each
 * refused entry and lists them all, so one run shows every line to fix.
 * Not modelled: variables of the process environment (Laravel's repository is immutable: a variable set outside wins
 * over the file and `${HOME}` reads it); Woosoo cannot know the app's environment when it reads the file.
 */
export interface PhpdotenvEntry {
  key: string;
  /** The value Laravel gets; null for a bare name, which unsets the key. */
  value: string | null;
  /** 1-based first and last line of the entry (a double-quoted value may span lines). */
  line: number;
  endLine: number;
  quote: 'none' | 'single' | 'double';
  /** The unquoted value ended at a # right after it (no space before): `p@ss#1` is `p@ss`. */
  cutAtHash: boolean;
}

export interface PhpdotenvRefusal {
  line: number;
  endLine: number;
  /** Why, in words that never show the value (phpdotenv's own message quotes it). */
  why: string;
  /** The key, when the name was good and the value is what phpdotenv refuses. */
  key?: string;
}

export interface PhpdotenvReading {
  entries: PhpdotenvEntry[];
  refusals: PhpdotenvRefusal[];
  /** A multi-line value never closed: phpdotenv ignores these lines (1-based, to the end of the file). */
  dropped: { line: number; endLine: number } | null;
  /** Every run of lines phpdotenv joined into one (a comment's too), and the dropped run. */
  joined: { line: number; endLine: number }[];
}

const SPACE = ' \t\n\v\f\r'; // ctype_space and PCRE's \s (no /u flag)
const TRIM = ' \t\n\r\0\v'; // PHP's trim()

function phpTrim(s: string, left = true, right = true): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && TRIM.includes(s[a])) a++;
  while (right && b > a && TRIM.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** Lines::looksLikeMultilineStop. */
function closesQuote(line: string, started: boolean): boolean {
  if (line === '"') return true;
  const s = line.split('\\\\').join('');
  let count = 0;
  for (let p = 0; p + 1 < s.length; p++) if (s[p + 1] === '"' && s[p] !== '\\') count++;
  return started ? count > 1 : count >= 1;
}

/** Whether phpdotenv takes the line for the start of a multi-line value (Lines::looksLikeMultilineStart). */
export function opensMultilineValue(line: string): boolean {
  return line.includes('="') && !closesQuote(line, true);
}

/** Lines::process: the entries' texts with their lines, and the lines a never-closed value drops. */
function groupLines(lines: string[]): Pick<PhpdotenvReading, 'dropped' | 'joined'> & { raw: { text: string; line: number; endLine: number }[] } {
  const raw: { text: string; line: number; endLine: number }[] = [];
  const joined: PhpdotenvReading['joined'] = [];
  let buffer: string[] = [];
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i];
    const started = opensMultilineValue(text);
    if (started && buffer.length === 0) from = i;
    const multiline = started || buffer.length > 0;
    let open = multiline;
    if (multiline) {
      buffer.push(text);
      if (closesQuote(text, started)) {
        open = false;
        text = buffer.join('\n');
        buffer = [];
      }
    }
    if (multiline && !open) joined.push({ line: from + 1, endLine: i + 1 });
    const trimmed = phpTrim(text);
    if (!open && trimmed !== '' && trimmed[0] !== '#') raw.push({ text, line: (multiline ? from : i) + 1, endLine: i + 1 });
  }
  const last = lines.length - (lines[lines.length - 1] === '' ? 1 : 0); // the empty "line" after a final line break
  const dropped = buffer.length > 0 ? { line: from + 1, endLine: Math.max(last, from + 1) } : null;
  return { raw, dropped, joined: dropped ? [...joined, dropped] : joined };
}

const TOKEN = /[\r\n]+|[\t\v\f ]+|\\|'|"|#|\$|[^\t\n\v\f\r \\'"#$]+/y;

function* lex(value: string): Generator<string> {
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < value.length) yield (TOKEN.exec(value) as RegExpExecArray)[0];
}

const isSpace = (t: string) => t.length > 0 && [...t].every((c) => SPACE.includes(c));
const ESCAPES: Record<string, string> = { f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
type State = 'initial' | 'unquoted' | 'single' | 'double' | 'escape' | 'whitespace' | 'comment';

/** EntryParser::parseValue: the characters, where each `$` that may start a reference stands, or why phpdotenv refuses. */
function parseValue(value: string, key: string): { chars: string; vars: number[]; cutAtHash: boolean } | { error: string } {
  let chars = '';
  const vars: number[] = [];
  let state: State = 'initial';
  let cutAtHash = false;
  for (const t of lex(value)) {
    if ((state === 'initial' || state === 'unquoted' || state === 'double') && t === '$') {
      vars.push(chars.length);
      chars += t;
      if (state === 'initial') state = 'unquoted';
      continue;
    }
    switch (state) {
      case 'initial':
        if (t === "'") state = 'single';
        else if (t === '"') state = 'double';
        else if (t === '#') state = 'comment';
        else [chars, state] = [chars + t, 'unquoted'];
        break;
      case 'unquoted':
        if (t === '#') [cutAtHash, state] = [true, 'comment'];
        else if (isSpace(t)) state = 'whitespace';
        else chars += t;
        break;
      case 'single':
        if (t === "'") state = 'whitespace';
        else chars += t;
        break;
      case 'double':
        if (t === '"') state = 'whitespace';
        else if (t === '\\') state = 'escape';
        else chars += t;
        break;
      case 'escape':
        if (t === '"' || t === '\\' || t === '$') chars += t;
        else if (ESCAPES[t[0]] !== undefined) chars += ESCAPES[t[0]] + t.slice(1);
        else return { error: `a backslash in the double-quoted value of ${key} stands before a character phpdotenv does not unescape (it knows \\" \\\\ \\$ \\f \\n \\r \\t \\v; a backslash itself is \\\\)` };
        state = 'double';
        break;
      case 'whitespace':
        if (t === '#') state = 'comment';
        else if (!isSpace(t)) {
          return { error: /^['"]/.test(value) ? `text follows the closing quote of ${key}` : `the unquoted value of ${key} contains whitespace` };
        }
        break;
      case 'comment':
        break;
    }
  }
  if (state === 'single' || state === 'double' || state === 'escape') {
    return { error: `the ${state === 'single' ? 'single' : 'double'}-quoted value of ${key} is never closed${state === 'single' ? ' (phpdotenv\'s single quotes do not span lines)' : ''}` };
  }
  return { chars, vars, cutAtHash };
}

/** EntryParser::parseName. */
function parseName(name: string): string | null {
  let n = name;
  if ([...n].length > 8 && n.startsWith('export') && SPACE.includes(n[6])) n = phpTrim(n.slice(6), true, false);
  if ([...n].length >= 3 && (n[0] === '"' || n[0] === "'") && n[n.length - 1] === n[0]) n = n.slice(1, -1);
  return /^[a-zA-Z0-9_.]+$/.test(n) ? n : null;
}

/** Resolver::resolve: the references, the last one first, each from the keys set above. */
function resolve(chars: string, vars: number[], known: Map<string, string>): string {
  let s = chars;
  for (const i of [...vars].sort((a, b) => b - a)) {
    s = s.slice(0, i) + s.slice(i).replace(/^\$\{([a-zA-Z0-9_.]+)\}/, (m, name: string) => known.get(name) ?? m);
  }
  return s;
}

export function readLikePhpdotenv(text: string): PhpdotenvReading {
  const { raw, dropped, joined } = groupLines(text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/));
  const entries: PhpdotenvEntry[] = [];
  const refusals: PhpdotenvRefusal[] = [];
  const known = new Map<string, string>();
  for (const { text: entry, line, endLine } of raw) {
    const eq = entry.indexOf('=');
    const [name, value] = eq < 0 ? [entry, null] : [phpTrim(entry.slice(0, eq)), phpTrim(entry.slice(eq + 1))];
    if (name === '') {
      refusals.push({ line, endLine, why: 'the line has no name before its =' });
      continue;
    }
    const key = parseName(name);
    if (key === null) {
      const shown = eq < 0 ? 'a line without = that is not a name' : `"${name.length > 40 ? `${name.slice(0, 40)}…` : name}" is not a name`;
      const why = /^export\s/.test(name) ? ' (phpdotenv takes `export ` only before a name of two characters or more)' : ' (letters, digits, _ and .)';
      refusals.push({ line, endLine, why: `${shown}${why}` });
      continue;
    }
    if (value === null) {
      known.delete(key);
      entries.push({ key, value: null, line, endLine, quote: 'none', cutAtHash: false });
      continue;
    }
    const parsed = parseValue(value, key);
    if ('error' in parsed) {
      refusals.push({ line, endLine, why: parsed.error, key });
      continue;
    }
    const resolved = resolve(parsed.chars, parsed.vars, known);
    known.set(key, resolved);
    const quote = value[0] === "'" ? 'single' : value[0] === '"' ? 'double' : 'none';
    entries.push({ key, value: resolved, line, endLine, quote, cutAtHash: parsed.cutAtHash });
  }
  return { entries, refusals, dropped, joined };
}

/** The values Laravel ends up with: the last line of each key wins; a bare name unsets it. */
export function phpdotenvValues(reading: PhpdotenvReading): Map<string, string> {
  const values = new Map<string, string>();
  for (const e of reading.entries) {
    if (e.value === null) values.delete(e.key);
    else values.set(e.key, e.value);
  }
  return values;
}
