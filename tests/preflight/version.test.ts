// Version parsing on the output real tools print (copied from the tools on Debian 12, Windows and MySQL builds).
import { describe, expect, it } from 'vitest';
import { atLeast, parseDbVersion, parseVersion, shortVersion } from '../../core/preflight/version';

describe('parseVersion', () => {
  it.each([
    ['PHP 8.2.36 (cli) (built: Nov 18 2026 20:02:04) (NTS)\nCopyright (c) The PHP Group\nZend Engine v4.2.36', /\bPHP\s+/, '8.2.36'],
    ['Composer version 2.5.5 2023-03-21 11:50:05', /\bComposer\s+(?:version\s+)?/i, '2.5.5'],
    ['\u001b[32mComposer\u001b[39m version \u001b[33m2.7.1\u001b[39m 2024-02-09 15:26:28', /\bComposer\s+(?:version\s+)?/i, '2.7.1'],
    ['Composer 2.8.0 2024-10-02', /\bComposer\s+(?:version\s+)?/i, '2.8.0'],
    ['v20.20.2\n', undefined, '20.20.2'],
    ['nginx version: nginx/1.22.1', /nginx\//, '1.22.1'],
    ['nginx version: nginx/1.25.3 (Ubuntu)', /nginx\//, '1.25.3'],
    ['v1.4.4', undefined, '1.4.4'],
    ['1.4.4\n', undefined, '1.4.4'],
    ['git version 2.39.5', undefined, '2.39.5'],
    ['git version 2.45.1.windows.1', undefined, '2.45.1'],
    ['Flutter 3.22.2 • channel stable • https://github.com/flutter/flutter.git', undefined, '3.22.2'],
    ['PHP 8.3 (cli)', /\bPHP\s+/, '8.3.0'],
  ])('%j → %s', (out, near, expected) => {
    expect(parseVersion(out, near)).toBe(expected);
  });

  it('returns null when there is no version', () => {
    expect(parseVersion('command not found')).toBeNull();
    expect(parseVersion('')).toBeNull();
  });
});

describe('parseDbVersion', () => {
  it.each([
    ['mysql  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper', '10.11.19', 'MariaDB'],
    ['mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper', '10.11.19', 'MariaDB'],
    ['mariadb from 11.4.2-MariaDB, client 15.2 for Win64 (AMD64)', '11.4.2', 'MariaDB'],
    ['mysql  Ver 8.0.35 for Linux on x86_64 (MySQL Community Server - GPL)', '8.0.35', 'MySQL'],
    ['C:\\Program Files\\MySQL\\MySQL Server 8.4\\bin\\mysql.exe  Ver 8.4.0 for Win64 on x86_64 (MySQL Community Server - GPL)', '8.4.0', 'MySQL'],
    ['10.11.19-MariaDB-0+deb12u1', '10.11.19', 'MariaDB'],
    ['8.0.36', '8.0.36', 'MySQL'],
  ])('%j → %s %s', (out, version, flavor) => {
    expect(parseDbVersion(out)).toEqual({ version, flavor });
  });
});

describe('atLeast (semver after coercion)', () => {
  it('compares versions, not strings', () => {
    expect(atLeast('8.10.0', '8.2')).toBe(true);
    expect(atLeast('8.2.36', '8.2.0')).toBe(true);
    expect(atLeast('8.1.27', '8.2')).toBe(false);
    expect(atLeast('10.11.19', '10.3')).toBe(true);
    expect(atLeast('9.0.0', '18')).toBe(false);
    expect(atLeast('garbage', '1.0')).toBe(false);
    expect(shortVersion('8.2.0')).toBe('8.2');
    expect(shortVersion('8.2.1')).toBe('8.2.1');
  });
});
