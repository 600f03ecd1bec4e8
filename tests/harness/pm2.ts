// A private PM2 daemon per test file: short PM2_HOME, no version check, no banner; ended with the CLI's `pm2 kill`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { forgetDir, pidAlive, removeOnExit, repoRoot, shortTmp, sleep } from './tools';

export interface Pm2Result {
  /** undefined when killed (timeout). */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

export interface Pm2Home {
  /** The PM2_HOME folder (short: its rpc/pub sockets must stay under 108 bytes). */
  home: string;
  /** process.env plus PM2_HOME, PM2_DISABLE_VERSION_CHECK, PM2_SILENT, FORCE_COLOR=0. Pass it to every pm2 call. */
  env: Record<string, string>;
  /** Path of the pm2 CLI (node_modules/pm2/bin/pm2, a node script). */
  pm2Bin: string;
  /** Runs `node pm2Bin ...args` with env; never rejects (look at exitCode). */
  pm2(args: string[], opts?: { timeoutMs?: number }): Promise<Pm2Result>;
  /** `pm2 kill`, SIGKILL of the daemon by its pid file if that hangs, then removes home. Idempotent. */
  kill(): Promise<void>;
}

export function pm2BinPath(): string {
  return join(repoRoot, 'node_modules', 'pm2', 'bin', 'pm2');
}

export function startPm2Home(): Pm2Home {
  const pm2Bin = pm2BinPath();
  if (!existsSync(pm2Bin)) throw new Error('pm2 not installed (run bash scripts/setup.sh)');
  const home = mkdtempSync(join(shortTmp(), 'wspm2-'));
  removeOnExit(home);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    PM2_HOME: home,
    PM2_DISABLE_VERSION_CHECK: 'true',
    PM2_SILENT: 'true',
    FORCE_COLOR: '0',
  });
  const pm2 = async (args: string[], opts: { timeoutMs?: number } = {}): Promise<Pm2Result> => {
    const r = await execa(process.execPath, [pm2Bin, ...args], {
      env,
      extendEnv: false,
      reject: false,
      timeout: opts.timeoutMs ?? 60_000,
      stdin: 'ignore',
    });
    return { exitCode: r.timedOut ? undefined : r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  let killed: Promise<void> | undefined;
  const kill = () =>
    (killed ??= (async () => {
      const pidFile = join(home, 'pm2.pid');
      const daemonPid = () => {
        try {
          const p = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
          return Number.isInteger(p) && p > 1 ? p : undefined;
        } catch {
          return undefined;
        }
      };
      const appPids = () => {
        try {
          return readdirSync(join(home, 'pids'))
            .map((f) => Number.parseInt(readFileSync(join(home, 'pids', f), 'utf8').trim(), 10))
            .filter((p) => Number.isInteger(p) && p > 1);
        } catch {
          return [];
        }
      };
      const pid = daemonPid();
      if (pid !== undefined || existsSync(join(home, 'rpc.sock'))) {
        await pm2(['kill'], { timeoutMs: 30_000 });
        if (pid !== undefined && pidAlive(pid)) {
          const deadline = Date.now() + 5_000;
          while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
          if (pidAlive(pid)) {
            // the daemon hung: end it and the apps it started (their pid files are in PM2_HOME/pids)
            const pids = [pid, ...appPids()];
            for (const p of pids) {
              try {
                process.kill(p, 'SIGKILL');
              } catch {
                /* gone */
              }
            }
          }
        }
      }
      rmSync(home, { recursive: true, force: true });
      forgetDir(home);
    })());

  return { home, env, pm2Bin, pm2, kill };
}
