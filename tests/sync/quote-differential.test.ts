// What Woosoo writes, read back by the real phpdotenv (Laravel's reader, through php and its file loader): generated
// values (#, quotes, $, ${X}, backslashes, spaces, tabs, =, =", unicode, line breaks) written as Sync writes them
// (dotenvQuote, the {{dotenv}} helper) and as Set-WoosooConfig rewrites a line in its old quoting (dotenvRequote).
// Each is read back exactly by phpdotenv and by Woosoo, or refused with UnquotableValue saying why (never the value).
// Seeded: a failure prints the seed (QUOTE_SEED=<seed> reruns it) and the value.
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../core/config/dotenv';
import { UnquotableValue, dotenvQuote, dotenvRequote } from '../../core/sync/quote';
import { seededRandom } from '../config/random';
import { describePhpdotenv, readWithPhpdotenv } from '../harness/phpdotenv';

const SEED = Number(process.env.QUOTE_SEED ?? 20261204);
const PIECES = ['a', 'Z9', ' ', '\t', '#', ' #', '=', '="', '"', "'", '$', '${X}', '${A.B}', '\\', '\\n', '\\"', '\\\\', '\\$', 'é', '日本', '😀', ':', '/', '@', '%', '+', ',', '.', '-', '(', '{}', '\n'];
const OLD_STYLES = [null, "'old'", '"old"', 'old'];

/** Each generated value with how it is written: the line's text, or the refusal. */
function cases(count: number) {
  const rnd = seededRandom(SEED);
  return Array.from({ length: count }, () => {
    let value = '';
    for (let j = 0, len = rnd.int(7); j < len; j++) value += rnd.pick(PIECES.slice(0, rnd.int(12) === 0 ? PIECES.length : -1));
    const old = rnd.pick(OLD_STYLES);
    try {
      return { value, old, written: old === null ? dotenvQuote(value) : dotenvRequote(old, value) };
    } catch (err) {
      if (!(err instanceof UnquotableValue)) throw err;
      return { value, old, refused: err.message };
    }
  });
}

describePhpdotenv('dotenv writing: the real phpdotenv reads back exactly what Woosoo writes', () => {
  it('2000 generated values: written and read back exactly (phpdotenv and Woosoo), or refused saying why', () => {
    const all = cases(2000);
    const written = all.filter((c) => c.written !== undefined);
    // One file a value, with a key on each side, so a line that swallows its neighbours shows.
    const files = written.map((c) => `BEFORE=1\nK=${c.written}\nAFTER=2\n`);
    const php = readWithPhpdotenv(files);
    const bad = written.flatMap((c, i) => {
      const want = { BEFORE: '1', K: c.value, AFTER: '2' };
      const ours = Object.fromEntries(parseDotenv(files[i]).entries.map((e) => [e.key, e.value]));
      const p = php[i];
      return 'values' in p && JSON.stringify(p.values) === JSON.stringify(want) && JSON.stringify(ours) === JSON.stringify(want)
        ? [] : [`seed ${SEED} (QUOTE_SEED=${SEED} reruns it): value ${JSON.stringify(c.value)} written as ${JSON.stringify(c.written)}: phpdotenv ${JSON.stringify(p)}, Woosoo ${JSON.stringify(ours)}`];
    });
    expect(bad.slice(0, 5)).toEqual([]);
    const refused = all.filter((c) => c.refused !== undefined);
    expect(refused.filter((c) => c.value.length > 3 && c.refused!.includes(c.value))).toEqual([]);
    expect(refused.every((c) => /cannot be written/.test(c.refused!))).toBe(true);
    // Both outcomes happen, the quoted ones included.
    expect(written.length).toBeGreaterThan(1000);
    expect(written.filter((c) => c.written!.startsWith('"')).length).toBeGreaterThan(50);
    expect(refused.length).toBeGreaterThan(50);
  });
});

describe('dotenv writing: the values phpdotenv would misread', () => {
  it('refuses =" in single quotes (phpdotenv takes the line for a multi-line value and drops the lines after it)', () => {
    // Written as 'a="b' before: phpdotenv then read neither it nor any line below it.
    expect(() => dotenvQuote('a="b')).toThrow(UnquotableValue);
    expect(() => dotenvRequote("'old'", 'x="y')).toThrow(UnquotableValue);
    expect(dotenvQuote('a="b"')).toBe(`'a="b"'`); // two quotes close it: read as written
    expect(dotenvRequote("'old'", 'p@ss #1')).toBe("'p@ss #1'");
    expect(dotenvRequote('"old"', "it's")).toBe('"it\'s"');
  });

  it('refuses a value that is not valid Unicode text (the file would hold U+FFFD instead)', () => {
    expect(() => dotenvQuote('half \uD800 pair')).toThrow(/not valid Unicode/);
  });
});
