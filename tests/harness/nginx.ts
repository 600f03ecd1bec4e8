// The real nginx, run by hand with a private prefix (never the system's /etc/nginx or /var/lib/nginx).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { portOpen } from './ports';
import { forgetDir, forgetPid, killOnExit, pidAlive, removeOnExit, shortTmp, sleep, waitFor, which } from './tools';

export interface NginxTestResult {
  ok: boolean;
  exitCode: number | undefined;
  /** stdout + stderr. Debian's nginx logs to stderr in log format: match `[emerg]` and `test failed`. */
  output: string;
}

function nginxBin(): string {
  const p = which('nginx');
  if (!p) throw new Error('nginx not found (run bash scripts/setup.sh)');
  return p;
}

const withSlash = (d: string) => (d.endsWith('/') ? d : `${d}/`);

/** `nginx -t -p PREFIX -c CONF` (errors to stderr). ok is exit code 0. */
export async function nginxTest(confPath: string, prefixDir: string): Promise<NginxTestResult> {
  const r = await execa(nginxBin(), ['-t', '-e', 'stderr', '-p', withSlash(prefixDir), '-c', confPath], {
    reject: false,
    timeout: 30_000,
    stdin: 'ignore',
    all: true,
  });
  return { ok: r.exitCode === 0, exitCode: r.exitCode, output: r.all ?? '' };
}

export interface NginxPrefix {
  dir: string;
  /** Main-context directives that keep pid and error log inside the prefix. */
  mainDirectives: string;
  /** http-context directives that keep the access log and all five temp paths inside the prefix. */
  httpDirectives: string;
  /** Writes DIR/conf/NAME (default nginx.conf): main + events + http { httpDirectives + httpBody }; returns its path. */
  writeConf(httpBody: string, name?: string): string;
  /** Removes the prefix folder. */
  cleanup(): void;
}

/**
 * A temp prefix for nginx -p: logs/, conf/ and the temp folders Debian's build would otherwise put in /var/lib/nginx
 * (client_body, proxy, fastcgi, uwsgi, scgi) — nginx creates those at start and at -t.
 */
export function makeNginxPrefix(): NginxPrefix {
  const dir = mkdtempSync(join(shortTmp(), 'wsngx-'));
  removeOnExit(dir);
  for (const d of ['logs', 'conf', 'temp']) mkdirSync(join(dir, d), { recursive: true });
  const mainDirectives = [
    `pid ${join(dir, 'logs', 'nginx.pid')};`,
    `error_log ${join(dir, 'logs', 'error.log')} warn;`,
    'worker_processes 1;',
  ].join('\n');
  const httpDirectives = [
    `access_log ${join(dir, 'logs', 'access.log')};`,
    `client_body_temp_path ${join(dir, 'temp', 'client_body')};`,
    `proxy_temp_path ${join(dir, 'temp', 'proxy')};`,
    `fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};`,
    `uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};`,
    `scgi_temp_path ${join(dir, 'temp', 'scgi')};`,
  ].join('\n');
  return {
    dir,
    mainDirectives,
    httpDirectives,
    writeConf(httpBody: string, name = 'nginx.conf') {
      const path = join(dir, 'conf', name);
      const indent = (s: string) =>
        s
          .split('\n')
          .map((l) => (l ? `    ${l}` : l))
          .join('\n');
      writeFileSync(
        path,
        `${mainDirectives}\nevents { worker_connections 64; }\nhttp {\n${indent(httpDirectives)}\n${indent(httpBody)}\n}\n`,
      );
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
    },
  };
}

export interface RunningNginx {
  pid: number;
  stop(): Promise<void>;
}

/** Runs nginx in the foreground (`daemon off`) and waits until `port` accepts connections. */
export async function startNginx(confPath: string, prefixDir: string, port: number): Promise<RunningNginx> {
  const child = spawn(nginxBin(), ['-e', 'stderr', '-p', withSlash(prefixDir), '-c', confPath, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  child.unref();
  killOnExit(child.pid);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.once('exit', () => {
    exited = true;
    forgetPid(child.pid);
  });
  const up = await waitFor(async () => exited || (await portOpen(port)), 15_000);
  if (!up || exited) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    throw new Error(`nginx did not start on port ${port}:\n${stderr}`);
  }
  return {
    pid: child.pid!,
    async stop() {
      if (exited) return;
      try {
        process.kill(child.pid!, 'SIGQUIT');
      } catch {
        /* gone */
      }
      await waitFor(() => exited || !pidAlive(child.pid!), 10_000);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // workers, if the master hung
      } catch {
        /* gone */
      }
      await sleep(0);
    },
  };
}
