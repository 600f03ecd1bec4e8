// {{dotenv}} quoting, checked against the real readers: phpdotenv 5 (Debian's php-vlucas-phpdotenv, what Laravel
// uses), Node's own parser (util.parseEnv, as --env-file), and the parse rule of the npm dotenv package (v16's LINE
// regex and unquoting, copied verbatim because the package is not installed here).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dotenvQuote, nginxString, UnquotableValue } from '../../core/sync/quote';
import { parseDotenv } from '../../core/config/dotenv';
import { hasTool, skipUnless } from '../harness/tools';

const NASTY: Record<string, string> = {
  EMPTY: '',
  PLAIN: 'woosoo',
  BASE64: 'base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=',
  URL: 'http://192.168.1.50:8088/api?x=1&y=2',
  SPACES: 'Woosoo  Demo ',
  LEADING: '  padded',
  HASH: 'pa#ss',
  SPACE_HASH: 'a #not a comment',
  DOLLAR: 'p$ss${HOME}$',
  DQUOTE: 'say "hi"',
  BACKSLASH: 'C:\\woosoo\\new\\table',
  BACKSLASH_N: 'a\\nb',
  SQUOTE: "it's",
  SQUOTE_HASH: "it's #1 = ok",
  NEWLINE: 'line one\nline two',
  NEWLINE_SQUOTE: "it's\ntwo lines",
  TAB: 'a\tb',
  UNICODE: 'Crème brûlée – 日本',
  EQUALS: 'a=b==',
  MIXED: `p@ss w0rd!#$%^&*()[]{};:,.<>/?|~\`"\\`,
};

const file = Object.entries(NASTY).map(([k, v]) => `${k}=${dotenvQuote(v)}`).join('\n') + '\n';

/** npm dotenv 16.x parse(), verbatim in substance (lib/main.js). */
function npmDotenvParse(src: string): Record<string, string> {
  const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg;
  const obj: Record<string, string> = {};
  const lines = src.replace(/\r\n?/mg, '\n');
  let match;
  while ((match = LINE.exec(lines)) != null) {
    const key = match[1];
    let value = (match[2] || '').trim();
    const maybeQuote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2');
    if (maybeQuote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    obj[key] = value;
  }
  return obj;
}

describe('dotenvQuote', () => {
  it('keeps simple values bare and quotes the rest', () => {
    expect(dotenvQuote('woosoo')).toBe('woosoo');
    expect(dotenvQuote('')).toBe('');
    expect(dotenvQuote('a b')).toBe("'a b'");
    expect(dotenvQuote("it's")).toBe('"it\'s"');
    expect(dotenvQuote('x\ny')).toBe('"x\\ny"');
  });

  it('Node util.parseEnv reads every value back exactly', () => {
    expect(parseEnv(file)).toEqual(NASTY);
  });

  it('the npm dotenv parse rule reads every value back exactly', () => {
    expect(npmDotenvParse(file)).toEqual(NASTY);
  });

  it('Woosoo\'s own dotenv parser reads every value back exactly', () => {
    const parsed = parseDotenv(file);
    expect(parsed.problems).toEqual([]);
    expect(Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]))).toEqual(NASTY);
  });

  const phpReason = !hasTool('php') ? 'php missing (run bash scripts/setup.sh)' : !existsSync('/usr/share/php/Dotenv/autoload.php') ? 'phpdotenv missing: apt-get install php-vlucas-phpdotenv (pulled in by php-laravel-framework)' : '';
  it.skipIf(skipUnless(!phpReason, phpReason))('real phpdotenv (Dotenv::parse, what Laravel loads) reads every value back exactly', () => {
    const php = "require '/usr/share/php/Dotenv/autoload.php'; echo json_encode(Dotenv\\Dotenv::parse(stream_get_contents(STDIN)));";
    const out = execFileSync('php', ['-r', php], { input: file, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(NASTY);
  });

  it.skipIf(skipUnless(!phpReason, phpReason))('real phpdotenv through Dotenv::createImmutable (the file loader Laravel uses) agrees too', () => {
    const php = [
      "require '/usr/share/php/Dotenv/autoload.php';",
      '$d = sys_get_temp_dir() . "/woosoo-pd-" . getmypid(); @mkdir($d); file_put_contents("$d/.env", stream_get_contents(STDIN));',
      '$r = Dotenv\\Repository\\RepositoryBuilder::createWithNoAdapters()->addAdapter(Dotenv\\Repository\\Adapter\\ArrayAdapter::class)->immutable()->make();',
      'echo json_encode(Dotenv\\Dotenv::create($r, $d)->load()); unlink("$d/.env"); rmdir($d);',
    ].join(' ');
    const out = execFileSync('php', ['-r', php], { input: file, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(NASTY);
  });

  it('refuses values no quoting can carry to every reader, without showing them', () => {
    for (const v of [`it's "quoted"`, "it's C:\\path", "it's ${HOME}", 'two\nlines "q"', 'cr\r\nlf']) {
      expect(() => dotenvQuote(v)).toThrow(UnquotableValue);
      try {
        dotenvQuote(v);
      } catch (e) {
        expect((e as Error).message).not.toContain(v);
      }
    }
  });
});

describe('nginxString', () => {
  it('uses forward slashes and quotes paths with spaces', () => {
    expect(nginxString('C:\\woosoo\\apps\\pwa')).toBe('C:/woosoo/apps/pwa');
    expect(nginxString('/srv/my app/public')).toBe('"/srv/my app/public"');
    expect(() => nginxString('a"b')).toThrow(UnquotableValue);
  });
});
