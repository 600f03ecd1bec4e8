/**
 * Version strings as tools really print them, and comparisons with semver (never by hand):
 * "PHP 8.2.36 (cli) (built: …)", "Composer version 2.5.5 2023-03-21 11:50:05", "v20.20.2",
 * "mysql  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu", "mariadb from 11.4.2-MariaDB, client 15.2",
 * "mysql  Ver 8.0.35 for Linux on x86_64 (MySQL Community Server - GPL)", "nginx version: nginx/1.22.1", "v1.4.4".
 */
import semver from 'semver';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The version a tool printed, as MAJOR.MINOR.PATCH, or null when there is none. `near` anchors the search. */
export function parseVersion(output: string, near?: RegExp): string | null {
  const text = output.replace(ANSI, '');
  const anchored = near ? near.exec(text) : null;
  const from = anchored ? text.slice(anchored.index + anchored[0].length) : text;
  const m = /(?:^|[^\d.])v?(\d+\.\d+(?:\.\d+)?)/.exec(from);
  if (!m) return null;
  return semver.coerce(m[1])?.version ?? null;
}

/** The database client or server version: the MariaDB release after "Distrib"/"from" when present, else MySQL's "Ver". */
export function parseDbVersion(output: string): { version: string | null; flavor: 'MariaDB' | 'MySQL' } {
  const flavor = /mariadb/i.test(output) ? 'MariaDB' : 'MySQL';
  const version = parseVersion(output, /\bDistrib\s+|\bfrom\s+(?=\d)/) ?? parseVersion(output, /\bVer\s+/) ?? parseVersion(output);
  return { version, flavor };
}

/** True when version ≥ minimum (both coerced: "8.2" means 8.2.0). */
export function atLeast(version: string, minimum: string): boolean {
  const v = semver.coerce(version);
  const min = semver.coerce(minimum);
  return v !== null && min !== null && semver.gte(v, min);
}

/** "8.2.0" → "8.2" for messages. */
export function shortVersion(v: string): string {
  return v.replace(/\.0$/, '');
}
