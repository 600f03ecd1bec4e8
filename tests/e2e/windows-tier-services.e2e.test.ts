/**
 * The Windows tier (issue 12): the service cmdlets in the real PowerShell 7 for Windows (pwsh.exe under Wine), the
 * engine the Windows node.exe, so the engine picks the NSSM backend by platform (SERVICE_MANAGER=auto, win32) and
 * drives the real nssm64.exe directly — no WOOSOO_NSSM_LAUNCHER seam, every path a Windows path.
 *
 * The stack's services come from the configuration: PHP_PATH is node.exe and the project's backend/artisan is a
 * JavaScript stand-in (NSSM under Wine supervises only Windows programs), so the queue worker is a node.exe loop and
 * reverb:start crashes at once with a known line on stderr. Each NSSM operation costs seconds under Wine, so the whole
 * sequence is ONE pwsh.exe run that gathers the facts (install, start, get, restart, stop, the crash loop, uninstall in
 * a finally), and the tests check them. The services have their own prefix (wtsvc); afterAll removes any that are left
 * with nssm64.exe itself, even when the run failed. See docs/testing.md (the Windows tier).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { freePort } from '../harness/ports';
import { shortTmp } from '../harness/tools';
import { describeWinPwsh, winPath, winPwsh, winPwshJson, wineEnv } from '../support/winpwsh';

const PREFIX = 'wtsvc';
const NAMES = [`${PREFIX}-queue-worker`, `${PREFIX}-backend`, `${PREFIX}-reverb`];
const CRASH_TEXT = 'reverb stand-in: cannot bind the socket (WTSVC-CRASH-7)';
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The JavaScript artisan: node.exe runs it as `node.exe artisan <command> …` in BACKEND_PATH. queue:work loops;
 * serve listens on its --port only after 2 s (so a start that did not wait for the port would be caught); reverb:start
 * crashes at once while the file reverb-broken exists beside it (the cause an administrator then removes), else listens.
 */
const ARTISAN = `// A stand-in for Laravel's artisan, run by node.exe under NSSM (windows-tier-services.e2e.test.ts).
const fs = require('fs');
const http = require('http');
const command = process.argv[2];
const port = Number((process.argv.find((a) => a.startsWith('--port=')) || '--port=0').slice(7));
const listen = (delayMs) => setTimeout(() => {
  http.createServer((req, res) => res.end(command + ' ok')).listen(port, '127.0.0.1', () => console.log(command + ' listening on ' + port));
}, delayMs);
if (command === 'queue:work') {
  let i = 0;
  console.log('worker started, pid ' + process.pid);
  setInterval(() => console.log('processed job ' + ++i), 500);
} else if (command === 'serve') {
  listen(2000);
} else if (command === 'reverb:start' && !fs.existsSync('reverb-broken')) {
  listen(0);
} else {
  console.error(${JSON.stringify(CRASH_TEXT)});
  process.exit(3);
}
`;

/** nssm64.exe run directly under Wine (Linux side): the clean-up that does not depend on PowerShell or the engine. */
function nssm(...args: string[]): number | null {
  const exe = winPwsh.info.nssm ?? join(ROOT, '.cache', 'nssm', '2.24', 'nssm64.exe');
  return spawnSync('wine', [exe, ...args], { env: wineEnv(), stdio: 'ignore', timeout: 60_000 }).status;
}

describeWinPwsh('service cmdlets on PowerShell for Windows, NSSM supervising node.exe', () => {
  let dir: string;
  let r: any;

  let backendPort: number;
  let reverbPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(shortTmp(), 'wtsvc-'));
    mkdirSync(join(dir, 'backend'));
    writeFileSync(join(dir, 'backend', 'artisan'), ARTISAN);
    writeFileSync(join(dir, 'backend', 'reverb-broken'), 'remove me to let reverb start\n');
    backendPort = await freePort();
    reverbPort = await freePort();
    const config = {
      ENVIRONMENT: 'production', APP_IP: '127.0.0.1', DB_HOST: '127.0.0.1', DB_DATABASE: 'woosoo', DB_USERNAME: 'woosoo',
      DB_PASSWORD: 'test-Passw0rd-123', REVERB_APP_KEY: 'test-reverb-key-1', REVERB_APP_SECRET: 'test-reverb-secret-1',
      BACKEND_PATH: 'backend', PWA_PATH: 'backend', SERVICE_PREFIX: PREFIX, SERVICE_DB_NAME: '',
      PHP_PATH: 'C:\\Program Files\\nodejs\\node.exe', NSSM_PATH: winPath(winPwsh.info.nssm ?? ''),
      BACKEND_PORT: String(backendPort), REVERB_PORT: String(reverbPort),
      // Short windows: a healthy start must stay up 1.5 s; a crash loop is caught well before 20 s. Stops get the
      // default's double: under Wine, with the Linux run's load gone but the tier's own pwsh.exe and node.exe busy, a
      // stop of the resumed reverb once still showed Running after 20 s (1 CI run in 5; the uninstall of all four
      // usually takes 20-25 s). The deadline is a limit, not a wait: a passing stop is as quick as before.
      SERVICE_THROTTLE_MS: '1500', SERVICE_START_TIMEOUT_SECONDS: '20', SERVICE_STOP_TIMEOUT_SECONDS: '60', LOG_ROTATE_BYTES: '0',
    };
    writeFileSync(join(dir, 'deployment.config.env'), Object.entries(config).map(([k, v]) => `${k}='${v}'\n`).join(''));
    const P = q(winPath(dir));
    const row = `ForEach-Object { [pscustomobject]@{ Type = $_.PSObject.TypeNames[0]; Name = $_.Name; Status = [string]$_.Status; Pid = $_.ProcessId; Backend = $_.Backend
        Application = $_.Application; Arguments = $_.Arguments; WorkingDirectory = $_.WorkingDirectory; StdoutLog = $_.StdoutLog; StderrLog = $_.StderrLog; StartType = $_.StartType } }`;
    r = winPwshJson(String.raw`
      $r = [ordered]@{}; $t = [System.Diagnostics.Stopwatch]::StartNew(); $ms = [ordered]@{}
      $lap = { param($n) $ms[$n] = $t.ElapsedMilliseconds; $t.Restart() }
      try {
        $r.Installed = @(Install-WoosooService -Path ${P} -Name queue-worker, backend, reverb -PassThru | ${row}); & $lap Install
        $r.Started = @(Start-WoosooService -Path ${P} -Name queue-worker -PassThru | ${row}); & $lap Start
        $r.Got = @(Get-WoosooService -Path ${P} | ${row}); & $lap Get
        $r.Image = (Get-Process -Id $r.Got[0].Pid -ErrorAction SilentlyContinue).ProcessName
        $r.Restarted = @(Restart-WoosooService -Path ${P} -Name queue-worker -PassThru | ${row}); & $lap Restart
        $r.Stopped = @(Stop-WoosooService -Path ${P} -Name queue-worker -PassThru | ${row}); & $lap Stop
        $r.OldGone = $null -eq (Get-Process -Id $r.Restarted[0].Pid -ErrorAction SilentlyContinue)
        # A service with a port: Start returns once the port answers (the stand-in listens 2 s after it starts).
        $r.Backend = @(Start-WoosooService -Path ${P} -Name backend -PassThru | ${row}); & $lap StartBackend
        $r.BackendPortOpen = $(try { $c = [System.Net.Sockets.TcpClient]::new(); $c.Connect('127.0.0.1', ${backendPort}); $c.Dispose(); $true } catch { $false })
        $null = Start-WoosooService -Path ${P} -Name reverb -ErrorVariable crash -ErrorAction SilentlyContinue; & $lap Crash
        $r.Crash = @($crash | ForEach-Object { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Target = [string]$_.TargetObject } })
        # NSSM alternates between throttling (SERVICE_PAUSED) and restarting the app (START_PENDING): one look.
        $r.CrashStates = @([string](Get-WoosooService -Path ${P} -Name reverb).Status)
        & $lap CrashState
        # The administrator removes the cause, then retries the throttled service at once.
        Remove-Item -LiteralPath ${q(winPath(join(dir, 'backend', 'reverb-broken')))} -ErrorAction Stop
        $r.Resumed = @(Resume-WoosooService -Path ${P} -Name reverb -PassThru | ${row}); & $lap Resume
        # Resume returns at once when NSSM had already restarted the app itself: the port may need a moment.
        $r.ReverbPortOpen = $false
        foreach ($i in 1..40) {
          if ($(try { $c = [System.Net.Sockets.TcpClient]::new(); $c.Connect('127.0.0.1', ${reverbPort}); $c.Dispose(); $true } catch { $false })) { $r.ReverbPortOpen = $true; break }
          Start-Sleep -Milliseconds 250
        }
      } finally {
        Uninstall-WoosooService -Path ${P} -Name queue-worker, backend, reverb -Confirm:$false -ErrorVariable un -ErrorAction Continue; & $lap Uninstall
        $r.UninstallErrors = @($un | ForEach-Object { [string]$_ })
        $r.After = @(Get-WoosooService -Path ${P} | ForEach-Object { $_.Name + ' ' + $_.Status })
        $r.Ms = $ms
      }
      [pscustomobject]$r | ConvertTo-Json -Depth 20 -Compress`, { timeoutMs: 420_000 });
  }, 480_000);

  afterAll(() => {
    // Whatever the run left (a failure, a timeout): stop and remove this file's services with nssm64.exe itself.
    for (const name of NAMES) {
      if (nssm('status', name) !== 3) {
        nssm('stop', name);
        nssm('remove', name, 'confirm');
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('Install-WoosooService -PassThru: Woosoo.Service objects, Stopped, Backend NSSM chosen by platform, Windows paths', () => {
    expect(r.Installed.map((s: any) => [s.Type, s.Name, s.Status, s.Backend])).toEqual([
      ['Woosoo.Service', `${PREFIX}-queue-worker`, 'Stopped', 'NSSM'],
      ['Woosoo.Service', `${PREFIX}-backend`, 'Stopped', 'NSSM'],
      ['Woosoo.Service', `${PREFIX}-reverb`, 'Stopped', 'NSSM'],
    ]);
    const w = r.Installed[0];
    // Read back from NSSM's registry values: what a Windows service really runs.
    expect(w.Application).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(w.WorkingDirectory).toBe(winPath(join(dir, 'backend')));
    expect(w.StdoutLog).toBe(winPath(join(dir, 'logs', `${PREFIX}-queue-worker`, 'output.log')));
    expect(w.StderrLog).toBe(winPath(join(dir, 'logs', `${PREFIX}-queue-worker`, 'error.log')));
    expect(w.Arguments).toContain('artisan queue:work');
    expect(w.StartType).toBe('Automatic');
  });

  it('Start-WoosooService runs it; Get-WoosooService shows it Running with the PID of node.exe, the other Stopped', () => {
    expect(r.Started.map((s: any) => [s.Name, s.Status])).toEqual([[`${PREFIX}-queue-worker`, 'Running']]);
    expect(r.Got.map((s: any) => [s.Name, s.Status, s.Backend])).toEqual(expect.arrayContaining([
      [`${PREFIX}-queue-worker`, 'Running', 'NSSM'],
      [`${PREFIX}-backend`, 'Stopped', 'NSSM'],
      [`${PREFIX}-reverb`, 'Stopped', 'NSSM'],
    ]));
    const worker = r.Got.find((s: any) => s.Name === `${PREFIX}-queue-worker`);
    expect(worker.Pid).toBeGreaterThan(0);
    expect(worker.Pid).toBe(r.Started[0].Pid);
    expect(r.Image).toBe('node');
  });

  it('Restart-WoosooService gives a new node.exe (a new PID); Stop-WoosooService stops it and its process is gone', () => {
    expect(r.Restarted.map((s: any) => [s.Name, s.Status])).toEqual([[`${PREFIX}-queue-worker`, 'Running']]);
    expect(r.Restarted[0].Pid).toBeGreaterThan(0);
    expect(r.Restarted[0].Pid).not.toBe(r.Started[0].Pid);
    expect(r.Stopped.map((s: any) => [s.Name, s.Status])).toEqual([[`${PREFIX}-queue-worker`, 'Stopped']]);
    expect(r.OldGone).toBe(true);
  });

  it('a service with a port: Start-WoosooService returns it Running only once the port answers', () => {
    expect(r.Backend.map((s: any) => [s.Name, s.Status])).toEqual([[`${PREFIX}-backend`, 'Running']]);
    expect(r.Backend[0].Arguments).toContain(`--port=${backendPort}`);
    expect(r.BackendPortOpen).toBe(true);
  });

  it('a crash-looping app: Start-WoosooService is a Woosoo.ServiceCrashLoop error with the app\'s stderr line; NSSM shows it Throttled', () => {
    expect(r.Crash).toHaveLength(1);
    expect(r.Crash[0].Id).toMatch(/^Woosoo\.ServiceCrashLoop/);
    expect(r.Crash[0].Message).toContain(`${PREFIX}-reverb does not stay up`);
    expect(r.Crash[0].Message).toContain(CRASH_TEXT);
    // Either sign of the loop, whichever the engine sees first: NSSM's throttling, or a new PID while starting (on a
    // loaded machine the restart can beat NSSM's throttle state to the engine's look).
    expect(r.Crash[0].Message).toMatch(/NSSM reports it is throttling restarts of an application that keeps exiting|its process changed from \d+ to \d+ while starting/);
    expect(r.Crash[0].Target).toBe(`${PREFIX}-reverb`);
    // The error above is the engine seeing NSSM's Throttled (SERVICE_PAUSED) through the same query as Get-WoosooService.
    // A look afterwards is a snapshot of NSSM's restarting: Throttled, StartPending while NSSM restarts the app between
    // two throttled waits (seen here for 28 s in a row under Wine), or even Running for the moment the app is up before
    // it exits again (seen once in ten runs) — never Stopped or NotInstalled: NSSM keeps trying.
    expect(['Throttled', 'Failed', 'StartPending', 'Running']).toContain(r.CrashStates[0]);
  });

  it('Resume-WoosooService, once the cause is removed, restarts the throttled service at once and waits until it runs', () => {
    expect(r.Resumed.map((s: any) => [s.Name, s.Status])).toEqual([[`${PREFIX}-reverb`, 'Running']]);
    expect(r.Resumed[0].Pid).toBeGreaterThan(0);
    expect(r.ReverbPortOpen).toBe(true);
  });

  it('Uninstall-WoosooService -Confirm:$false leaves nothing installed (and nssm64.exe agrees)', () => {
    expect(r.UninstallErrors).toEqual([]);
    expect(r.After).toEqual(expect.arrayContaining([`${PREFIX}-queue-worker NotInstalled`, `${PREFIX}-reverb NotInstalled`]));
    expect(r.After.filter((s: string) => !s.endsWith(' NotInstalled'))).toEqual([]);
    for (const name of NAMES) expect(nssm('status', name), name).toBe(3);
    console.log(`windows-tier-services: per step (ms) ${JSON.stringify(r.Ms)}; crash states ${JSON.stringify(r.CrashStates)}; ${r.Crash?.[0]?.Message}`);
  });
}, { timeout: 480_000 });
