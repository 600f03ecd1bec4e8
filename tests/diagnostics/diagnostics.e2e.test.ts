/**
 * Export-WoosooDiagnostics from the real pwsh, in one session: the typed Woosoo.DiagnosticsBundle and its view, the
 * zip's entries, no secret in any file of it, -WhatIf writing nothing, and an existing -OutFile refused without -Force
 * (Woosoo.DiagnosticsFileExists) and replaced with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describePwsh, pwshJson } from '../support/pwsh';
import { DEPLOY_ID, leaks, makeDiagProject, readZip } from './fixture';

describePwsh('Export-WoosooDiagnostics end to end', () => {
  it('writes the zip, returns the bundle, masks every secret, honours -WhatIf and -Force', () => {
    const dir = makeDiagProject();
    const out = join(dir, 'support.zip');
    const r = pwshJson(`$b = Export-WoosooDiagnostics -Path '${dir}' -OutFile 'support.zip' -LogLines 10
      Export-WoosooDiagnostics -Path '${dir}' -OutFile 'whatif.zip' -WhatIf
      $before = (Get-Item -LiteralPath $b.Path).LastWriteTimeUtc
      Export-WoosooDiagnostics -Path '${dir}' -OutFile 'support.zip' -ErrorAction SilentlyContinue -ErrorVariable refused
      $kept = (Get-Item -LiteralPath $b.Path).LastWriteTimeUtc -eq $before
      $forced = Export-WoosooDiagnostics -Path '${dir}' -OutFile 'support.zip' -LogLines 10 -Force
      [pscustomobject]@{
        Type = $b.PSObject.TypeNames[0]; Path = $b.Path; Size = $forced.SizeBytes; Ok = @($b.PartsOk); Failed = @($b.PartsFailed)
        Entries = @($b.Entries); View = ($b | Out-String -Width 80); Refused = @($refused | ForEach-Object { $_.FullyQualifiedErrorId })
        Kept = $kept; Forced = $forced.Path; Duration = $b.Duration.TotalSeconds
      } | ConvertTo-Json -Depth 20 -Compress`, { cwd: dir });
    expect(r.Type).toBe('Woosoo.DiagnosticsBundle');
    expect(r.Path.replace(/\\/g, '/')).toMatch(/support\.zip$/);
    expect(r.Ok).toEqual(expect.arrayContaining(['Configuration', 'ConfigTest', 'Preflight', 'Logs', 'Deployments', 'EngineLog']));
    expect(r.View).toMatch(/PartsFailed/);
    expect(r.View).toMatch(/Size +: \d+ KB, \d+ files/);
    expect(r.Refused[0]).toMatch(/^Woosoo\.DiagnosticsFileExists/);
    expect(r.Kept).toBe(true);
    expect(r.Forced).toBe(r.Path);
    expect(existsSync(join(dir, 'whatif.zip'))).toBe(false);
    const files = readZip(out);
    expect(r.Size).toBe(readFileSync(out).length);
    expect([...files.keys()]).toEqual(expect.arrayContaining([
      'summary.txt', 'errors.json', 'versions.json', 'config.json', 'config-test.json', 'preflight.json', 'services.json',
      'logs/woosoo-backend/output.log', `deployments/${DEPLOY_ID}/journal.json`, 'engine/engine.log', 'audit/audit-2026-12.jsonl',
    ]));
    expect(leaks(files)).toEqual([]);
    const versions = JSON.parse(files.get('versions.json')!);
    expect(versions.Woosoo.PowerShell).toMatch(/^\d+\.\d+/);
    expect(versions.Woosoo.Module).toMatch(/^\d+\.\d+/);
    expect(files.get('logs/woosoo-backend/output.log')!.split('\n').filter(Boolean)).toHaveLength(10);
  }, 120_000);
});
