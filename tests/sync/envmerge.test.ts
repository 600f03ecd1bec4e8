// Merging a rendered .env into an existing one: managed keys updated in place, everything else untouched.
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../core/config/dotenv';
import { mergeDotenv, scanEntries, splitLines } from '../../core/sync/envmerge';

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
