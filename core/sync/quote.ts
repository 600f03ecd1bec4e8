/**
 * Writing values so that every reader gets back exactly the value: dotenv lines read by phpdotenv 5 (Laravel),
 * Node's dotenv and Node's own parser (util.parseEnv / --env-file), and strings inside nginx.conf.
 *
 * dotenv, the three readers agree only on this:
 * - bare:           letters, digits and _ . , : / @ + = % - (no spaces, #, quotes, $, backslashes);
 * - single quotes:  everything literally ($, #, ", \, spaces) but not ' and not a line break (phpdotenv has no
 *                   multi-line single quotes);
 * - double quotes:  for values with ' or line breaks; \n is the only escape all three decode, and phpdotenv
 *                   reads ${NAME} and \ as syntax there while Node keeps them, so " \ ${ and CR cannot go in.
 * A value that fits none of them is refused (it would be read back differently) instead of being mangled.
 */
export class UnquotableValue extends Error {}

const BARE = /^[A-Za-z0-9_.,:/@+=%-]+$/;

export function dotenvQuote(value: string): string {
  if (value === '') return '';
  if (BARE.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  if (/["\\\r]/.test(value) || value.includes('${')) {
    throw new UnquotableValue(
      'the value cannot be written so that phpdotenv and Node\'s dotenv both read it back: it holds a single quote or a line break ' +
        'together with a double quote, a backslash, "${" or a carriage return',
    );
  }
  return `"${value.replace(/\n/g, '\\n')}"`;
}

/** A path or word in nginx.conf: forward slashes (nginx on Windows accepts them), quoted when it has spaces. */
export function nginxString(value: string): string {
  const v = value.replace(/\\/g, '/');
  if (/["\r\n]/.test(v)) throw new UnquotableValue('a value for nginx.conf may not contain double quotes or line breaks');
  return /[\s;{}'#]/.test(v) || v === '' ? `"${v}"` : v;
}
