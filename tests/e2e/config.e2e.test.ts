/**
 * End to end from the real pwsh: import the module, run the configuration cmdlets, check the objects that come
 * down the pipeline, the error records, -Quiet, masking, and that the engine comes back after being killed.
 * Skipped, with the reason, where PowerShell 7 could not be installed (see scripts/setup.sh).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_NODE_OPTIONS, ROOT } from '../support/engine';
import { describePwsh, itNeeds, pwsh, pwshJson, runPwsh, tierPath } from '../support/pwsh';

const demo = join(ROOT, 'examples', 'demo');
const json = pwshJson;

describePwsh('module end to end', () => {
  it('Get-WoosooConfig returns a typed Woosoo.Config with integer ports and masked secrets', () => {
    const r = json(`$c = Get-WoosooConfig -Path '${demo}'
      [pscustomobject]@{ Type = $c.PSObject.TypeNames[0]; Port = $c.HTTP_PORT; PortType = $c.HTTP_PORT.GetType().Name; Pw = $c.DB_PASSWORD; Debug = $c.APP_DEBUG } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual({ Type: 'Woosoo.Config', Port: 8088, PortType: expect.stringMatching(/^Int(32|64)$/), Pw: '********', Debug: false });
  });

  it('-Name with wildcards returns Woosoo.ConfigValue objects; -Reveal shows the secret', () => {
    const r = json(`@(Get-WoosooConfig -Path '${demo}' -Name DB_PASS* -Reveal | ForEach-Object { [pscustomobject]@{ T = $_.PSObject.TypeNames[0]; N = $_.Name; V = $_.Value } }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual({ T: 'Woosoo.ConfigValue', N: 'DB_PASSWORD', V: 'demo-Passw0rd#1' });
  });

  it('finds the project from $env:WOOSOO_PROJECT and from the current location, relative -Path included', () => {
    const r = json(`$env:WOOSOO_PROJECT = '${demo}'; Set-Location '${tmpdir()}'; $a = (Get-WoosooConfig).APP_NAME
      Remove-Item Env:WOOSOO_PROJECT; Set-Location '${join(demo, 'apps')}'; $b = (Get-WoosooConfig).APP_NAME
      Set-Location '${ROOT}'; $c = (Get-WoosooConfig -Path examples/demo).APP_NAME
      @($a, $b, $c) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual(['Woosoo Demo', 'Woosoo Demo', 'Woosoo Demo']);
  });

  it('Test-WoosooConfig returns Woosoo.ConfigProblem objects and -Quiet a boolean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-e2e-'));
    writeFileSync(join(dir, 'deployment.config.env'), 'ENVIRONMENT=prod\nAPP_IP=1.2.3\nDB_PASSWORD=secret7\n');
    const r = json(`$p = @(Test-WoosooConfig -Path '${dir}')
      [pscustomobject]@{ Types = @($p | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique); Keys = @($p | Where-Object Severity -eq Error | ForEach-Object Key)
        Bad = (Test-WoosooConfig -Path '${dir}' -Quiet); Good = (Test-WoosooConfig -Path '${demo}' -Quiet); Text = ($p | Out-String) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Types).toEqual(['Woosoo.ConfigProblem']);
    expect(r.Keys).toEqual(expect.arrayContaining(['ENVIRONMENT', 'APP_IP', 'DB_PASSWORD', 'DB_DATABASE']));
    expect(r.Bad).toBe(false);
    expect(r.Good).toBe(true);
    expect(r.Text).not.toContain('secret7');
  });

  it('fails with an ErrorRecord Woosoo.ConfigNotFound (ObjectNotFound) and a recommended action', () => {
    const r = json(`try { Get-WoosooConfig -Path '${join(tmpdir(), 'no-such-project')}'; 'no error' } catch {
      [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Cat = [string]$_.CategoryInfo.Category; Fix = $_.ErrorDetails.RecommendedAction } | ConvertTo-Json -Depth 20 -Compress }`);
    expect(r.Id).toMatch(/^Woosoo\.ConfigNotFound/);
    expect(r.Cat).toBe('ObjectNotFound');
    expect(r.Fix).toContain('-Path');
  });

  it('a value of the wrong type is the same Woosoo.ConfigInvalid from Get-WoosooConfig and Get-WoosooService', () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-e2e-'));
    cpSync(demo, dir, { recursive: true });
    const file = join(dir, 'deployment.config.env');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^HTTP_PORT=8088$/m, 'HTTP_PORT=80x88'));
    const r = json(`@(foreach ($cmd in 'Get-WoosooConfig', 'Get-WoosooService') {
        try { & $cmd -Path '${dir}' | Out-Null; [pscustomobject]@{ Cmd = $cmd; Id = 'no error' } } catch {
          [pscustomobject]@{ Cmd = $cmd; Id = $_.FullyQualifiedErrorId; Cat = [string]$_.CategoryInfo.Category; Target = [string]$_.TargetObject
            Message = $_.Exception.Message; Fix = $_.ErrorDetails.RecommendedAction } } }) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.map((e: { Cmd: string }) => e.Cmd)).toEqual(['Get-WoosooConfig', 'Get-WoosooService']);
    for (const e of r) {
      expect(e.Id).toMatch(/^Woosoo\.ConfigInvalid/);
      expect(e).toMatchObject({ Cat: 'InvalidData', Target: tierPath(file) });
      expect(e.Message).toContain(tierPath(file));
      expect(e.Message).toMatch(/HTTP_PORT \(line \d+\) must be a port number/);
      expect(e.Message).toContain('Fix: Set HTTP_PORT');
      expect(e.Message).not.toMatch(/bug in Woosoo/i);
      expect(e.Fix).toContain('Test-WoosooConfig');
    }
  });

  it('keeps one engine across calls and starts a fresh one after it was killed', () => {
    const r = json(`$null = Get-WoosooConfig -Path '${demo}'
      $m = Get-Module Woosoo; $pid1 = & $m { $script:WoosooEngine.Process.Id }
      $null = Get-WoosooConfig -Path '${demo}'; $same = (& $m { $script:WoosooEngine.Process.Id }) -eq $pid1
      Stop-Process -Id $pid1 -Force; Start-Sleep -Milliseconds 300
      $after = (Get-WoosooConfig -Path '${demo}').ENVIRONMENT; $pid2 = & $m { $script:WoosooEngine.Process.Id }
      [pscustomobject]@{ Same = $same; After = $after; New = ($pid2 -ne $pid1) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual({ Same: true, After: 'production', New: true });
  });

  itNeeds(['unix-signals'], 'an engine that dies mid-call is Woosoo.EngineDied with the tail of its stderr, and the next cmdlet starts a new one', () => {
    // The engine logs a line to stderr when it ignores SIGINT; it is then killed during a 30 s call.
    const r = json(`$m = Get-Module Woosoo; $null = Get-WoosooConfig -Path '${demo}'; $id = & $m { $script:WoosooEngine.Process.Id }
      & /bin/kill -s INT $id; Start-Sleep -Milliseconds 300
      $null = Start-Process -FilePath sh -ArgumentList ('-c "sleep 1; kill -9 ' + $id + '"')
      try { $null = & $m { Invoke-WoosooRpc -Method 'test.sleep' -Params @{ seconds = 30 } -Cmdlet $null -ResultOnly }; $e = $null } catch { $e = $_ }
      $after = (Get-WoosooConfig -Path '${demo}').ENVIRONMENT
      [pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Msg = $e.Exception.Message; After = $after; New = ((& $m { $script:WoosooEngine.Process.Id }) -ne $id) } | ConvertTo-Json -Depth 20 -Compress`,
    { env: { WOOSOO_ENGINE_TEST_METHODS: '1' } });
    expect(r.Id).toMatch(/^Woosoo\.EngineDied/);
    expect(r.Msg).toContain('ignoring SIGINT');
    expect(r).toMatchObject({ After: 'production', New: true });
  });

  it('one version: the manifest, package.json and the engine\'s initialize answer agree, and the protocol too', () => {
    const r = json(`$m = Get-Module Woosoo; $null = Get-WoosooConfig -Path '${demo}'
      $info = & $m { $script:WoosooEngine.Info }
      [pscustomobject]@{ Module = $m.Version.ToString(); Engine = $info.engineVersion; Protocol = $info.protocolVersion; Client = (& $m { $script:WoosooProtocolVersion }) } | ConvertTo-Json -Depth 20 -Compress`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(r).toEqual({ Module: pkg, Engine: pkg, Protocol: r.Client, Client: expect.stringMatching(/^\d+\.\d+$/) });
  });

  it('stops the engine on Remove-Module', () => {
    const r = json(`$null = Get-WoosooConfig -Path '${demo}'; $p = Get-Process -Id (& (Get-Module Woosoo) { $script:WoosooEngine.Process.Id })
      Remove-Module Woosoo; Start-Sleep -Milliseconds 500; $p.Refresh(); $p.HasExited | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toBe(true);
  });

  it('starts the engine with the node options of bin/engine-launch.json, before the script', () => {
    const r = json(`$null = Get-WoosooConfig -Path '${demo}'
      $id = & (Get-Module Woosoo) { $script:WoosooEngine.Process.Id }
      $command = & (Get-Module Woosoo) { Get-WoosooEngineCommand }
      $info = & (Get-Module Woosoo) { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -Cmdlet $null -ResultOnly }
      if ($IsLinux) { $cmd = (Get-Content -LiteralPath "/proc/$id/cmdline" -Raw) -replace "\`0", ' ' }
      else {
        # Wine has no command line of another process to show (WMI hangs, wmic leaves it empty): the engine's own
        # process.execArgv, which node fills from the options before the script.
        $cmd = 'node.exe ' + ($info.value.execArgv -join ' ') + ' woosoo-engine.cjs'
      }
      [pscustomobject]@{ Cmd = $cmd; File = $command.FileName; Args = $command.Arguments; ExecArgv = @($info.value.execArgv) } | ConvertTo-Json -Depth 20 -Compress`);
    if (/woosoo-engine(\.exe)?$/.test(r.File)) {
      // The module's bin/ holds the single executable (the Windows tier's module: tests/support/winmodule.ts): no
      // script on its command line; the options reach it through NODE_OPTIONS and its own start (scripts/package.mjs).
      expect(r.Args).toBe('');
      expect(r.ExecArgv).toEqual(ENGINE_NODE_OPTIONS);
      return;
    }
    const script = r.Cmd.indexOf('woosoo-engine.cjs');
    expect(script).toBeGreaterThan(0);
    for (const option of ENGINE_NODE_OPTIONS) {
      expect(r.Cmd.indexOf(option)).toBeGreaterThan(0);
      expect(r.Cmd.indexOf(option)).toBeLessThan(script);
    }
    expect(r.Args.startsWith(`${ENGINE_NODE_OPTIONS.join(' ')} "`)).toBe(true);
    expect(r.Args).toMatch(/woosoo-engine\.cjs"$/);
  });

  it('reads no node options from a missing or garbled bin/engine-launch.json, only the plain --flag[=value] ones from an odd one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-launch-'));
    const odd = join(dir, 'engine-launch.json');
    writeFileSync(odd, JSON.stringify({ nodeArguments: ['--max-semi-space-size=1', '--inspect=0.0.0.0:9229 --x', 'not-an-option', '--ok-flag'] }));
    const garbled = join(dir, 'garbled.json');
    writeFileSync(garbled, '{ "nodeArguments": [ "--max-semi');
    const r = json(`$m = Get-Module Woosoo
      [pscustomobject]@{
        Missing = (& $m { Get-WoosooEngineNodeOption -Path '${tierPath(join(dir, 'none.json'))}' })
        Odd = (& $m { Get-WoosooEngineNodeOption -Path '${tierPath(odd)}' })
        Garbled = (& $m { Get-WoosooEngineNodeOption -Path '${tierPath(garbled)}' })
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toEqual({ Missing: [], Odd: ['--max-semi-space-size=1', '--ok-flag'], Garbled: [] });
  });
});
