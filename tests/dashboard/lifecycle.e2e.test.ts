/**
 * Start-, Get- and Stop-WoosooDashboard from the real pwsh (both tiers), one session on a copy of the demo: the
 * dashboard starts as a background process on a free port and answers for real (GET /api/session without a session:
 * 401); Get-WoosooDashboard shows it Running with its URL and PID; a second start of the project, another project on
 * the same port, a LAN address without -AllowRemote and -WhatIf are refused or do nothing, each clearly; Stop makes it
 * Stopped, the process is gone and its state file removed. -BindAddress completes this machine's addresses.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readState, stateFile } from '../../core/dashboard/hostplan';
import { pidAlive } from '../../core/process/pid';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson, TIER, tierServiceConfig } from '../support/pwsh';
import { freePort } from '../harness/ports';
import { pm2BinPath } from '../harness/pm2';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';

describePwsh('the dashboard as a background process end to end', () => {
  let dir: string;
  let other: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-dash-'));
    other = mkdtempSync(join(tmpdir(), 'woosoo-dash-other-'));
    cpSync(join(ROOT, 'examples', 'demo'), dir, { recursive: true });
    cpSync(join(ROOT, 'examples', 'demo', 'deployment.config.env'), join(other, 'deployment.config.env'));
    // Its own service names (a Windows tier's NSSM services live in the Wine prefix), and that tier's NSSM.
    appendFileSync(join(dir, 'deployment.config.env'), `\nSERVICE_PREFIX=wtdash\n${tierServiceConfig()}`);
  });
  afterAll(async () => {
    if (existsSync(pm2Home(dir))) await killPm2(new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env: process.env as Record<string, string> }));
    for (const d of [dir, other]) {
      const left = readState(d);
      if (left && TIER === 'linux' && pidAlive(left.pid)) process.kill(left.pid, 'SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('starts, answers, refuses clearly, shows Running, stops to Stopped with the process gone', async () => {
    const port = await freePort();
    const err = (cmd: string) => `$(try { ${cmd} -Confirm:$false -ErrorAction Stop | Out-Null; 'no error' } catch { '{0}|{1}|{2}' -f $_.FullyQualifiedErrorId, $_.Exception.Message, $_.ErrorDetails.RecommendedAction })`;
    const r = pwshJson(`$ErrorActionPreference = 'Stop'
      Start-WoosooDashboard -Path '${dir}' -Port ${port} -WhatIf
      $whatIf = Test-Path '${join(dir, '.woosoo', 'dashboard.json')}'
      $started = Start-WoosooDashboard -Path '${dir}' -Port ${port} -Confirm:$false
      $got = Get-WoosooDashboard -Path '${dir}'
      $status = [int](Invoke-WebRequest -Uri ($got.Url + 'api/session') -UseBasicParsing -SkipHttpErrorCheck -TimeoutSec 20).StatusCode
      $again = ${err(`Start-WoosooDashboard -Path '${dir}' -Port ${port}`)}
      $busy = ${err(`Start-WoosooDashboard -Path '${other}' -Port ${port}`)}
      $remote = ${err(`Start-WoosooDashboard -Path '${other}' -Port ${port} -BindAddress 10.11.12.13`)}
      $table = $got | Out-String -Width 80
      $stopped = Stop-WoosooDashboard -Path '${dir}' -PassThru -Confirm:$false
      $after = Get-WoosooDashboard -Path '${dir}'
      $line = 'Start-WoosooDashboard -BindAddress '
      $complete = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText })
      [pscustomobject]@{
        WhatIf = $whatIf; Type = $started.PSObject.TypeNames[0]; Started = $started; Got = $got; Status = $status
        Again = $again; Busy = $busy; Remote = $remote; Table = $table; Stopped = $stopped.State; After = $after.State
        Complete = $complete; Gone = ($null -eq (Get-Process -Id $started.Pid -ErrorAction SilentlyContinue))
      } | ConvertTo-Json -Depth 20 -Compress`, { timeoutMs: TIER === 'windows' ? 200_000 : 90_000 });

    expect(r.WhatIf).toBe(false);
    expect(r.Type).toBe('Woosoo.DashboardInfo');
    expect(r.Started).toMatchObject({ State: 'Running', Port: port, BindAddress: '127.0.0.1', Https: false, Url: `http://127.0.0.1:${port}/` });
    expect(r.Started.Pid).toBeGreaterThan(0);
    expect(r.Got).toMatchObject({ State: 'Running', Pid: r.Started.Pid, Url: r.Started.Url, StartedAt: r.Started.StartedAt });
    expect(r.Status).toBe(401); // the real server, with its authentication
    expect(r.Table).toMatch(new RegExp(`Running\\s+${r.Started.Pid}\\s+http://127\\.0\\.0\\.1:${port}/`));

    expect(r.Again).toMatch(/^Woosoo\.DashboardAlreadyRunning/);
    expect(r.Again).toContain(`http://127.0.0.1:${port}/`);
    const [busyId, busyMessage, busyFix] = r.Busy.split('|');
    expect(busyId).toMatch(/^Woosoo\.DashboardPortInUse/);
    expect(busyMessage).toContain(`port ${port}`);
    expect(busyFix).toContain('-Port');
    expect(existsSync(stateFile(other))).toBe(false);
    expect(r.Remote).toMatch(/^Woosoo\.DashboardRemoteRefused.*-AllowRemote/s);

    // -BindAddress completes loopback first, this machine's addresses, every interface last.
    expect(r.Complete[0]).toBe('127.0.0.1');
    expect(r.Complete.at(-1)).toBe('0.0.0.0');
    expect(r.Complete.every((a: string) => /^\d+\.\d+\.\d+\.\d+$/.test(a))).toBe(true);

    expect(r.Stopped).toBe('Stopped');
    expect(r.After).toBe('Stopped');
    expect(r.Gone).toBe(true);
    expect(existsSync(stateFile(dir))).toBe(false);
    if (TIER === 'linux') expect(pidAlive(r.Started.Pid)).toBe(false);
    const log = readFileSync(join(dir, 'logs', 'woosoo', 'dashboard.log'), 'utf8');
    expect(log).toMatch(/started: http:\/\/127\.0\.0\.1/);
    // SIGTERM ends it in order on Linux; Windows has no signal to catch (the process is terminated, Stop removes the file).
    if (TIER === 'linux') expect(log).toMatch(/stopping \(SIGTERM\)[\s\S]*stopped/);
  });

  it(`Install-WoosooService -Dashboard: a service (${TIER === 'windows' ? 'NSSM' : 'PM2'}) that Start-WoosooService starts and Get-WoosooDashboard finds`, async () => {
    const port = await freePort();
    // The whole stack's list on Linux; under Wine each NSSM query costs seconds, so only the dashboard's.
    const listing = TIER === 'windows' ? '-Name dashboard' : '';
    const r = pwshJson(`$ErrorActionPreference = 'Stop'
      try {
        $installed = Install-WoosooService -Path '${dir}' -Dashboard -Port ${port} -Confirm:$false -PassThru
        $listed = @(Get-WoosooService -Path '${dir}' ${listing} | ForEach-Object { $_.Name })
        Start-WoosooService -Path '${dir}' -Name dashboard -Confirm:$false
        $got = Get-WoosooDashboard -Path '${dir}'
        for ($i = 0; $got.State -ne 'Running' -and $i -lt 50; $i++) { Start-Sleep -Milliseconds 100; $got = Get-WoosooDashboard -Path '${dir}' }
        $status = [int](Invoke-WebRequest -Uri ($got.Url + 'api/session') -UseBasicParsing -SkipHttpErrorCheck -TimeoutSec 20).StatusCode
        $stop = try { Stop-WoosooDashboard -Path '${dir}' -Confirm:$false; 'no error' } catch { $_.FullyQualifiedErrorId + '|' + $_.ErrorDetails.RecommendedAction }
      }
      finally { Uninstall-WoosooService -Path '${dir}' -Name dashboard -Confirm:$false }
      $after = Get-WoosooDashboard -Path '${dir}'
      for ($i = 0; $after.State -eq 'Running' -and $i -lt 50; $i++) { Start-Sleep -Milliseconds 100; $after = Get-WoosooDashboard -Path '${dir}' }
      [pscustomobject]@{
        Installed = '{0}/{1}' -f $installed.Name, $installed.Status; Listed = $listed; Got = $got; Status = $status; Stop = $stop
        After = $after.State; Gone = ($null -eq (Get-Process -Id $got.Pid -ErrorAction SilentlyContinue))
      } | ConvertTo-Json -Depth 20 -Compress`, { timeoutMs: TIER === 'windows' ? 200_000 : 90_000 });
    expect(r.Installed).toBe('wtdash-dashboard/Stopped');
    expect(r.Listed).toContain('wtdash-dashboard');
    expect(r.Got).toMatchObject({ State: 'Running', Url: `http://127.0.0.1:${port}/` });
    expect(r.Status).toBe(401);
    expect(r.Stop).toMatch(/^Woosoo\.DashboardIsService.*Stop-WoosooService -Name dashboard/);
    // PM2 stops the host with SIGINT, which it catches (removing its state file). NSSM sends Ctrl+C first (node's
    // SIGINT) and terminates it when that does not end it: then the file stays, naming a process that is gone.
    expect(TIER === 'windows' ? ['Stopped', 'Stale'] : ['Stopped']).toContain(r.After);
    expect(r.Gone).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.woosoo', 'dashboard.service.json'), 'utf8'))).toMatchObject({ port, bindAddress: '127.0.0.1' });
  });
});
