// The real nssm64.exe (2.24 and 2.23) under Wine, in a private, headless, warm WINEPREFIX.
// Recipe and pitfalls: shared/notes/nssm-under-wine.md. Set-up measured here: ~10-12 s (wineboot -i ~7.5 s).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  forgetDir,
  forgetOnExit,
  forgetPid,
  killOnExit,
  nssmPath,
  removeOnExit,
  runOnExit,
  shortTmp,
  which,
} from './tools';

export interface WineRunResult {
  /** undefined when the call was killed (timeout). */
  exitCode: number | undefined;
  timedOut: boolean;
  /** Raw bytes: nssm 2.23 writes UTF-16LE without BOM, 2.24 single-byte text. */
  stdout: Buffer;
  stderr: Buffer;
  /** Decoded with decodeNssmOutput. */
  stdoutText: string;
  stderrText: string;
  durationMs: number;
}

export interface RunOptions {
  /** Kill the call after this long (default 60 s). Never omit a timeout: some nssm calls open a dialog and hang. */
  timeoutMs?: number;
  /** Which nssm64.exe: '2.24' (default), '2.23', or a path to another exe. */
  nssm?: '2.24' | '2.23' | string;
}

export interface Wine {
  /** WINEPREFIX (inside a temp folder that stop() removes). */
  prefix: string;
  /** process.env + WINEPREFIX, WINEDEBUG=-all, WINEDLLOVERRIDES (no Mono/Gecko prompts), without DISPLAY. */
  env: Record<string, string>;
  nssm224: string;
  nssm223: string;
  /** How long start-up took (ms): prefix creation, headless driver, warm service manager, keeper. */
  setupMs: number;
  /** `wine <nssm> ...args` with a timeout (the call is killed when it runs out). Never rejects. */
  run(args: string[], opts?: RunOptions): Promise<WineRunResult>;
  /** `wine ...args` (e.g. ['sc', 'query', 'NAME']) with a timeout. Never rejects. */
  wine(args: string[], opts?: { timeoutMs?: number }): Promise<WineRunResult>;
  /** The Linux path of a C:\ path inside the prefix (e.g. an AppStdout file). */
  unixPath(windowsPath: string): string;
  /** wineserver -k, end the keeper, remove the prefix. Idempotent. */
  stop(): Promise<void>;
}

/** nssm output to text: UTF-16LE when byte 1 is NUL (nssm 2.23, no BOM), else UTF-8/latin1 single-byte text. */
export function decodeNssmOutput(buf: Uint8Array): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[1] === 0 && b[0] !== 0) return b.toString('utf16le');
  return b.toString('utf8');
}

function need(name: string): string {
  const p = which(name);
  if (!p) throw new Error(`${name} not found (run bash scripts/setup.sh)`);
  return p;
}

export async function startWine(): Promise<Wine> {
  const t0 = Date.now();
  const wineBin = need('wine');
  const wineserver = need('wineserver');
  const wineboot = need('wineboot');
  const nssm224 = nssmPath('2.24');
  const nssm223 = nssmPath('2.23');
  for (const p of [nssm224, nssm223]) if (!existsSync(p)) throw new Error(`${p} missing (run bash scripts/setup.sh)`);

  const root = mkdtempSync(join(shortTmp(), 'wswine-'));
  removeOnExit(root);
  const prefix = join(root, 'wp');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  Object.assign(env, { WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' });

  // Every set-up step runs with stdin/stdout/stderr on /dev/null: a Windows process started here (services.exe,
  // explorer.exe) would otherwise hold our pipes open and a Node callback would never fire.
  const quiet = (file: string, args: string[], timeoutMs: number) =>
    execa(file, args, { env, extendEnv: false, stdio: 'ignore', reject: false, timeout: timeoutMs });

  // A persistent wineserver outlives this process unless killed: make sure a crashed test file still ends it.
  const killServerSync = () => {
    try {
      execFileSync(wineserver, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
    } catch {
      /* best effort */
    }
  };
  runOnExit(killServerSync);

  let keeperPid: number | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await quiet(wineserver, ['-k'], 30_000);
      await quiet(wineserver, ['-w'], 30_000);
      if (keeperPid) {
        try {
          process.kill(keeperPid, 'SIGKILL');
        } catch {
          /* already ended by wineserver -k */
        }
        forgetPid(keeperPid);
      }
      forgetOnExit(killServerSync);
      rmSync(root, { recursive: true, force: true });
      forgetDir(root);
    })());

  try {
    const boot = await quiet(wineboot, ['-i'], 180_000);
    if (boot.timedOut) throw new Error('wineboot -i timed out');
    await quiet(wineserver, ['-w'], 60_000);
    // Headless: the null graphics driver (no X server needed, no window ever shown).
    await quiet(wineBin, ['reg', 'add', 'HKCU\\Software\\Wine\\Drivers', '/v', 'Graphics', '/d', 'null', '/f'], 60_000);
    await quiet(wineserver, ['-w'], 60_000);
    // Keep Wine warm: a persistent wineserver, the service manager booted without our pipes, and a keeper process so
    // the desktop process does not restart on every call.
    await quiet(wineserver, ['-p'], 30_000);
    await quiet(wineBin, ['wineboot'], 60_000);
    const keeper = spawn(wineBin, ['notepad'], { env, stdio: 'ignore', detached: true });
    keeper.unref();
    keeperPid = keeper.pid;
    killOnExit(keeperPid);
    // One nssm call before any test's: the first `wine nssm64.exe` of a prefix loads it and opens the service manager
    // cold, which on a busy machine took longer than a test's call may.
    await quiet(wineBin, [nssm224, 'status', 'WoosooWarmUp'], 120_000);
  } catch (e) {
    await stop();
    throw e;
  }

  // Own spawn rather than execa: a Windows child of the called program (cmd.exe -> ping.exe) inherits our pipes, and
  // waiting for them to close would outlast the timeout. So: a process group per call, SIGKILL of the group on
  // timeout, and settle on 'exit' (plus a short grace for the last bytes) instead of on the pipes closing.
  const exec = (file: string, args: string[], timeoutMs: number): Promise<WineRunResult> =>
    new Promise((resolve) => {
      const t = Date.now();
      const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      killOnExit(child.pid);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      let timedOut = false;
      let settled = false;
      const killGroup = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          try {
            child.kill('SIGKILL');
          } catch {
            /* gone */
          }
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, timeoutMs);
      const finish = (code: number | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        forgetPid(child.pid);
        child.stdout!.destroy();
        child.stderr!.destroy();
        const stdout = Buffer.concat(out);
        const stderr = Buffer.concat(err);
        resolve({
          exitCode: timedOut || code === null ? undefined : code,
          timedOut,
          stdout,
          stderr,
          stdoutText: decodeNssmOutput(stdout),
          stderrText: decodeNssmOutput(stderr),
          durationMs: Date.now() - t,
        });
      };
      let exitCode: number | null = null;
      child.once('close', (code) => finish(code));
      child.once('exit', (code) => {
        exitCode = code;
        setTimeout(() => finish(exitCode), 1_000); // pipes held by a grandchild: do not wait for them
      });
      child.once('error', () => finish(null));
    });

  const run = (args: string[], opts: RunOptions = {}) => {
    const exe = opts.nssm === '2.23' ? nssm223 : opts.nssm === '2.24' || !opts.nssm ? nssm224 : opts.nssm;
    return exec(wineBin, [exe, ...args], opts.timeoutMs ?? 60_000);
  };
  const wine = (args: string[], opts: { timeoutMs?: number } = {}) => exec(wineBin, args, opts.timeoutMs ?? 60_000);

  const unixPath = (windowsPath: string) => {
    const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(windowsPath);
    if (!m) throw new Error(`not a drive path: ${windowsPath}`);
    const drive = m[1]!.toLowerCase();
    const rest = m[2]!.split(/[\\/]+/).filter(Boolean);
    return join(prefix, 'dosdevices', `${drive}:`, ...rest);
  };

  return { prefix, env, nssm224, nssm223, setupMs: Date.now() - t0, run, wine, unixPath, stop };
}
