/**
 * Export-WoosooDiagnostics from the real pwsh, in one session: -WhatIf writing nothing, an existing -OutFile refused
 * without -Force (Woosoo.DiagnosticsFileExists) and replaced with it, the typed Woosoo.DiagnosticsBundle and its view,
 * the zip's entries and no secret in any file of it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describePwsh, pwshJson } from '../support/pwsh';
import { DEPLOY_ID, leaks, makeDiagProject, readZip } from './fixture';

describePwsh('Export-WoosooDiagnostics end to end', () => {
  it('refuses an existing -OutFile, replaces it with -Force, returns the bundle, masks every secret; -WhatIf writes nothing', () => {
    const dir = makeDiagProject();
    const out = join(dir, 'support.zip');
    writeFileSync(out, 'keep me');
    // One export that collects (the slow part under Wine): the refusal and -WhatIf stop before any probe runs.
    const r = pwshJson(`Export-WoosooDiagnostics -Path '${dir}' -OutFile 'whatif.zip' -WhatIf
      Export-WoosooDiagnostics -Path '${dir}' -OutFile 'support.zip' -ErrorAction SilentlyContinue -ErrorVariable refused
      $kept = Get-Content -LiteralPath 'support.zip' -Raw
      $b = Export-WoosooDiagnostics -Path '${dir}' -OutFile 'support.zip' -LogLines 10 -Force
      [pscustomobject]@{
        Type = $b.PSObject.TypeNames[0]; Path = $b.Path; Size = $b.SizeBytes; Ok = @($b.PartsOk); Failed = @($b.PartsFailed)
        View = ($b | Out-String -Width 80); Refused = @($refused | ForEach-Object { $_.FullyQualifiedErrorId }); Kept = $kept
      } | ConvertTo-Json -Depth 20 -Compress`, { cwd: dir });
    expect(r.Refused[0]).toMatch(/^Woosoo\.DiagnosticsFileExists/);
    expect(r.Kept).toBe('keep me');
    expect(existsSync(join(dir, 'whatif.zip'))).toBe(false);
    expect(r.Type).toBe('Woosoo.DiagnosticsBundle');
    expect(r.Path.replace(/\\/g, '/')).toMatch(/support\.zip$/);
    expect(r.Size).toBe(readFileSync(out).length);
    // Services and Health depend on what the tier has (PM2, the probes under Wine): they may fail into errors.json.
    expect(r.Ok).toEqual(expect.arrayContaining(['Configuration', 'ConfigTest', 'Preflight', 'Logs', 'Deployments', 'EngineLog']));
    expect(r.View).toMatch(/PartsFailed/);
    expect(r.View).toMatch(/Size +: \d+ KB, \d+ files/);
    const files = readZip(out);
    expect([...files.keys()]).toEqual(expect.arrayContaining([
      'summary.txt', 'errors.json', 'versions.json', 'config.json', 'config-test.json', 'preflight.json',
      'logs/woosoo-backend/output.log', `deployments/${DEPLOY_ID}/journal.json`, 'engine/engine.log', 'audit/audit-2026-12.jsonl',
    ]));
    expect(leaks(files)).toEqual([]);
    const versions = JSON.parse(files.get('versions.json')!);
    expect(versions.Woosoo.PowerShell).toMatch(/^\d+\.\d+/);
    expect(versions.Woosoo.Module).toMatch(/^\d+\.\d+/);
    expect(files.get('logs/woosoo-backend/output.log')!.split('\n').filter(Boolean)).toHaveLength(10);
    for (const p of r.Failed as string[]) expect(files.get('summary.txt')).toMatch(new RegExp(`${p} +FAILED`));
  }, 120_000);
});
