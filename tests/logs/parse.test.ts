import { describe, expect, it } from 'vitest';
import { isStart, levelFromText, parseEntry, wallTime } from '../../core/logs/parse';
import { LARAVEL_LOG, NGINX_ACCESS, NGINX_ERROR, local } from './fixtures';

describe('log parsers', () => {
  it('reads a Laravel header: local time, level, message without the channel prefix', () => {
    const p = parseEntry('laravel', '[2026-02-15 14:30:00] production.INFO: Order 1001 placed {"table":12}');
    expect(p).toEqual({ ts: local(2026, 2, 15, 14, 30, 0), level: 'Info', message: 'Order 1001 placed {"table":12}' });
  });

  it('keeps a Laravel stack trace in the entry and maps Monolog levels to four', () => {
    const lines = LARAVEL_LOG.split('\n');
    expect(lines.filter((l) => isStart('laravel', l))).toHaveLength(4);
    expect(isStart('laravel', '#0 /srv/app/vendor/x.php(70): PDO->__construct()')).toBe(false);
    const p = parseEntry('laravel', lines[1], `\n${lines.slice(2, 7).join('\n')}`);
    expect(p.level).toBe('Error');
    expect(p.message).toMatch(/^SQLSTATE\[HY000\] \[2002\] Connection refused/);
    expect(p.message).toContain('#2 {main}');
    expect(parseEntry('laravel', '[2026-02-15 14:30:00] local.CRITICAL: x').level).toBe('Error');
    expect(parseEntry('laravel', '[2026-02-15 14:30:00] local.NOTICE: x').level).toBe('Info');
    expect(parseEntry('laravel', '[2026-02-15 14:30:00] local.DEBUG: x').level).toBe('Debug');
  });

  it('honours a zone in a Laravel timestamp', () => {
    const p = parseEntry('laravel', '[2026-02-15T14:30:00.250000+01:00] production.ERROR: boom');
    expect(p.ts).toBe(Date.UTC(2026, 1, 15, 13, 30, 0, 250));
  });

  it('reads nginx combined access lines: zone, status → level, the time taken out of the message', () => {
    const [ok, bad, missing] = NGINX_ACCESS.trim().split('\n').map((l) => parseEntry('nginx-access', l));
    expect(ok.level).toBe('Info');
    expect(ok.ts).toBe(local(2026, 2, 15, 14, 30, 1));
    expect(ok.message).toBe('127.0.0.1 - - "GET /api/health HTTP/1.1" 200 17 "-" "curl/7.88.1"');
    expect(bad.level).toBe('Error');
    expect(missing.level).toBe('Warning');
    expect(parseEntry('nginx-access', '10.0.0.1 - - [15/Feb/2026:14:30:01 -0500] "GET / HTTP/1.1" 200 1 "-" "-"').ts)
      .toBe(Date.UTC(2026, 1, 15, 19, 30, 1));
  });

  it('reads nginx error lines: level names, pid#tid and connection number dropped', () => {
    const [err, warn, notice] = NGINX_ERROR.trim().split('\n').map((l) => parseEntry('nginx-error', l));
    expect(err).toMatchObject({ level: 'Error', ts: local(2026, 2, 15, 14, 30, 6) });
    expect(err.message).toMatch(/^connect\(\) failed \(111: Connection refused\)/);
    expect(warn.level).toBe('Warning');
    expect(notice.level).toBe('Info');
  });

  it('reads plain lines: leading ISO, slash and ctime (php -S) times, level from words', () => {
    expect(parseEntry('plain', '2026-02-15T14:30:00Z Server started')).toEqual({ ts: Date.UTC(2026, 1, 15, 14, 30), level: 'Info', message: 'Server started' });
    expect(parseEntry('plain', '[2026-02-15 14:30:00][42] Processing: App\\Jobs\\PrintOrder')).toMatchObject({ ts: local(2026, 2, 15, 14, 30, 0), message: '[42] Processing: App\\Jobs\\PrintOrder' });
    expect(parseEntry('plain', '[Sun Feb 15 14:30:00 2026] 127.0.0.1:50522 Accepted')).toEqual({ ts: local(2026, 2, 15, 14, 30, 0), level: 'Info', message: '127.0.0.1:50522 Accepted' });
    expect(parseEntry('plain', 'PHP Fatal error:  Uncaught Error').level).toBe('Error');
    expect(parseEntry('plain', 'something without a time')).toEqual({ ts: null, level: 'Info', message: 'something without a time' });
    expect(levelFromText('WARN low disk')).toBe('Warning');
    expect(levelFromText('0 errors so far')).toBe('Info');
  });

  it('treats indented lines and stack frames as continuations of a plain entry', () => {
    expect(isStart('plain', '    at Object.<anonymous> (/srv/x.js:1:1)')).toBe(false);
    expect(isStart('plain', '#3 /srv/app/artisan(37): handle()')).toBe(false);
    expect(isStart('plain', 'Next RuntimeException: nested')).toBe(false);
    expect(isStart('plain', 'Server started')).toBe(true);
    expect(isStart('nginx-access', '   ')).toBe(true);
  });

  it('never drops a line that does not fit its format', () => {
    expect(parseEntry('nginx-access', 'garbage')).toEqual({ ts: null, level: 'Info', message: 'garbage' });
    expect(parseEntry('laravel', 'not a header')).toEqual({ ts: null, level: 'Info', message: 'not a header' });
    expect(wallTime(2026, 1, 15, 0, 0, 0, undefined, 'Z')).toBe(Date.UTC(2026, 1, 15));
  });
});
