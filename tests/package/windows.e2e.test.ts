/**
 * The Windows single executable (npm run package → dist/win-x64/woosoo-engine.exe) as Windows runs it: started by the
 * module in PowerShell for Windows under Wine, over Windows pipes, from a module folder whose bin/ holds the
 * executable and no bundle, with no node.exe on PATH. Runs in the Windows tier only (WOOSOO_E2E_TIER=windows).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs module
import { packageTarget } from '../../scripts/package.mjs';
import { ROOT } from '../support/engine';
import { TIER } from '../support/pwsh';
import { describeWinPwsh, winPath, winPwshJson } from '../support/winpwsh';

const MODULE_PARTS = ['Woosoo.psd1', 'Woosoo.psm1', 'cmdlets', 'private', 'formats', 'en-US', 'templates', 'bin/engine-launch.json'];

function suite(): void {
  let dir: string;
  let facts: any;

  beforeAll(() => {
    const exe = packageTarget('win-x64');
    dir = mkdtempSync(join(tmpdir(), 'woosoo-winexe-'));
    for (const part of MODULE_PARTS) cpSync(join(ROOT, part), join(dir, 'Woosoo', part), { recursive: true });
    cpSync(exe, join(dir, 'Woosoo', 'bin', 'woosoo-engine.exe'));
    cpSync(join(ROOT, 'examples', 'demo'), join(dir, 'demo'), { recursive: true });
    facts = winPwshJson(String.raw`
      Remove-Module Woosoo -Force
      $env:PATH = (($env:PATH -split ';') | Where-Object { $_ -and -not (Test-Path -LiteralPath (Join-Path $_ 'node.exe')) }) -join ';'
      $m = Import-Module '${winPath(join(dir, 'Woosoo', 'Woosoo.psd1'))}' -PassThru
      $c = Get-WoosooConfig -Path '${winPath(join(dir, 'demo'))}'
      $info = & $m { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -ResultOnly }
      [pscustomobject]@{
        NodeOnPath = [bool](Get-Command node.exe -ErrorAction SilentlyContinue)
        EngineFile = (& $m { Get-WoosooEngineCommand }).FileName
        Type = $c.PSObject.TypeNames[0]; Port = $c.HTTP_PORT; Pw = $c.DB_PASSWORD
        Platform = $info.value.platform; ExecArgv = $info.value.execArgv
      } | ConvertTo-Json -Depth 5 -Compress`);
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts woosoo-engine.exe with no node.exe on PATH and reads the demo with Get-WoosooConfig', () => {
    expect(facts.NodeOnPath).toBe(false);
    expect(facts.EngineFile).toMatch(/\\bin\\woosoo-engine\.exe$/);
    expect(facts).toMatchObject({ Type: 'Woosoo.Config', Port: 8088, Pw: '********', Platform: 'win32' });
  });

  it('runs with the node options of bin/engine-launch.json', () => {
    expect(facts.ExecArgv).toEqual(JSON.parse(readFileSync(join(ROOT, 'bin', 'engine-launch.json'), 'utf8')).nodeArguments);
  });
}

if (TIER === 'windows') describeWinPwsh('the single executable woosoo-engine.exe', suite, { timeout: 120_000 });
else describe.skip('the single executable woosoo-engine.exe — runs in the Windows tier only (WOOSOO_E2E_TIER=windows)', suite);
