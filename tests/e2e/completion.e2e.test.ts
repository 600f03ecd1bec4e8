/**
 * Tab completion in the real pwsh, through TabExpansion2 as the console calls it: service names, log services,
 * backup and deployment ids, Sync-WoosooConfig's apps and configuration keys, read from the project in -Path, the
 * current folder or $env:WOOSOO_PROJECT; and a project that cannot be read completes nothing, silently.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson, runPwsh, tierServiceConfig } from '../support/pwsh';

const demo = join(ROOT, 'examples', 'demo');

interface Match { Text: string; Tip: string }

/** A PowerShell function that completes a line the way the console does (cursor at the end). */
const TAB = `function Tab([string]$line) {
  @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { [pscustomobject]@{ Text = $_.CompletionText; Tip = $_.ToolTip } })
}`;

const q = (s: string) => s.replace(/'/g, "''");

function journal(project: string, id: string, status: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(project, 'deployments', id), { recursive: true });
  writeFileSync(join(project, 'deployments', id, 'journal.json'), JSON.stringify({
    format: 1, id, project, host: hostname(), pid: 999999, user: 'test', status,
    options: { scope: 'Full', skipBackup: false, skipBuild: false, skipTests: false, force: false, noRollback: false, parallel: true },
    startedAt: '2026-11-22T03:15:00.000Z', endedAt: '2026-11-22T03:16:00.000Z', steps: [], databaseMayHaveChanged: false,
    absentBefore: [], snapshotDirs: [], manifest: {}, servicesRunning: [], changed: [], details: {}, ...extra,
  }));
}

describePwsh('tab completion', () => {
  let tmp: string;
  let project: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'woosoo-complete-'));
    project = join(tmp, 'project');
    // A copy of the demo: its own backups, deployments, logs and PM2 home.
    cpSync(demo, project, { recursive: true, filter: (src) => !/[\\/](logs|backups|deployments|configs|temp|certs|\.pm2)$/.test(src) });
    writeFileSync(join(project, 'deployment.config.env'),
      `${readFileSync(join(project, 'deployment.config.env'), 'utf8')}\nSYNC_TARGETS=relay:relay.env.hbs:apps/relay-device-v2/.env\n${tierServiceConfig()}`);
    mkdirSync(join(project, 'logs', 'woosoo-backend'), { recursive: true });
    writeFileSync(join(project, 'logs', 'woosoo-backend', 'output.log'), 'Server running on [http://127.0.0.1:8001]\n');
    writeFileSync(join(project, 'logs', 'nginx-access.log'), '127.0.0.1 - - [15/Feb/2026:14:30:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"\n');
    journal(project, '20261122-031500-a1b2', 'Succeeded');
    journal(project, '20261123-031500-c3d4', 'Failed', { failedStep: 'Build', backupId: '2026-11-23_03-15-00' });
    mkdirSync(join(tmp, 'broken'));
    writeFileSync(join(tmp, 'broken', 'deployment.config.env'), 'this is not = a valid "config\nENVIRONMENT=nowhere\nHTTP_PORT=abc\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('completes configuration keys of -Path for Get-WoosooConfig -Name, with value (secrets masked) and help as tooltip', () => {
    const r = pwshJson<Match[]>(`${TAB}
      Tab "Get-WoosooConfig -Path '${q(demo)}' -Name DB_" | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.map((m) => m.Text)).toEqual(['DB_CONNECTION', 'DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USERNAME', 'DB_PASSWORD']);
    const database = r.find((m) => m.Text === 'DB_DATABASE')!;
    expect(database.Tip).toContain('woosoo_demo');
    expect(database.Tip).toMatch(/line \d+/);
    const password = r.find((m) => m.Text === 'DB_PASSWORD')!;
    expect(password.Tip).toContain('********');
    expect(JSON.stringify(r)).not.toContain('demo-Passw0rd');
  });

  it('completes the stack\'s service names for every *-WoosooService -Name, by full or short name, with the status', () => {
    const r = pwshJson<Record<string, any[]>>(`${TAB}
      [pscustomobject]@{
        All = @(Tab "Get-WoosooService -Path '${q(project)}' -Name ")
        Short = @(Tab "Restart-WoosooService -Path '${q(project)}' -Name rev")
        Worker = @(Tab "Get-WoosooService -Path '${q(project)}' -Name worker")
        Direct = @(Get-WoosooService -Path '${q(project)}' | ForEach-Object { [string]$_.Name })   # on failure: the engine's error
        Others = @('Install', 'Uninstall', 'Start', 'Stop', 'Suspend', 'Resume' | ForEach-Object { @(Tab "$_-WoosooService -Path '${q(project)}' -Name woosoo-q").Count })
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Direct).toEqual(['woosoo-queue-worker', 'woosoo-backend', 'woosoo-reverb', 'woosoo-nginx']);
    expect(r.All.map((m) => m.Text)).toEqual(r.Direct);
    expect(r.All[2].Tip).toMatch(/Reverb.*NotInstalled.*port 8081/);
    expect(r.Short.map((m) => m.Text)).toEqual(['woosoo-reverb']);
    expect(r.Worker.map((m) => m.Text)).toEqual(['woosoo-queue-worker']);
    expect(r.Others).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('completes the service names from the configuration, status unknown, where the service manager cannot be found', () => {
    const dir = join(tmp, 'no-manager');
    cpSync(project, dir, { recursive: true });
    writeFileSync(join(dir, 'deployment.config.env'),
      readFileSync(join(dir, 'deployment.config.env'), 'utf8').replace(/^(SERVICE_MANAGER|NSSM_PATH)=.*\n/gm, '') +
      `SERVICE_MANAGER=nssm\nNSSM_PATH=${join(tmp, 'no-such-nssm.exe')}\n`);
    const r = pwshJson<Record<string, any>>(`${TAB}
      [pscustomobject]@{
        Direct = $(try { Get-WoosooService -Path '${q(dir)}' | Out-Null; 'no error' } catch { $_.FullyQualifiedErrorId })
        All = @(Tab "Start-WoosooService -Path '${q(dir)}' -Name ")
        Logs = @(Tab "Get-WoosooLog -Path '${q(dir)}' -Service woosoo-r")
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Direct).toMatch(/^Woosoo\./);
    expect(r.All.map((m: Match) => m.Text)).toEqual(['woosoo-queue-worker', 'woosoo-backend', 'woosoo-reverb', 'woosoo-nginx']);
    expect(r.All[2].Tip).toMatch(/Reverb.*status unknown.*port 8081/);
    expect(r.Logs.map((m: Match) => m.Text)).toEqual(['woosoo-reverb']);
  });

  it('completes Get-WoosooLog -Service with the services that have logs, the stack\'s others and all', () => {
    const all = pwshJson<{ All: Match[]; Short: Match[] }>(`${TAB}
      [pscustomobject]@{
        All = @(Tab "Get-WoosooLog -Path '${q(project)}' -Service ")
        Short = @(Tab "Get-WoosooLog -Path '${q(project)}' -Service back")
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(all.Short.map((m) => m.Text)).toEqual(['woosoo-backend']);
    const r = all.All;
    const names = r.map((m) => m.Text);
    expect(names).toEqual(expect.arrayContaining(['woosoo-backend', 'nginx', 'woosoo-reverb', 'all']));
    expect(names.indexOf('woosoo-backend')).toBeLessThan(names.indexOf('woosoo-reverb'));
    expect(r.find((m) => m.Text === 'woosoo-backend')!.Tip).toMatch(/1 file\(s\).*last written/);
    expect(r.find((m) => m.Text === 'woosoo-reverb')!.Tip).toContain('no logs yet');
  });

  it('completes backup ids (newest first, date and description as tooltip) for Get/Test/Restore/Remove-WoosooBackup', () => {
    const r = pwshJson<{ Ids: string[]; Get: Match[]; Counts: number[] }>(`${TAB}
      $a = New-WoosooBackup -Path '${q(project)}' -Description 'before the upgrade'
      $b = New-WoosooBackup -Path '${q(project)}' -Description 'after the upgrade'
      [pscustomobject]@{
        Ids = @($b.Id, $a.Id)
        Get = @(Tab "Get-WoosooBackup -Path '${q(project)}' -Id ")
        Counts = @('Test', 'Restore', 'Remove' | ForEach-Object { @(Tab "$_-WoosooBackup -Path '${q(project)}' -Id ").Count })
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Get.map((m) => m.Text)).toEqual(r.Ids);
    expect(r.Get[0].Tip).toContain('after the upgrade');
    expect(r.Get[1].Tip).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \| before the upgrade \| Configs/);
    expect(r.Counts).toEqual([2, 2, 2]);
  });

  it('completes deployment ids: every one for Get-WoosooDeployment, those needing a rollback for Undo-WoosooDeploy', () => {
    const r = pwshJson<Record<string, Match[]>>(`${TAB}
      [pscustomobject]@{
        Get = @(Tab "Get-WoosooDeployment -Path '${q(project)}' -Id ")
        Undo = @(Tab "Undo-WoosooDeploy -Path '${q(project)}' -Id 2026")
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Get.map((m) => m.Text)).toEqual(['20261123-031500-c3d4', '20261122-031500-a1b2']);
    expect(r.Get[0].Tip).toMatch(/^Failed \| Full \| .* \| failed at Build \| backup 2026-11-23_03-15-00$/);
    expect(r.Get[1].Tip).toMatch(/^Succeeded/);
    expect(r.Undo.map((m) => m.Text)).toEqual(['20261123-031500-c3d4']);
  });

  it('completes Sync-WoosooConfig -App with the built-in targets and the project\'s SYNC_TARGETS', () => {
    const r = pwshJson<Match[]>(`${TAB}
      Tab "Sync-WoosooConfig -Path '${q(project)}' -App " | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.map((m) => m.Text)).toEqual(['backend', 'pwa', 'nginx', 'relay']);
    expect(r[0].Tip).toContain('woosoo-nexus');
    expect(r[3].Tip).toContain('relay.env.hbs');
  });

  it('finds the project as the cmdlets do: relative -Path against the location, the current folder or one above, $env:WOOSOO_PROJECT', () => {
    const r = pwshJson<Record<string, string[]>>(`${TAB}
      $ids = { param($line) @(Tab $line | ForEach-Object { $_.Text }) }
      Set-Location '${q(join(project, 'apps'))}'
      $here = & $ids 'Get-WoosooDeployment -Id '
      Set-Location '${q(tmp)}'
      $relative = & $ids 'Get-WoosooDeployment -Path ./project -Id '
      $env:WOOSOO_PROJECT = '${q(project)}'
      $fromEnv = & $ids 'Get-WoosooDeployment -Id '
      [pscustomobject]@{ Here = $here; Relative = $relative; Env = $fromEnv } | ConvertTo-Json -Depth 20 -Compress`);
    const both = ['20261123-031500-c3d4', '20261122-031500-a1b2'];
    expect(r).toEqual({ Here: both, Relative: both, Env: both });
  });

  it('a missing or broken project completes no values and prints nothing', () => {
    // With no values PowerShell falls back to file names, as for any parameter: an empty folder has none.
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = runPwsh(`${TAB}
      $Error.Clear()
      $lines = @(
        "Get-WoosooConfig -Path '${q(join(tmp, 'broken'))}' -Name DB"
        "Get-WoosooDeployment -Path '${q(join(tmp, 'broken'))}' -Id 2"
        "Get-WoosooBackup -Path '${q(join(tmp, 'nowhere'))}' -Id 2"
        "Start-WoosooService -Path '${q(join(tmp, 'nowhere'))}' -Name w"
        "Get-WoosooLog -Path '${q(join(tmp, 'nowhere'))}' -Service w"
        "Sync-WoosooConfig -Path '${q(join(tmp, 'nowhere'))}' -App b"
      )
      $found = foreach ($line in $lines) { Tab $line }
      [pscustomobject]@{ Found = @($found | ForEach-Object Text) } | ConvertTo-Json -Depth 20 -Compress`, { cwd: empty });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ Found: [] });
    expect(r.console.trim()).toBe('');
    expect(r.stderr.trim()).toBe('');
  });

  it('answers a second Tab from its per-project cache', () => {
    const r = pwshJson<{ First: number; Second: number; Count: number }>(`${TAB}
      $line = "Get-WoosooConfig -Path '${q(demo)}' -Name APP_"
      $t = [System.Diagnostics.Stopwatch]::StartNew(); $a = Tab $line; $first = $t.ElapsedMilliseconds
      $t.Restart(); $b = Tab $line; $second = $t.ElapsedMilliseconds
      [pscustomobject]@{ First = $first; Second = $second; Count = @($b).Count } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Count).toBeGreaterThan(2);
    expect(r.Second).toBeLessThan(Math.max(500, r.First));
  });
}, { timeout: 120_000 });
