/**
 * The one place the engine starts processes. execa, never a shell, arguments as an array, a timeout on
 * everything, the PowerShell session's environment, and cancellation wired to the request's AbortSignal.
 * Output is captured as bytes and decoded here (NSSM 2.23 writes UTF-16LE without a BOM).
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { redact } from '../util/redact';
import { decodeOutput } from './decode';
import { windowsCommandLine } from './quote';

export interface RunOptions {
  cwd?: string;
  /** The complete environment for the child (the session's, from the request context). */
  env?: Record<string, string>;
  /** Milliseconds before the child is killed; default 60 s. 0 = no limit (builds use their own). */
  timeoutMs?: number;
  signal?: AbortSignal;
  input?: string;
  /** Called for each complete output line as it arrives (builds stream to the deploy log). */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Pipe stdout to this writable instead of capturing it (e.g. a dump into gzip). */
  stdoutTo?: NodeJS.WritableStream;
  /** Pipe this readable into the child's stdin (e.g. gunzip of a dump into the database client). */
  stdinFrom?: NodeJS.ReadableStream;
}

export interface RunResult {
  /** The command as it would be typed, with secrets masked: safe for logs and -Verbose. */
  display: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** The program could not be started at all (not found, not executable). */
  notFound: boolean;
  /** The spawn error when the program could not start. */
  spawnError?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function displayCommand(file: string, args: readonly string[]): string {
  const q = (a: string) => (a === '' || /[\s"'$`]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a);
  return redact([file, ...args].map(q).join(' '));
}

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const display = displayCommand(file, args);
  const viaCmd = process.platform === 'win32' && /\.(cmd|bat)$/i.test(file);
  // Windows refuses to spawn .cmd/.bat without a shell (CVE-2024-27980): run them through cmd.exe
  // with a command line we quote ourselves, never with shell: true.
  const [exe, argv] = viaCmd ? ['cmd.exe', ['/d', '/s', '/c', `"${windowsCommandLine([file, ...args])}"`]] : [file, [...args]];
  const timeout = opts.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : opts.timeoutMs;

  const child = execa(exe, argv, {
    cwd: opts.cwd,
    env: opts.env ?? (process.env as Record<string, string>),
    extendEnv: false,
    shell: false,
    reject: false,
    windowsHide: true,
    windowsVerbatimArguments: viaCmd,
    // Its own process group on POSIX, so a timeout or a cancel ends the whole tree: a grandchild that keeps
    // the output pipes open would otherwise keep the call hanging after the child is gone.
    detached: process.platform !== 'win32',
    input: opts.input,
    stdin: opts.input === undefined && !opts.stdinFrom ? 'ignore' : undefined,
    encoding: 'buffer',
    buffer: { stdout: !opts.stdoutTo, stderr: true },
    stripFinalNewline: false,
  });

  let timedOut = false;
  let cancelled = false;
  const stop = (why: 'timeout' | 'cancel') => {
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    killTree(child.pid);
  };
  const timer = timeout > 0 ? setTimeout(() => stop('timeout'), timeout) : undefined;
  const onAbort = () => stop('cancel');
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  if (opts.stdoutTo) child.stdout?.pipe(opts.stdoutTo);
  if (opts.stdinFrom && child.stdin) {
    // A child that exits early closes its stdin: that is its exit code's story, not an unhandled EPIPE.
    child.stdin.on('error', () => {});
    opts.stdinFrom.pipe(child.stdin);
  }
  if (opts.onLine) {
    streamLines(child.stdout, (l) => opts.onLine!('stdout', l));
    streamLines(child.stderr, (l) => opts.onLine!('stderr', l));
  }

  const r = await child;
  if (timer) clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  const code = (r as { code?: string }).code;
  const notFound = r.exitCode === undefined && (code === 'ENOENT' || code === 'EACCES' || code === 'EINVAL');
  return {
    display,
    exitCode: r.exitCode ?? null,
    stdout: opts.stdoutTo ? '' : decodeOutput(toBuffer(r.stdout)),
    stderr: decodeOutput(toBuffer(r.stderr)),
    durationMs: Math.round(performance.now() - started),
    timedOut,
    cancelled,
    notFound,
    spawnError: notFound ? redact(r.originalMessage ?? r.shortMessage ?? String(code)) : undefined,
  };
}

/**
 * Ends a process and everything it started: SIGTERM to the group, SIGKILL after 3 s; on Windows `taskkill /T /F`
 * (System32's, not whatever PATH offers), and where taskkill fails (missing, refused, or without /T as Wine's is) the
 * process itself, so a cancelled request never waits on a child that lives on.
 */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const signal = (sig: NodeJS.Signals | number, target: number) => {
    try {
      process.kill(target, sig);
    } catch {
      /* already gone */
    }
  };
  if (process.platform === 'win32') {
    const taskkill = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'taskkill.exe');
    void execa(taskkill, ['/pid', String(pid), '/T', '/F'], { reject: false, windowsHide: true, stdio: 'ignore' })
      .then((r) => { if (r.exitCode !== 0) signal('SIGKILL', pid); });
    return;
  }
  signal('SIGTERM', -pid);
  setTimeout(() => signal('SIGKILL', -pid), 3000).unref();
}

function toBuffer(v: unknown): Buffer {
  if (v === undefined || v === null) return Buffer.alloc(0);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(v as Uint8Array);
}

function streamLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const text = rest + decodeOutput(chunk);
    const lines = text.split(/\r*\n/);
    rest = lines.pop() ?? '';
    for (const l of lines) onLine(redact(l));
  });
  stream.on('end', () => {
    if (rest) onLine(redact(rest));
  });
}
