/**
 * The single executable (npm run package) as the module runs it, in both tiers: a module folder whose bin/ holds the
 * executable and no bundle, imported in pwsh with no node on PATH, reads the demo with Get-WoosooConfig. In the Windows
 * tier that is woosoo-engine.exe started by PowerShell for Windows under Wine, over Windows pipes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs module
import { packageTarget } from '../../scripts/package.mjs';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson, tierPath, TIER } from '../support/pwsh';

const MODULE_PARTS = ['Woosoo.psd1', 'Woosoo.psm1', 'cmdlets', 'private', 'formats', 'en-US', 'templates', 'bin/engine-launch.json'];
const [platform, file] = TIER === 'windows' ? ['win-x64', 'woosoo-engine.exe'] : ['linux-x64', 'woosoo-engine'];

describePwsh(`the module with bin/${file}`, () => {
  let dir: string;
  let facts: any;

  beforeAll(() => {
    const exe = packageTarget(platform);
    dir = mkdtempSync(join(tmpdir(), 'woosoo-module-exe-'));
    for (const part of MODULE_PARTS) cpSync(join(ROOT, part), join(dir, 'Woosoo', part), { recursive: true });
    cpSync(exe, join(dir, 'Woosoo', 'bin', file));
    cpSync(join(ROOT, 'examples', 'demo'), join(dir, 'demo'), { recursive: true });
    facts = pwshJson(String.raw`
      Remove-Module Woosoo -Force
      $node = if ($IsWindows) { 'node.exe' } else { 'node' }
      $sep = [System.IO.Path]::PathSeparator
      $env:PATH = (($env:PATH -split $sep) | Where-Object { $_ -and -not (Test-Path -LiteralPath (Join-Path $_ $node)) }) -join $sep
      $m = Import-Module '${tierPath(join(dir, 'Woosoo', 'Woosoo.psd1'))}' -PassThru
      $c = Get-WoosooConfig -Path '${tierPath(join(dir, 'demo'))}'
      $info = & $m { Invoke-WoosooRpc -Method 'engine.info' -Params @{} -ResultOnly }
      [pscustomobject]@{
        NodeOnPath = [bool](Get-Command $node -ErrorAction SilentlyContinue)
        EngineFile = (& $m { Get-WoosooEngineCommand }).FileName
        Type = $c.PSObject.TypeNames[0]; Port = $c.HTTP_PORT; Pw = $c.DB_PASSWORD
        Platform = $info.value.platform; ExecArgv = $info.value.execArgv
      } | ConvertTo-Json -Depth 5 -Compress`);
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the executable with no node on PATH and reads the demo with Get-WoosooConfig', () => {
    expect(facts.NodeOnPath).toBe(false);
    expect(facts.EngineFile.replace(/\\/g, '/')).toMatch(new RegExp(`/bin/${file.replace('.', '\\.')}$`));
    expect(facts).toMatchObject({ Type: 'Woosoo.Config', Port: 8088, Pw: '********', Platform: TIER === 'windows' ? 'win32' : 'linux' });
  });

  it('runs with the node options of bin/engine-launch.json', () => {
    expect(facts.ExecArgv).toEqual(JSON.parse(readFileSync(join(ROOT, 'bin', 'engine-launch.json'), 'utf8')).nodeArguments);
  });
}, { timeout: 120_000 });
