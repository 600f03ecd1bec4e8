// Woosoo's dotenv reading against the real phpdotenv (Laravel's reader, through php and its file loader): generated
// files of random lines — keys good and odd, `export`, no/single/double quotes, #, =, =", escapes (\n \" \\ \$ \f and
// a backslash before a character phpdotenv does not unescape), ${} references defined, undefined and dotted, real
// line breaks inside quotes, comments, LF/CRLF/CR, a byte order mark, whitespace. Read as Laravel (an app's .env) the
// result must be phpdotenv's to the letter; read as deployment.config.env every difference must be reported, never
// silent. Seeded: a failure prints the seed (DOTENV_SEED=<seed> reruns it) and the text.
import { expect, it } from 'vitest';
import { parseDotenv, type DotenvParseResult } from '../../core/config/dotenv';
import { describePhpdotenv, readWithPhpdotenv, type PhpdotenvResult } from '../harness/phpdotenv';
import { seededRandom } from './random';

const SEED = Number(process.env.DOTENV_SEED ?? 20261203);
const FILES = 2500;

const KEYS = ['K1', 'K2', 'K3', 'K4', 'A.B', 'lower_k'];
const ODD_KEYS = ['1K', '"QK"', "'QK'", 'K-1', 'K 1', '', 'éK'];
const PIECES = [
  'a', 'Zz', '7', 'é', '日本', '😀', ' ', '  ', '\t', '#', ' #', '=', '="', '"', "'", '\\', '\\n', '\\"', '\\\\', '\\$',
  '\\x', '\\ ', "\\'", '\\f', '\\t', '$', '${K1}', '${K2}', '${UNDEF}', '${A.B}', '${1K}', '{', '}', '(x)', ':', '/', '@',
];
const TAILS = ['', '', '', ' # note', '#note', ' ', ' x', '\t#'];
const EOLS = ['\n', '\n', '\r\n', '\r'];

function generate(rnd: ReturnType<typeof seededRandom>): string {
  const lines: string[] = [];
  for (let n = 0, count = 1 + rnd.int(5); n < count; n++) {
    const r = rnd.int(20);
    if (r === 0) { lines.push(rnd.pick(['', '   ', '# plain comment', '# a comment with X="y', '  # K1=indented'])); continue; }
    if (r === 1) { lines.push(rnd.pick(['K1', 'NAME_ONLY', '=x', 'export', 'export K'])); continue; }
    let value = '';
    for (let j = 0, len = rnd.int(6); j < len; j++) value += rnd.pick(PIECES);
    const quote = rnd.pick(['', '', "'", '"', '"']);
    if (quote === '"' && rnd.int(8) === 0) value += `\n${rnd.pick(PIECES)}${rnd.pick(PIECES)}`;
    const close = rnd.int(25) === 0 ? '' : quote;
    const key = rnd.int(12) === 0 ? rnd.pick(ODD_KEYS) : rnd.pick(KEYS);
    const prefix = rnd.pick(['', '', '', 'export ', 'export  ', ' ', '\t']);
    const eq = rnd.pick(['=', '=', '=', ' = ', '= ', ' =']);
    lines.push(`${prefix}${key}${eq}${quote}${value}${close}${rnd.pick(TAILS)}`);
  }
  const eol = rnd.pick(EOLS);
  return `${rnd.int(15) === 0 ? '\uFEFF' : ''}${lines.join(eol)}${rnd.int(3) === 0 ? '' : eol}`;
}

const valuesOf = (r: DotenvParseResult) => Object.fromEntries(r.entries.map((e) => [e.key, e.value]));
const setValues = (v: Record<string, string | null>) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null)) as Record<string, string>;

/** Why Woosoo's reading as Laravel differs from phpdotenv's, or '' when it does not. */
function laravelMismatch(php: PhpdotenvResult, ours: DotenvParseResult): string {
  if ('error' in php) return ours.phpdotenvRefuses.length > 0 ? '' : `phpdotenv refuses it (${php.error}), Woosoo lists no refusal`;
  if (ours.phpdotenvRefuses.length > 0) return `phpdotenv reads it, Woosoo says it refuses: ${ours.phpdotenvRefuses[0].why}`;
  const sorted = (v: Record<string, string>) => JSON.stringify(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)));
  const [theirs, mine] = [sorted(setValues(php.values)), sorted(valuesOf(ours))];
  return theirs === mine ? '' : `phpdotenv ${theirs}, Woosoo ${mine}`;
}

/** A key read differently as deployment.config.env and not reported, or '' when every difference is reported. */
function silentDifference(php: PhpdotenvResult, ours: DotenvParseResult): string {
  if ('error' in php) return ours.phpdotenvRefuses.length > 0 ? '' : `phpdotenv refuses it (${php.error}), not reported`;
  const theirs = setValues(php.values);
  const mine = valuesOf(ours);
  for (const key of new Set([...Object.keys(theirs), ...Object.keys(mine)])) {
    if (theirs[key] === mine[key]) continue;
    const reported = ours.problems.length > 0 || ours.phpdotenvDiffers.some((d) => d.key === key);
    if (!reported) return `${key}: phpdotenv ${JSON.stringify(theirs[key])}, Woosoo ${JSON.stringify(mine[key])}, not reported`;
  }
  return '';
}

describePhpdotenv('dotenv: Woosoo against the real phpdotenv, on generated files', () => {
  const rnd = seededRandom(SEED);
  const texts = Array.from({ length: FILES }, () => generate(rnd));
  let php: PhpdotenvResult[] = [];
  const failures = (check: (p: PhpdotenvResult, t: string) => string) => texts
    .map((t, i) => [t, check(php[i], t)] as const)
    .filter(([, why]) => why !== '')
    .slice(0, 5)
    .map(([t, why]) => `seed ${SEED} (DOTENV_SEED=${SEED} reruns it), text ${JSON.stringify(t)}: ${why}`);

  it(`${FILES} files through phpdotenv in one php run`, () => {
    php = readWithPhpdotenv(texts);
    expect(php).toHaveLength(FILES);
    // Both sides are exercised: files phpdotenv refuses and files it reads, many with values.
    expect(php.filter((p) => 'error' in p).length).toBeGreaterThan(FILES / 10);
    expect(php.filter((p) => 'values' in p && Object.keys(p.values).length > 1).length).toBeGreaterThan(FILES / 10);
  });

  it('read as Laravel reads an app\'s .env: phpdotenv\'s values to the letter, and its refusals', () => {
    expect(failures((p, t) => laravelMismatch(p, parseDotenv(t, { as: 'laravel' })))).toEqual([]);
  });

  it('read as deployment.config.env: equal to phpdotenv, or the difference reported', () => {
    expect(failures((p, t) => silentDifference(p, parseDotenv(t)))).toEqual([]);
    const equal = texts.filter((t, i) => silentDifference(php[i], parseDotenv(t)) === '' && laravelMismatch(php[i], parseDotenv(t)) === '');
    expect(equal.length).toBeGreaterThan(FILES / 10);
  });
});

describePhpdotenv('dotenv: issue 15\'s lines against the real phpdotenv', () => {
  it('`foo# comment` and `secret!@#` end at the #, as phpdotenv reads them, and are noted', () => {
    const text = 'FOOO=foo# comment with no space\nSPVAR6=secret!@#\nSPACED=bar # a comment\n';
    expect(readWithPhpdotenv([text])[0]).toEqual({ values: { FOOO: 'foo', SPVAR6: 'secret!@', SPACED: 'bar' } });
    for (const as of ['woosoo', 'laravel'] as const) {
      const ours = parseDotenv(text, { as });
      expect(valuesOf(ours)).toEqual({ FOOO: 'foo', SPVAR6: 'secret!@', SPACED: 'bar' });
      expect(ours.cutAtHash).toEqual([{ key: 'FOOO', line: 1 }, { key: 'SPVAR6', line: 2 }]);
    }
  });
});
