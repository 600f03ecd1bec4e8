/**
 * End to end from the real pwsh: the service cmdlets over a real PM2 backend with config-built definitions (php with
 * a stand-in artisan for the queue worker and reverb:start). A pipeline over Get-WoosooService controls the services;
 * -WhatIf changes nothing; per-service failures are non-terminating ErrorRecords; a bad name is terminating.
 * Skipped, with the reason, where PowerShell 7 is not installed.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPm2, Pm2Backend, pm2Home } from '../../core/services/pm2';
import { pm2BinPath } from '../harness/pm2';
import { freePort } from '../harness/ports';
import { hasTool, shortTmp } from '../harness/tools';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { writeProject } from './support';

const json = (script: string) => {
  return pwshJson(script, { timeoutMs: 180_000 });
};
describePwsh('service cmdlets end to end (PM2)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(shortTmp(), 'wse2e-'));
    mkdirSync(join(dir, 'backend'));
    copyFileSync(join(__dirname, 'fixtures', 'artisan'), join(dir, 'backend', 'artisan'));
    writeProject(dir, {
      SERVICE_MANAGER: 'pm2', SERVICE_PREFIX: 'wse', BACKEND_PATH: 'backend', REVERB_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()), SERVICE_THROTTLE_MS: '800',
    });
  });

  afterAll(async () => {
    if (!dir) return;
    await killPm2(new Pm2Backend({ pm2: pm2BinPath(), home: pm2Home(dir), projectDir: dir, env: process.env as Record<string, string> }));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('Install-WoosooService -PassThru returns Woosoo.Service objects', () => {
    const r = json(`@(Install-WoosooService -Path '${dir}' -Name queue-worker, reverb -PassThru | ForEach-Object {
        [pscustomobject]@{ T = $_.PSObject.TypeNames[0]; N = $_.Name; S = $_.Status; B = $_.Backend } }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual([
      { T: 'Woosoo.Service', N: 'wse-queue-worker', S: 'Stopped', B: 'PM2' },
      { T: 'Woosoo.Service', N: 'wse-reverb', S: 'Stopped', B: 'PM2' },
    ]);
  });

  it('a pipeline over Get-WoosooService starts exactly the stopped services, in order, and they really run', () => {
    const r = json(`@(Get-WoosooService -Path '${dir}' | Where-Object Status -eq Stopped | Start-WoosooService -PassThru | ForEach-Object {
        [pscustomobject]@{ N = $_.Name; S = $_.Status; Pid = $_.ProcessId; Start = $_.StartTime.GetType().Name } }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.map((x: { N: string; S: string }) => [x.N, x.S])).toEqual([['wse-queue-worker', 'Running'], ['wse-reverb', 'Running']]);
    expect(r[0].Pid).toBeGreaterThan(0);
    expect(r[0].Start).toBe('DateTime');
  });

  it('-WhatIf changes nothing, and an empty pipeline stops nothing', () => {
    const r = json(`Stop-WoosooService -Path '${dir}' -WhatIf
      Get-WoosooService -Path '${dir}' | Where-Object Status -eq 'NoSuchStatus' | Stop-WoosooService
      @(Get-WoosooService -Path '${dir}' -Name queue-worker, reverb | ForEach-Object Status) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual(['Running', 'Running']);
  });

  it('a per-service failure is a non-terminating Woosoo error; an unknown name is terminating', () => {
    const r = json(`$null = Suspend-WoosooService -Path '${dir}' -Name reverb -ErrorVariable failures -ErrorAction SilentlyContinue
      try { Start-WoosooService -Path '${dir}' -Name redis; $terminating = 'none' } catch { $terminating = $_.FullyQualifiedErrorId }
      [pscustomobject]@{ Id = $failures[0].FullyQualifiedErrorId; Cat = [string]$failures[0].CategoryInfo.Category; Fix = $failures[0].ErrorDetails.RecommendedAction; Bad = $terminating } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Id).toMatch(/^Woosoo\.PauseNotSupported/);
    expect(r.Cat).toBe('NotImplemented');
    expect(r.Fix).toContain('Stop-WoosooService');
    expect(r.Bad).toMatch(/^Woosoo\.ServiceNotFound/);
  });

  it('the default view is a table with the status, PID, uptime and port', () => {
    const r = runPwsh(`Get-WoosooService -Path '${dir}' | Out-String -Width 200`);
    expect(r.stdout).toMatch(/Name\s+Status\s+StartType\s+PID\s+Uptime\s+Restarts\s+Port/);
    expect(r.stdout).toMatch(/wse-backend\s+NotInstalled/);
    expect(r.stdout).toMatch(/wse-nginx\s+NotInstalled/);
  });

  it('Stop- then Uninstall-WoosooService -Confirm:$false leave nothing installed', () => {
    const r = json(`Stop-WoosooService -Path '${dir}'
      @(Uninstall-WoosooService -Path '${dir}' -Confirm:$false -PassThru | ForEach-Object Status) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual(['NotInstalled', 'NotInstalled', 'NotInstalled', 'NotInstalled']); // nginx, reverb, backend, queue worker
  });
}, { needs: ['pm2', 'php'], timeout: 120_000, missing: !hasTool('php') ? 'php is not installed (bash scripts/setup.sh)' : !existsSync(pm2BinPath()) ? 'pm2 is not installed (npm ci)' : undefined });
