/**
 * The Windows tier's foundation: the module in the real PowerShell 7 for Windows (pwsh.exe under Wine), starting its
 * engine as the Windows node.exe. Each pwsh.exe start costs ~3 s, so one run gathers many facts and the tests check
 * them; the -File scripts are separate runs because their exit codes are what is tested. See docs/testing.md.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { stagedWindowsManifest } from '../support/winmodule';
import { describeWinPwsh, MODULE_WIN_PATH, runWinPwsh, winPath, winPwsh, winPwshJson, type WinPwshResult } from '../support/winpwsh';

const demo = winPath(join(ROOT, 'examples', 'demo'));

describeWinPwsh('the module on PowerShell for Windows', () => {
  let dir: string;
  let facts: any;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-wintier-'));
    writeFileSync(join(dir, 'deployment.config.env'), 'ENVIRONMENT=prod\nAPP_IP=1.2.3\nDB_PASSWORD=secret7\n');
    const broken = winPath(dir);
    const missing = winPath(join(dir, 'no-such-project'));
    cpSync(join(ROOT, 'examples', 'demo'), join(dir, 'demo'), { recursive: true });
    const demoCopy = winPath(join(dir, 'demo'));
    facts = winPwshJson(String.raw`
      $m = Get-Module Woosoo
      $t = [System.Diagnostics.Stopwatch]::StartNew()
      $c = Get-WoosooConfig -Path '${demo}'
      $first = $t.ElapsedMilliseconds; $t.Restart()
      $null = Get-WoosooConfig -Path '${demo}'
      $warm = $t.ElapsedMilliseconds
      $engine = & $m { $script:WoosooEngine }
      $command = & $m { Get-WoosooEngineCommand }
      $info = try { & $m { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -ResultOnly } } catch { "engine.info failed: $_" }
      Set-Location '${demo}\apps'; $fromLocation = (Get-WoosooConfig).APP_NAME; Set-Location '${winPath(ROOT)}'
      $problems = @(Test-WoosooConfig -Path '${broken}')
      $err = try { Get-WoosooConfig -Path '${missing}'; $null } catch { $_ }
      $sync = try { @(Sync-WoosooConfig -Path '${demoCopy}' -Confirm:$false 3>$null | ForEach-Object { [pscustomobject]@{ App = $_.App; Action = $_.Action; Path = $_.Path; Check = $_.Check } }) } catch { "Sync failed: $($_.FullyQualifiedErrorId): $_" }
      [pscustomobject]@{
        IsWindows = $IsWindows; Edition = $PSVersionTable.PSEdition; Version = $PSVersionTable.PSVersion.ToString()
        Platform = [string][System.Environment]::OSVersion.Platform; Separator = [string][System.IO.Path]::DirectorySeparatorChar
        WriteXorExecute = $env:DOTNET_EnableWriteXorExecute; PSHome = $PSHOME
        ModulePath = $m.Path; ModuleVersion = $m.Version.ToString()
        Type = $c.PSObject.TypeNames[0]; Port = $c.HTTP_PORT; PortType = $c.HTTP_PORT.GetType().Name; Pw = $c.DB_PASSWORD
        ProjectPath = $c.ProjectPath; FromLocation = $fromLocation
        EnginePath = $engine.Process.Path; EngineFile = $command.FileName; EngineArgs = $command.Arguments; EngineInfo = $info
        ProblemTypes = @($problems | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique)
        ProblemKeys = @($problems | Where-Object Severity -eq Error | ForEach-Object Key)
        Quiet = (Test-WoosooConfig -Path '${broken}' -Quiet); QuietGood = (Test-WoosooConfig -Path '${demo}' -Quiet)
        ProblemText = ($problems | Out-String)
        ErrorId = $err.FullyQualifiedErrorId; ErrorCategory = [string]$err.CategoryInfo.Category; ErrorFix = $err.ErrorDetails.RecommendedAction
        ErrorMessage = $err.Exception.Message
        Sync = $sync
        FirstMs = $first; WarmMs = $warm
      } | ConvertTo-Json -Depth 20 -Compress`);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs as Windows: $IsWindows, Win32NT, backslash, PowerShell Core 7.6.9 from C:\\Program Files, W^X off from the prefix', () => {
    expect(facts).toMatchObject({
      IsWindows: true, Edition: 'Core', Version: winPwsh.info.pwsh ?? '7.6.9', Platform: 'Win32NT', Separator: '\\',
      WriteXorExecute: '0', PSHome: 'C:\\Program Files\\PowerShell\\7',
    });
  });

  it('Import-Module takes the module from its Windows path', () => {
    expect(facts.ModulePath).toBe(MODULE_WIN_PATH.replace(/\.psd1$/, '.psm1'));
    expect(facts.ModuleVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('Get-WoosooConfig returns a typed Woosoo.Config with Windows paths, from -Path and from the current location', () => {
    expect(facts).toMatchObject({ Type: 'Woosoo.Config', Port: 8088, Pw: '********', ProjectPath: demo, FromLocation: 'Woosoo Demo' });
    expect(facts.PortType).toMatch(/^Int(32|64)$/);
  });

  it('the engine is the release package\'s woosoo-engine.exe (or node.exe running bin\\woosoo-engine.cjs), started by the module', () => {
    const staged = stagedWindowsManifest();
    if (staged) {
      // The tier imports the win-x64 release package (tests/support/winmodule.ts): its bin\woosoo-engine.exe, no script.
      const exe = winPath(join(dirname(staged), 'bin', 'woosoo-engine.exe'));
      expect(facts.EngineFile).toBe(exe);
      expect(facts.EnginePath).toBe(exe);
      expect(facts.EngineArgs).toBe('');
    } else {
      expect(facts.EngineFile).toBe('C:\\Program Files\\nodejs\\node.exe');
      expect(facts.EnginePath).toBe('C:\\Program Files\\nodejs\\node.exe');
      expect(facts.EngineArgs).toContain(`"${winPath(join(ROOT, 'bin', 'woosoo-engine.cjs'))}"`);
    }
    expect(facts.EngineInfo).toMatchObject({ value: { platform: 'win32', node: `v${winPwsh.info.node ?? '20.20.2'}` } });
  });

  it('Test-WoosooConfig on a broken config returns Woosoo.ConfigProblem objects; -Quiet a boolean', () => {
    expect(facts.ProblemTypes).toEqual(['Woosoo.ConfigProblem']);
    expect(facts.ProblemKeys).toEqual(expect.arrayContaining(['ENVIRONMENT', 'APP_IP', 'DB_PASSWORD']));
    expect(facts.Quiet).toBe(false);
    expect(facts.QuietGood).toBe(true);
    expect(facts.ProblemText).not.toContain('secret7');
  });

  it('a failure is an ErrorRecord Woosoo.ConfigNotFound (ObjectNotFound) with a recommended action', () => {
    expect(facts.ErrorId).toMatch(/^Woosoo\.ConfigNotFound/);
    expect(facts.ErrorCategory).toBe('ObjectNotFound');
    expect(facts.ErrorFix).toContain('-Path');
    expect(facts.ErrorMessage).toContain('no-such-project');
  });

  it('Sync-WoosooConfig writes the files with Windows paths; without nginx on a Windows box it warns, never runs a Linux /usr/sbin/nginx', () => {
    // Was: findNginx fell back to Debian's /usr/sbin/nginx on Windows too, which is \usr\sbin\nginx on the current
    // drive (under Wine, Z: = /, the Linux nginx): Sync failed with Woosoo.SyncNginxCheckFailed.
    expect(facts.Sync).toEqual(expect.arrayContaining([
      { App: 'backend', Action: 'Create', Path: `${winPath(join(dir, 'demo'))}\\apps\\woosoo-nexus\\.env`, Check: expect.anything() },
      { App: 'nginx', Action: 'Create', Path: `${winPath(join(dir, 'demo'))}\\configs\\nginx.conf`, Check: expect.stringContaining('not checked with nginx -t') },
    ]));
    expect(existsSync(join(dir, 'demo', 'apps', 'woosoo-nexus', '.env'))).toBe(true);
  });

  describe('pwsh.exe -File scripts, as Task Scheduler runs them', () => {
    let stop: WinPwshResult;
    let ok: WinPwshResult;
    beforeAll(() => {
      const missing = winPath(join(tmpdir(), 'woosoo-no-such-project'));
      stop = runWinPwsh(`Import-Module '${MODULE_WIN_PATH}'\nGet-WoosooConfig -Path '${missing}' -ErrorAction Stop\n'not reached'`, { preamble: false });
      ok = runWinPwsh(`Import-Module '${MODULE_WIN_PATH}'\n$null = Get-WoosooConfig -Path '${demo}' -ErrorAction Stop\n'fine'`, { preamble: false });
    }, 180_000);

    it('-ErrorAction Stop on a failing cmdlet stops the script and pwsh.exe exits non-zero', () => {
      expect(stop.console).not.toContain('not reached');
      expect(stop.status, stop.stderr).not.toBe(0);
      expect(stop.status).not.toBeNull();
      expect(stop.stderr + stop.console).toContain('does not exist');
    });

    it('a script without errors exits 0', () => {
      expect(ok.console.trim()).toBe('fine');
      expect(ok.status, ok.stderr).toBe(0);
    });
  });
});

describeWinPwsh('the Windows-tier runner', () => {
  it('throws, never passes, when PowerShell did not start: no pty (pwsh.exe exits 0 silently), or no such program', () => {
    expect(() => runWinPwsh(`'hello'`, { pty: false })).toThrow(/did not start.*exit 0\b/s);
    expect(() => runWinPwsh(`'hello'`, { exe: 'C:\\no\\such\\pwsh.exe' })).toThrow(/did not start/);
  });
});
