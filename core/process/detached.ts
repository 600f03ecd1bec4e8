/**
 * Starting a process that outlives the engine (the dashboard host): no shell, arguments as an array, stdin and stdout
 * closed, stderr written straight to a file (a file descriptor the child inherits: no pipe through the engine, which
 * may exit first) that the caller reads back when the child fails to come up. The child gets its own process group
 * (POSIX) or no console (Windows) and does not keep the engine alive (unref). node's spawn, not execa: execa takes
 * no arbitrary file descriptor for stderr, and its cleanup would tie the child's life to ours.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { moduleRoot } from './locate';
import { isSingleExecutable } from './node';

export interface Detached {
  /** 0 when the program could not be started at all (then `exited` says so with the spawn error). */
  pid: number;
  /** Resolves when the child ends while the engine still runs: its exit code (null: a signal), or the spawn error. */
  exited: Promise<{ code: number | null; error?: string }>;
}

export function startDetached(file: string, args: readonly string[], opts: { cwd: string; env: Record<string, string>; stderrFile: string }): Detached {
  mkdirSync(dirname(opts.stderrFile), { recursive: true });
  const fd = openSync(opts.stderrFile, 'w');
  try {
    const child = spawn(file, [...args], {
      cwd: opts.cwd, env: opts.env, shell: false, windowsHide: true, detached: true, stdio: ['ignore', 'ignore', fd],
    });
    const exited = new Promise<{ code: number | null; error?: string }>((resolve) => {
      child.once('error', (err) => resolve({ code: null, error: err.message }));
      child.once('exit', (code) => resolve({ code }));
    });
    child.unref();
    return { pid: child.pid ?? 0, exited };
  } finally {
    closeSync(fd);
  }
}

/**
 * The command that runs this engine again with `args` (e.g. --dashboard <file>), the way the module starts it: the
 * single executable itself, or this node with bin/engine-launch.json's options and the bundle bin/woosoo-engine.cjs.
 */
export function engineCommand(args: readonly string[]): { file: string; args: string[] } {
  if (isSingleExecutable()) return { file: process.execPath, args: [...args] };
  const bin = join(moduleRoot(), 'bin');
  let options: string[] = [];
  try {
    const launch = JSON.parse(readFileSync(join(bin, 'engine-launch.json'), 'utf8')) as { nodeArguments?: unknown };
    if (Array.isArray(launch.nodeArguments)) options = launch.nodeArguments.filter((o): o is string => typeof o === 'string' && /^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/.test(o));
  } catch {
    /* no launch options: node's defaults */
  }
  return { file: process.execPath, args: [...options, join(bin, 'woosoo-engine.cjs'), ...args] };
}
