/**
 * The Windows tier: runs scripts in the REAL PowerShell 7 for Windows (pwsh.exe) under Wine, with the module imported
 * from its Windows path (Z:\…\Woosoo.psd1) and node.exe (the Windows build) on the system PATH, so the module starts
 * the engine as `node.exe … bin\woosoo-engine.cjs`, as on a Windows server. scripts/setup-windows-tier.sh lays it out
 * and writes .cache/windows-tier-status; docs/testing.md says what this tier proves and what it cannot.
 *
 * Same shape as tests/support/pwsh.ts (runPwsh): the script's pipeline output comes back through a file
 * (`& { script } | Out-File`), the console apart. Three things differ, all from Wine:
 * - pwsh.exe needs a console: without one it prints nothing and exits 0. Each run is inside a pty (`script`), and the
 *   wrapper's first statement writes a start marker: no marker means PowerShell did not run, and the runner THROWS
 *   (a silent exit 0 must never read as a pass).
 * - Wine's directory queries ignore the Win32 wildcard `node.*` (the DOS_DOT that .NET passes down), so PowerShell's
 *   command search finds no program on PATH by bare name (`Get-Command node`, `& node`). The wrapper defines a global
 *   `Get-Command` that, only when the real one finds nothing, looks in the PATH folders with PATHEXT, as Windows does.
 *   It is a shim for Wine's file system, not for the module: on Windows the real Get-Command finds the same file.
 * - Wine's harmless noise lines are removed from stderr.
 * Wine is kept warm per test file (startWinTier: a persistent wineserver, services booted, a keeper process);
 * stopWinTier ends the keeper, and the wineserver exits by itself once no Windows process is left.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { forgetPid, killOnExit, which } from '../harness/tools';
import { ROOT } from './engine';
import type { PwshOptions, PwshResult } from './pwsh';
import { stagedWindowsManifest } from './winmodule';

export const IN_CI = process.env.CI === 'true';
export const WIN_STATUS_FILE = join(ROOT, '.cache', 'windows-tier-status');

interface Located {
  exe?: string;
  prefix?: string;
  info: Record<string, string>;
  reason: string;
}

function locate(): Located {
  if (!existsSync(WIN_STATUS_FILE)) {
    return { info: {}, reason: 'the Windows tier is not set up (run bash scripts/setup.sh; its output says why)' };
  }
  const [first = '', ...rest] = readFileSync(WIN_STATUS_FILE, 'utf8').trim().split('\n');
  if (first.startsWith('unavailable')) return { info: {}, reason: `the Windows tier is unavailable: ${first}` };
  const info: Record<string, string> = {};
  for (const line of rest) {
    const i = line.indexOf('=');
    if (i > 0) info[line.slice(0, i)] = line.slice(i + 1);
  }
  const prefix = info.prefix ?? '';
  if (!prefix || !existsSync(join(prefix, 'system.reg'))) {
    return { info, reason: `the Windows tier's Wine prefix is missing (${prefix || 'no prefix= line'}): run bash scripts/setup.sh` };
  }
  for (const tool of ['wine', 'wineserver', 'script']) {
    if (!which(tool)) return { info, reason: `${tool} is not installed (run bash scripts/setup.sh)` };
  }
  return { exe: first, prefix, info, reason: '' };
}

const found = locate();
/** What the tier has: pwsh.exe's Windows path, the prefix, versions (pwsh, node, dotnet, wine), or why it is missing. */
export const winPwsh = {
  available: found.exe !== undefined,
  exe: found.exe ?? '',
  prefix: found.prefix ?? '',
  info: found.info,
  reason: found.reason,
};

/** A Linux path as Windows programs under Wine see it (drive Z: is /). */
export function winPath(path: string): string {
  return 'Z:' + path.replace(/\//g, '\\');
}

/** The Linux path of a C:\ path inside the tier's prefix. */
export function prefixPath(windowsPath: string): string {
  const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(windowsPath);
  if (!m) throw new Error(`not a drive path: ${windowsPath}`);
  if (m[1]!.toLowerCase() === 'z') return '/' + m[2]!.replace(/\\/g, '/');
  return join(winPwsh.prefix, 'dosdevices', `${m[1]!.toLowerCase()}:`, ...m[2]!.split(/[\\/]+/).filter(Boolean));
}

/**
 * The environment of every Wine call: a small one, because Wine hands the whole Unix environment to Windows programs
 * (a Linux DOTNET_ROOT or NODE_OPTIONS would reach pwsh.exe and node.exe). W^X is off through the prefix's registry.
 */
export function wineEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    USER: process.env.USER ?? 'root',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    WINEPREFIX: winPwsh.prefix,
    WINEDEBUG: '-all',
    // winedbg: a crash ends the process instead of waiting for a debugger; mshtml: no Gecko prompt.
    WINEDLLOVERRIDES: 'mshtml=;winedbg.exe=d;winemenubuilder.exe=d',
  };
  if (process.env.CI) env.CI = process.env.CI;
  return { ...env, ...extra };
}

// ---- keeping Wine warm -------------------------------------------------------------------------------------------
let keeperPid: number | undefined;

/**
 * Starts (or joins) the prefix's wineserver, boots Wine's services without our pipes, and keeps a keeper process so
 * the services stay up between runs. Returns how long it took (ms). Safe to call twice.
 */
export function startWinTier(): number {
  const t0 = Date.now();
  if (!winPwsh.available || keeperPid) return 0;
  const env = wineEnv();
  const quiet = (args: string[], timeout = 120_000) =>
    spawnSync(args[0]!, args.slice(1), { env, stdio: 'ignore', timeout, cwd: ROOT });
  // Persist 15 s after the last Windows process: the server ends by itself after the last test file's keeper.
  // (When another test file already started it, this fails harmlessly and we join that server.)
  quiet(['wineserver', '-p15'], 30_000);
  quiet(['wine', 'wineboot']);
  const keeper = spawn('wine', ['notepad'], { env, stdio: 'ignore', detached: true, cwd: ROOT });
  keeper.unref();
  keeperPid = keeper.pid;
  killOnExit(keeperPid);
  return Date.now() - t0;
}

/** Ends this file's keeper; the wineserver exits 15 s after the last Windows process (others' files included). */
export function stopWinTier(): void {
  if (!keeperPid) return;
  try {
    process.kill(-keeperPid, 'SIGKILL');
  } catch {
    try {
      process.kill(keeperPid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  forgetPid(keeperPid);
  keeperPid = undefined;
}

/**
 * A describe() for a suite that needs the Windows tier: keeps Wine warm around it; where the tier is missing, skips
 * with the reason, or under CI=true fails with it (CI must never pass with the tier silently gone).
 */
export function describeWinPwsh(title: string, body: () => void, opts: { missing?: string; timeout?: number } = {}): void {
  const reason = winPwsh.available ? opts.missing : winPwsh.reason;
  const name = `${title} (Windows pwsh under Wine)`;
  if (!reason) {
    describe(name, opts.timeout ? { timeout: opts.timeout } : {}, () => {
      beforeAll(() => void startWinTier(), 180_000);
      afterAll(() => stopWinTier());
      body();
    });
  } else if (IN_CI) {
    describe(name, () => {
      it('has what it needs, which CI=true requires', () => {
        throw new Error(reason);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${reason}`, body);
  }
}

// ---- running a script --------------------------------------------------------------------------------------------
export interface WinPwshOptions extends PwshOptions {
  /**
   * false: the script runs as written, as a `pwsh.exe -File` script an administrator would write (no
   * $ErrorActionPreference, no Import-Module, no Out-File: its exit code is pwsh's own). Default true: the preamble of
   * runPwsh, and the pipeline output goes to `stdout`.
   */
  preamble?: boolean;
  /** Only for the test that proves the runner fails loudly: run without the pty (pwsh.exe then cannot start). */
  pty?: boolean;
  /** Another Windows program instead of pwsh.exe (same test). */
  exe?: string;
}

export interface WinPwshResult extends PwshResult {
  durationMs: number;
}

/** Lines Wine prints on every run that say nothing about the program. */
const WINE_NOISE = [
  /^wine: Read access denied for device L"\\\\\?\?\\\\Z:\\\\"/,
  /^it looks like wine32 is missing/,
  /^multiarch needs to be enabled first/,
  /^execute "dpkg --add-architecture i386/,
  /^apt-get install wine32/,
  /^\s*$/,
];
export function filterWineNoise(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => !WINE_NOISE.some((re) => re.test(l)))
    .join('\n');
}

const psQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Finds a program on PATH the way Windows does, for Wine (see the header): used only when Get-Command finds nothing. */
const GET_COMMAND_SHIM = String.raw`function global:Get-Command {
    $callerPreference = $ErrorActionPreference; $ErrorActionPreference = 'Continue'
    $all = @(try { Microsoft.PowerShell.Core\Get-Command @args 2>&1 } catch { $_ })
    $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $found = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
    $name = $null; $types = $null
    for ($i = 0; $i -lt $args.Count; $i++) {
        $a = $args[$i]
        if ($a -is [string] -and $a -match '^-(Name|CommandType)$') { if ($Matches[1] -eq 'Name') { $name = $args[$i + 1] } else { $types = $args[$i + 1] }; $i++ }
        elseif ($a -is [string] -and $a -match '^-') { if ($a -notmatch ':' -and $i + 1 -lt $args.Count -and -not ($args[$i + 1] -is [string] -and $args[$i + 1] -match '^-')) { $i++ } }
        elseif ($null -eq $name) { $name = $a }
    }
    $eligible = $found.Count -eq 0 -and $name -is [string] -and $name -notmatch '[\\/:*?\[]' -and
        ($null -eq $types -or (([System.Management.Automation.CommandTypes]$types) -band [System.Management.Automation.CommandTypes]::Application))
    if ($eligible) {
        foreach ($dir in @($env:PATH -split ';' | Where-Object { $_ })) {
            foreach ($ext in @('') + @($env:PATHEXT -split ';' | Where-Object { $_ })) {
                $candidate = Join-Path $dir ($name + $ext)
                if ([System.IO.File]::Exists($candidate)) { return (Microsoft.PowerShell.Core\Get-Command -Name $candidate -CommandType Application) }
            }
        }
    }
    $ErrorActionPreference = $callerPreference
    foreach ($e in $errors) { Write-Error -ErrorRecord $e }
    $found
}
`;

/**
 * The module's Windows path, as a Windows script names it: the copy with woosoo-engine.exe that global setup staged
 * (tests/support/winmodule.ts), or the source tree's when WOOSOO_WINDOWS_ENGINE=node.
 */
export const MODULE_WIN_PATH = winPath(stagedWindowsManifest() ?? join(ROOT, 'Woosoo.psd1'));

/**
 * The shell command line of an interactive pwsh.exe for a terminal (a tmux pane): Wine's environment, and the
 * Get-Command shim loaded first (`-NoExit -File`), so the module finds node.exe as in runWinPwsh, and no PSReadLine.
 * The caller removes `dir` afterwards.
 */
export function winConsoleCommand(): { command: string; dir: string } {
  if (!winPwsh.available) throw new Error(winPwsh.reason);
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-winconsole-'));
  // PSReadLine redraws the whole line on every key, and each redraw through Wine's console costs enough that a long
  // typed line takes a minute: the plain console line editor instead (Ctrl+C reaches a running pipeline the same way).
  const init = `${GET_COMMAND_SHIM}\nRemove-Module PSReadLine -ErrorAction SilentlyContinue\n`;
  writeFileSync(join(dir, 'init.ps1'), '\uFEFF' + init.replace(/\r?\n/g, '\r\n'));
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const env = Object.entries(wineEnv({ TERM: process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm' }))
    .filter(([k]) => k !== 'NO_COLOR')
    .map(([k, v]) => `${k}=${q(v)}`);
  const command = `env -i ${env.join(' ')} wine ${q(winPwsh.exe)} -NoProfile -NoLogo -NoExit -File ${q(winPath(join(dir, 'init.ps1')))}`;
  return { command, dir };
}

/** PowerShell for Windows did not start; `nothingRan` when the run ended at once without a trace of the script. */
class NotStarted extends Error {
  constructor(readonly nothingRan: boolean, message: string) {
    super(message);
  }
}

/**
 * Whether a run that failed is to be run again, once: pwsh.exe ended at once without starting the script at all.
 * Under Wine, with the machine busy, `wine pwsh.exe` now and then exits 0 in under a second having run nothing (CI of
 * 2026-12-03: 832 ms, no marker, no output, no error). Safe: the script never began. Anything else that did not start
 * still fails.
 */
function startedNothing(err: unknown): boolean {
  if (!(err instanceof NotStarted) || !err.nothingRan) return false;
  process.stderr.write(`winpwsh: ${err.message.split('\n')[0]}; running it once more\n`);
  return true;
}

/** The wrapper script, the `script`/`timeout` command line, and how to read the run's files once it has ended. */
function prepareWin(script: string, opts: WinPwshOptions) {
  if (!winPwsh.available) throw new Error(winPwsh.reason);
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-winpwsh-'));
  const f = (name: string) => join(dir, name);
  const preamble = opts.preamble !== false;
  const wrapper = [
    // First: the proof that PowerShell ran this file at all.
    `[System.IO.File]::WriteAllText(${psQuote(winPath(f('started')))}, [string]$PID)`,
    GET_COMMAND_SHIM,
    ...(preamble
      ? [
          `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'`,
          `Import-Module ${psQuote(MODULE_WIN_PATH)} -Force`,
          `& {\n${script}\n} | Out-File -LiteralPath ${psQuote(winPath(f('out.txt')))} -Encoding utf8 -Width 4096`,
        ]
      : [script]),
    '',
  ].join('\n');
  writeFileSync(f('script.ps1'), '\uFEFF' + wrapper.replace(/\r?\n/g, '\r\n'));
  const exe = opts.exe ?? winPwsh.exe;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `exec wine ${q(exe)} -NoLogo -NoProfile -NonInteractive -File ${q(winPath(f('script.ps1')))} >${q(f('console.txt'))} 2>${q(f('stderr.txt'))}`;
  writeFileSync(f('run.sh'), `stty cols 250 2>/dev/null\n${command}\n`);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const secs = String(Math.ceil(timeoutMs / 1000));
  // `timeout` ends the whole run (script, the pty's session and the Windows processes in it) at the deadline.
  const argv = opts.pty === false ? ['timeout', '-k', '5', secs, 'bash', f('run.sh')] : ['timeout', '-k', '5', secs, 'script', '-qec', `bash ${q(f('run.sh'))}`, '/dev/null'];
  const t0 = Date.now();
  return {
    argv,
    options: { cwd: opts.cwd ?? ROOT, env: wineEnv(opts.env) },
    /** The result; throws when PowerShell did not start. */
    result(status: number | null, runnerStderr: string): WinPwshResult {
      try {
        const durationMs = Date.now() - t0;
        const read = (name: string) => (existsSync(f(name)) ? readFileSync(f(name), 'utf8').replace(/^\uFEFF/, '') : '');
        const timedOut = status === 124 || status === 137;
        const result: WinPwshResult = {
          status: timedOut ? null : status,
          stdout: read('out.txt'),
          console: filterWineNoise(read('console.txt')),
          stderr: filterWineNoise(read('stderr.txt') + runnerStderr),
          durationMs,
        };
        if (!existsSync(f('started'))) {
          throw new NotStarted(
            // Nothing of the script can have run: no marker (its first line), no output, exit 0 well before a pwsh.exe
            // under Wine could even import the module (~5 s).
            !timedOut && status === 0 && durationMs < 3000 && !result.stdout && !result.console.trim(),
            `PowerShell for Windows did not start (no start marker) — exit ${status}${timedOut ? ' (timed out)' : ''} after ${durationMs} ms` +
              `; ${exe}${opts.pty === false ? ' without a pty' : ''}\n--- console:\n${result.console}\n--- stderr:\n${result.stderr}`,
          );
        }
        return result;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Runs a script in pwsh.exe under Wine. With the preamble (default): `$ErrorActionPreference = 'Stop'`, the module
 * imported from Z:\…\Woosoo.psd1, and the script's pipeline output returned in `stdout`. Throws when PowerShell did
 * not start. `status` is pwsh.exe's real exit code (null when the run was killed at the timeout).
 */
export function runWinPwsh(script: string, opts: WinPwshOptions = {}): WinPwshResult {
  const once = () => {
    const p = prepareWin(script, opts);
    const r = spawnSync(p.argv[0]!, p.argv.slice(1), { ...p.options, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return p.result(r.status, r.stderr ?? '');
  };
  try {
    return once();
  } catch (err) {
    if (!startedNothing(err)) throw err;
    return once();
  }
}

/** runWinPwsh without blocking this process (for tests that serve stand-ins from the test process). */
export function runWinPwshAsync(script: string, opts: WinPwshOptions = {}): Promise<WinPwshResult> {
  return runWinPwshOnce(script, opts).catch((err: unknown) => {
    if (!startedNothing(err)) throw err;
    return runWinPwshOnce(script, opts);
  });
}

function runWinPwshOnce(script: string, opts: WinPwshOptions): Promise<WinPwshResult> {
  const p = prepareWin(script, opts);
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(p.argv[0]!, p.argv.slice(1), { ...p.options, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err) => { stderr += String(err); });
    child.on('close', (code) => {
      try {
        resolve(p.result(code, stderr));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Runs a script whose pipeline output is JSON (`… | ConvertTo-Json -Depth 20 -Compress`) and parses it. */
export function winPwshJson<T = any>(script: string, opts: WinPwshOptions = {}): T {
  const r = runWinPwsh(script, opts);
  if (r.status !== 0) throw new Error(`pwsh.exe exited ${r.status}:\n${r.stderr}\n${r.console}\n${r.stdout}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`pwsh.exe output is not JSON (${(e as Error).message}):\n${r.stdout}\n--- console:\n${r.console}\n--- stderr:\n${r.stderr}`);
  }
}
