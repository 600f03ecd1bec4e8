/**
 * Writing values so that every reader gets back exactly the value: dotenv lines read by phpdotenv 5 (Laravel),
 * Node's dotenv and Node's own parser (util.parseEnv / --env-file), and strings inside nginx.conf.
 *
 * dotenv, the three readers agree only on this:
 * - bare:           letters, digits and _ . , : / @ + = % - (no spaces, #, quotes, $, backslashes);
 * - single quotes:  everything literally ($, #, ", \, spaces) but not ' and not a line break (phpdotenv has no
 *                   multi-line single quotes), and not =" with fewer than two " in the line (phpdotenv takes such a
 *                   line for the start of a multi-line double-quoted value, whatever its quotes);
 * - double quotes:  for values with ' or line breaks; \n is the only escape all three decode, and phpdotenv
 *                   reads ${NAME} and \ as syntax there while Node keeps them, so " \ ${ and CR cannot go in.
 * A value that fits none of them is refused (it would be read back differently) instead of being mangled. Every
 * line written is read back first with Woosoo's port of phpdotenv and Woosoo's own reader: a value either would
 * read otherwise is refused too, so no rule here can drift from what Laravel reads.
 */
import { parseDotenv } from '../config/dotenv';
import { opensMultilineValue } from '../config/phpdotenv';

export class UnquotableValue extends Error {}

const BARE = /^[A-Za-z0-9_.,:/@+=%-]+$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `written` would not read back as `value` (Laravel's phpdotenv, then Woosoo's reader), or ''. */
function readsBackOtherwise(written: string, value: string): string {
  const text = `K=${written}\n`;
  const laravel = parseDotenv(text, { as: 'laravel' });
  const php = laravel.phpdotenvRefuses[0]?.why ?? laravel.problems[0]?.message;
  if (php !== undefined || laravel.entries[0]?.value !== value) return `Laravel's phpdotenv would ${php ? `refuse it (${php})` : 'read it back differently'}`;
  const ours = parseDotenv(text);
  return ours.problems.length > 0 || ours.entries[0]?.value !== value ? 'Woosoo would read it back differently' : '';
}

function quoted(value: string): string {
  if (value === '') return '';
  if (LONE_SURROGATE.test(value)) throw new UnquotableValue('the value is not valid Unicode text (it holds half of a surrogate pair)');
  if (BARE.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value) && !opensMultilineValue(`K='${value}'`)) return `'${value}'`;
  if (/["\\\r]/.test(value) || value.includes('${')) {
    throw new UnquotableValue(
      'the value cannot be written so that phpdotenv and Node\'s dotenv both read it back: it holds a single quote, a line break ' +
        'or =" together with a double quote, a backslash, "${" or a carriage return',
    );
  }
  return `"${value.replace(/\n/g, '\\n')}"`;
}

/** The value as a dotenv value (what follows `KEY=`), or UnquotableValue saying why it cannot be. */
export function dotenvQuote(value: string): string {
  const written = quoted(value);
  const why = readsBackOtherwise(written, value);
  if (why) throw new UnquotableValue(`the value cannot be written so that it reads back exactly: ${why}`);
  return written;
}

/**
 * The value written in the quoting of the line's old value (`oldRaw`: what followed `KEY=`) when that reads back
 * the same — single or double quotes — else as dotenvQuote writes it. Set-WoosooConfig keeps a line's style this way.
 */
export function dotenvRequote(oldRaw: string, value: string): string {
  const candidate = oldRaw.startsWith("'") && !/['\r\n]/.test(value) ? `'${value}'`
    : oldRaw.startsWith('"') && !/["\\\r\n$]/.test(value) ? `"${value}"` : null;
  return candidate !== null && readsBackOtherwise(candidate, value) === '' ? candidate : dotenvQuote(value);
}

/** A path or word in nginx.conf: forward slashes (nginx on Windows accepts them), quoted when it has spaces. */
export function nginxString(value: string): string {
  const v = value.replace(/\\/g, '/');
  if (/["\r\n]/.test(v)) throw new UnquotableValue('a value for nginx.conf may not contain double quotes or line breaks');
  return /[\s;{}'#]/.test(v) || v === '' ? `"${v}"` : v;
}
