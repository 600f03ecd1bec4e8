/**
 * Temporary Woosoo projects for the logs tests: a deployment.config.env, logs/<service>/ folders and a backend with
 * storage/logs. Fixture text is written as real files; times are local wall-clock times, as Laravel and nginx write them.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Project {
  dir: string;
  backend: string;
  /** Writes a file relative to the project folder (folders created); an mtime in epoch ms may be set. */
  write(rel: string, text: string, mtimeMs?: number): string;
  cleanup(): void;
}

export function makeProject(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'wslogs-'));
  writeFileSync(join(dir, 'deployment.config.env'), [
    'ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', 'DB_PASSWORD=fixture-Passw0rd',
    'REVERB_APP_KEY=fixture-key', 'REVERB_APP_SECRET=fixture-secret', 'BACKEND_PATH=apps/backend', '',
  ].join('\n'));
  const backend = join(dir, 'apps', 'backend');
  mkdirSync(join(backend, 'storage', 'logs'), { recursive: true });
  return {
    dir,
    backend,
    write(rel, text, mtimeMs) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      if (mtimeMs !== undefined) utimesSync(p, mtimeMs / 1000, mtimeMs / 1000);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Local wall-clock time → epoch ms (the fixtures' timestamps carry no zone). */
export const local = (y: number, mo: number, d: number, h: number, mi: number, s: number) => new Date(y, mo - 1, d, h, mi, s).getTime();

/** A Laravel 8 log as Monolog's LineFormatter writes it (includeStacktraces): one entry with a stack trace. */
export const LARAVEL_LOG = `[2026-02-15 14:30:00] production.INFO: Order 1001 placed {"table":12}
[2026-02-15 14:30:05] production.ERROR: SQLSTATE[HY000] [2002] Connection refused {"exception":"[object] (PDOException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70)
[stacktrace]
#0 /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(70): PDO->__construct()
#1 /srv/app/app/Http/Controllers/OrderController.php(42): Illuminate\\\\Database\\\\Connection->select()
#2 {main}
"}
[2026-02-15 14:30:09] production.WARNING: Slow query took 2.1 s
[2026-02-15 14:30:10] production.DEBUG: cache miss orders:12
`;

/** The local zone as nginx writes it (+0100), so access-log times line up with the zone-less Laravel times. */
export const ZONE = (() => {
  const off = -new Date(2026, 1, 15).getTimezoneOffset();
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
})();

export const NGINX_ACCESS = `127.0.0.1 - - [15/Feb/2026:14:30:01 ${ZONE}] "GET /api/health HTTP/1.1" 200 17 "-" "curl/7.88.1"
192.168.1.23 - - [15/Feb/2026:14:30:06 ${ZONE}] "POST /api/orders HTTP/1.1" 502 157 "-" "Mozilla/5.0 (Linux; Android 13)"
192.168.1.24 - - [15/Feb/2026:14:30:07 ${ZONE}] "GET /missing HTTP/1.1" 404 153 "-" "Mozilla/5.0"
`;

export const NGINX_ERROR = `2026/02/15 14:30:06 [error] 1234#1234: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 192.168.1.23, server: _, request: "POST /api/orders HTTP/1.1", upstream: "http://127.0.0.1:8000/api/orders"
2026/02/15 14:30:08 [warn] 1234#1234: *9 an upstream response is buffered to a temporary file
2026/02/15 14:30:11 [notice] 1234#1234: signal process started
`;

/** A project with the Laravel and nginx fixture logs in place (laravel: 4 entries, nginx: 3 access + 3 error). */
export function makeStackProject(): Project {
  const p = makeProject();
  p.write('apps/backend/storage/logs/laravel.log', LARAVEL_LOG);
  p.write('logs/nginx/access.log', NGINX_ACCESS);
  p.write('logs/nginx/error.log', NGINX_ERROR);
  return p;
}
