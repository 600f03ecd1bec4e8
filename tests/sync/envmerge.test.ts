// Merging a rendered .env into an existing one: managed keys updated in place, everything else untouched.
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../core/config/dotenv';
import { dotenvSyntaxProblems, laravelReadingWarnings, mergeDotenv, scanEntries, splitLines, withAppKey } from '../../core/sync/envmerge';

const EXISTING = [
  '# Laravel settings kept by hand',
  'APP_NAME="Old Name"',
  'APP_KEY=base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=',
  '',
  '# mail',
  'MAIL_HOST=smtp.example.invalid  # inline comment',
  'DB_PASSWORD="multi',
  'line"',
  'LOG_LEVEL=debug',
  '',
].join('\n');

const RENDERED = ['# managed', 'APP_NAME=\'New Name\'', 'DB_PASSWORD=\'s3cret #x\'', 'DB_HOST=127.0.0.1', 'LOG_LEVEL=debug', ''].join('\n');

const values = (text: string) => Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]));

describe('scanEntries', () => {
  it('finds every entry with its line span, multi-line quoted values included', () => {
    expect(scanEntries(splitLines(EXISTING))).toEqual([
      { key: 'APP_NAME', start: 1, end: 1 },
      { key: 'APP_KEY', start: 2, end: 2 },
      { key: 'MAIL_HOST', start: 5, end: 5 },
      { key: 'DB_PASSWORD', start: 6, end: 7 },
      { key: 'LOG_LEVEL', start: 8, end: 8 },
    ]);
  });
});

describe('mergeDotenv', () => {
  it('creates the file from the rendered text when there is none', () => {
    const r = mergeDotenv(null, RENDERED);
    expect(r.text).toBe(RENDERED);
    expect(r.changedKeys.sort()).toEqual(['APP_NAME', 'DB_HOST', 'DB_PASSWORD', 'LOG_LEVEL']);
  });

  it('updates managed keys in place, appends new ones, keeps APP_KEY, comments and order', () => {
    const r = mergeDotenv(EXISTING, RENDERED);
    expect(r.text).toBe([
      '# Laravel settings kept by hand',
      "APP_NAME='New Name'",
      'APP_KEY=base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=',
      '',
      '# mail',
      'MAIL_HOST=smtp.example.invalid  # inline comment',
      "DB_PASSWORD='s3cret #x'",
      'LOG_LEVEL=debug',
      '',
      'DB_HOST=127.0.0.1',
      '',
    ].join('\n'));
    expect(r.changedKeys.sort()).toEqual(['APP_NAME', 'DB_HOST', 'DB_PASSWORD']);
    const v = values(r.text);
    expect(v.APP_KEY).toBe('base64:+EmI4ydAWS2g3WK7AAiE3xSilhQIHggfwSgbcYeTDWs=');
    expect(v.DB_PASSWORD).toBe('s3cret #x');
    expect(v.MAIL_HOST).toBe('smtp.example.invalid');
  });

  it('leaves a line alone when its value already reads the same, however it is quoted', () => {
    const existing = 'APP_NAME="New Name"\nDB_PASSWORD="s3cret #x"\nDB_HOST=127.0.0.1\nLOG_LEVEL=debug\nAPP_KEY=k\n';
    const r = mergeDotenv(existing, RENDERED);
    expect(r.text).toBe(existing);
    expect(r.changedKeys).toEqual([]);
  });

  it('is idempotent: merging twice gives the same text', () => {
    const once = mergeDotenv(EXISTING, RENDERED).text;
    expect(mergeDotenv(once, RENDERED).text).toBe(once);
  });

  it('keeps CRLF line endings and a BOM, and updates every occurrence of a duplicated managed key', () => {
    const existing = '\uFEFFAPP_NAME=a\r\nX=1\r\nAPP_NAME=b\r\n';
    const r = mergeDotenv(existing, "APP_NAME='New Name'\n");
    expect(r.text).toBe("\uFEFFAPP_NAME='New Name'\r\nX=1\r\nAPP_NAME='New Name'\r\n");
  });

  it('adds a final newline only when it changes something', () => {
    expect(mergeDotenv('LOG_LEVEL=debug', 'LOG_LEVEL=debug\n').text).toBe('LOG_LEVEL=debug');
    expect(mergeDotenv('A=1', 'B=2\n').text).toBe('A=1\n\nB=2\n');
  });
});

describe('withAppKey', () => {
  const KEY = /^base64:[A-Za-z0-9+/]{43}=$/;
  it('fills an empty APP_KEY in place, as key:generate writes it (32 random bytes), a new one each time', () => {
    const a = withAppKey('APP_NAME=x\nAPP_KEY=\nAPP_DEBUG=false\n');
    const b = withAppKey('APP_NAME=x\nAPP_KEY=\nAPP_DEBUG=false\n');
    expect(a.generated).toMatch(KEY);
    expect(Buffer.from(a.generated!.slice(7), 'base64')).toHaveLength(32);
    expect(a.text).toBe(`APP_NAME=x\nAPP_KEY=${a.generated}\nAPP_DEBUG=false\n`);
    expect(b.generated).not.toBe(a.generated);
    expect(parseDotenv(a.text).entries.find((e) => e.key === 'APP_KEY')?.value).toBe(a.generated);
  });
  it('adds a missing APP_KEY after APP_NAME (or at the end), keeping CRLF line ends', () => {
    const a = withAppKey('APP_NAME=x\r\nAPP_DEBUG=false\r\n');
    expect(a.text).toBe(`APP_NAME=x\r\nAPP_KEY=${a.generated}\r\nAPP_DEBUG=false\r\n`);
    const b = withAppKey('DB_HOST=h\n');
    expect(b.text).toBe(`DB_HOST=h\nAPP_KEY=${b.generated}\n`);
  });
  it('never touches a key that is set, quoted or not, well-formed or not (the preflight judges it)', () => {
    for (const text of ['APP_KEY=base64:abc\n', 'APP_KEY="base64:q"\n', 'export APP_KEY=something\n']) {
      expect(withAppKey(text)).toEqual({ text, generated: null });
    }
    expect(withAppKey("APP_KEY=''\n").generated).toMatch(KEY);
  });
});

describe('an app\'s .env read as Laravel reads it', () => {
  it('merges into lines phpdotenv accepts and Woosoo\'s master file would not (a name with a digit first, a bare name, a quoted name)', () => {
    const existing = '1ST_SETTING=x\nFEATURE_FLAG\n"QUOTED"=q\nLOG_LEVEL=info\n';
    expect(dotenvSyntaxProblems(existing)).toEqual([]); // before: two problems, and Sync refused the file
    const r = mergeDotenv(existing, 'LOG_LEVEL=debug\n');
    expect(r.text).toBe('1ST_SETTING=x\nFEATURE_FLAG\n"QUOTED"=q\nLOG_LEVEL=debug\n');
  });

  it('replaces a managed line phpdotenv refuses, though Woosoo read the same value in it', () => {
    // Before: APP_NAME=My App read as "My App" equalled the rendered value, so the line Laravel refuses stayed.
    const r = mergeDotenv('APP_NAME=My App\nLOG_LEVEL=info\n', "APP_NAME='My App'\n");
    expect(r).toEqual({ text: "APP_NAME='My App'\nLOG_LEVEL=info\n", changedKeys: ['APP_NAME'] });
    expect(laravelReadingWarnings('APP_NAME=My App\nP=a#b\n')).toEqual([
      "line 1: Laravel's phpdotenv refuses this file (the unquoted value of APP_NAME contains whitespace); Laravel does not start until that line is corrected.",
      'line 2: the unquoted value of P ends at the # in it, as Laravel reads it; quote it if the # belongs to the value.',
    ]);
  });

  it('refuses to merge below a line that opens a value phpdotenv never closes (Laravel drops every line after it)', () => {
    const problems = dotenvSyntaxProblems("A=1\n# the old one was X=\"y\nDB_HOST=old\n");
    expect(problems).toEqual([{ line: 2, message: expect.stringMatching(/ignores lines 2 to 3/) }]);
  });
});
