// A private, real MariaDB server per test file: no systemd, temp datadir, 127.0.0.1 on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort } from './ports';
import { forgetDir, forgetPid, killOnExit, pidAlive, removeOnExit, shortTmp, sleep, which } from './tools';

export interface MariaDbOptions {
  database?: string;
  user?: string;
  password?: string;
  /** How long to wait for `mariadb-admin ping` (default 60 s). */
  readyTimeoutMs?: number;
}

export interface MariaDb {
  host: string;
  port: number;
  /** UNIX socket (root connects through it without a password). */
  socket: string;
  database: string;
  user: string;
  password: string;
  /** The temp folder holding data/, sock, pid, error.log. */
  dir: string;
  pid: number;
  /** Milliseconds from start to ready (install-db + server start + ping + user creation). */
  startMs: number;
  /** Runs SQL as the password user over TCP on the database; resolves to the tab-separated rows, no header. */
  query(sql: string): Promise<string>;
  /** Runs SQL as root over the socket. */
  rootQuery(sql: string): Promise<string>;
  /** Shuts down (mariadb-admin shutdown, SIGKILL by pid file if that hangs) and removes the datadir. Idempotent. */
  stop(): Promise<void>;
}

const IDENT = /^[A-Za-z0-9_]{1,64}$/;
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function bin(name: string, fallback?: string): string {
  const p = which(name) ?? (fallback ? which(fallback) : undefined);
  if (!p) throw new Error(`${name} not found (run bash scripts/setup.sh)`);
  return p;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a private mariadbd and creates `database` and a password `user` with all privileges on it. */
export async function startMariaDb(opts: MariaDbOptions = {}): Promise<MariaDb> {
  const t0 = Date.now();
  const database = opts.database ?? 'woosoo';
  const user = opts.user ?? 'woosoo';
  const password = opts.password ?? 'woosoo-test-pw';
  if (!IDENT.test(database) || !IDENT.test(user)) throw new Error('database and user must match [A-Za-z0-9_]{1,64}');

  const installDb = bin('mariadb-install-db', 'mysql_install_db');
  const mariadbd = bin('mariadbd', 'mysqld');
  const admin = bin('mariadb-admin', 'mysqladmin');
  const client = bin('mariadb', 'mysql');

  // Short path: the socket must stay under 108 bytes.
  const dir = mkdtempSync(join(shortTmp(), 'wsdb-'));
  removeOnExit(dir);
  const datadir = join(dir, 'data');
  const socket = join(dir, 'sock');
  const pidFile = join(dir, 'pid');
  const errLog = join(dir, 'error.log');
  const isRoot = process.getuid?.() === 0;
  const userArgs = isRoot ? ['--user=root'] : [`--user=${userInfo().username}`];

  // mariadb-install-db fails where `localhost` does not resolve (no /etc/hosts): then --force.
  let localhostOk = true;
  try {
    await lookup('localhost');
  } catch {
    localhostOk = false;
  }
  const install = await execa(
    installDb,
    [
      '--no-defaults',
      ...userArgs,
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...(localhostOk ? [] : ['--force']),
    ],
    { reject: false, timeout: 120_000, stdin: 'ignore', all: true },
  );
  if (install.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    forgetDir(dir);
    throw new Error(`mariadb-install-db failed (${install.exitCode}):\n${install.all}`);
  }

  const rootArgs = ['--no-defaults', `--socket=${socket}`, '-uroot'];
  let child: ChildProcess | undefined;
  let port = 0;
  // Set from the child's exit event (an object, so TypeScript does not narrow it away across awaits).
  type Exit = { code: number | null; signal: NodeJS.Signals | null };
  const state: { exited?: Exit } = {};
  const exitedNow = (): Exit | undefined => state.exited;
  // The port can be taken between freePort() and bind: retry with a new one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    port = await freePort();
    state.exited = undefined;
    const logFd = openSync(errLog, 'a');
    child = spawn(
      mariadbd,
      [
        '--no-defaults',
        ...userArgs,
        `--datadir=${datadir}`,
        `--socket=${socket}`,
        `--pid-file=${pidFile}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--log-error=${errLog}`,
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--performance-schema=OFF',
        '--skip-log-bin',
      ],
      { stdio: ['ignore', logFd, logFd], detached: true },
    );
    closeSync(logFd);
    child.unref(); // a forgotten stop() must not keep the test process alive; killOnExit ends the server then
    killOnExit(child.pid);
    const c = child;
    c.once('exit', (code, signal) => {
      state.exited = { code, signal };
      forgetPid(c.pid);
    });
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
    let ready = false;
    while (!state.exited && Date.now() < deadline) {
      const ping = await execa(admin, [...rootArgs, '--connect-timeout=2', 'ping'], {
        reject: false,
        timeout: 10_000,
        stdin: 'ignore',
      });
      if (ping.exitCode === 0) {
        ready = true;
        break;
      }
      await sleep(100);
    }
    if (ready) break;
    const log = tail(errLog);
    if (!state.exited) {
      await killHard(child, pidFile);
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
      throw new Error(`mariadbd did not answer ping in time:\n${log}`);
    }
    if (attempt === 3 || !/bind|address already in use/i.test(log)) {
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
      const ex = exitedNow();
      throw new Error(`mariadbd exited (${ex?.code ?? ex?.signal}) before it was ready:\n${log}`);
    }
  }
  const server = child!;

  const run = async (args: string[], sql: string): Promise<string> => {
    const r = await execa(client, [...args, '--batch', '--skip-column-names', '-e', sql], {
      reject: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
    if (r.exitCode !== 0) throw new Error(`mariadb query failed (${r.exitCode ?? 'timeout'}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const rootQuery = (sql: string) => run(rootArgs, sql);
  const query = (sql: string) =>
    run(
      [
        '--no-defaults',
        '--protocol=TCP',
        '-h127.0.0.1',
        `-P${port}`,
        `-u${user}`,
        `--password=${password}`,
        `-D${database}`,
      ],
      sql,
    );

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (!state.exited) {
        const sd = await execa(admin, [...rootArgs, '--connect-timeout=5', 'shutdown'], {
          reject: false,
          timeout: 10_000,
          forceKillAfterDelay: 1_000,
          stdin: 'ignore',
        });
        // Only wait for a clean exit if the server took the shutdown; a hung server is killed at once.
        const deadline = Date.now() + (sd.exitCode === 0 ? 15_000 : 0);
        while (!state.exited && pidAlive(server.pid!) && Date.now() < deadline) await sleep(50);
        if (!state.exited && pidAlive(server.pid!)) await killHard(server, pidFile);
      }
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
    })());

  try {
    await rootQuery(
      [
        `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        // '%' for TCP (the server skips name resolution), 'localhost' for the socket.
        `CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY ${sqlString(password)}`,
        `CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY ${sqlString(password)}`,
        `GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'%'`,
        `GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'localhost'`,
        'FLUSH PRIVILEGES',
      ].join(';\n'),
    );
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    host: '127.0.0.1',
    port,
    socket,
    database,
    user,
    password,
    dir,
    pid: server.pid!,
    startMs: Date.now() - t0,
    query,
    rootQuery,
    stop,
  };
}

/** SIGKILL the server: by the pid in its pid file (if any) and by the child we spawned. */
async function killHard(child: ChildProcess, pidFile: string): Promise<void> {
  const pids = new Set<number>();
  if (child.pid) pids.add(child.pid);
  if (existsSync(pidFile)) {
    const p = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    if (Number.isInteger(p) && p > 1) pids.add(p);
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 5_000;
  while ([...pids].some(pidAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids) forgetPid(pid);
}
