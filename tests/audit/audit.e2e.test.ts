/**
 * The audit trail from the real pwsh (both tiers), one session: Set-WoosooConfig -WhatIf, a real one, one with
 * -SecureValue, a refused one, New-WoosooBackup, Export-WoosooDiagnostics and New-WoosooBackupKey -WhatIf (recorded by the module: no engine call of its own); then
 * Get-WoosooAudit returns them as Woosoo.AuditEntry objects, filtered by -Command and -Outcome, and the secret is in no
 * file under logs/ (the audit trail, the engine's log). On Linux, a -Confirm answered No on the console is Declined.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, pwsh, pwshJson, TIER } from '../support/pwsh';
import { makeProject, type Project } from '../sync/fixtures';

const SECRET = 'Zq-Audit-Secret-4471';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describePwsh('Get-WoosooAudit end to end', () => {
  let project: Project;
  beforeAll(() => {
    project = makeProject();
  });
  afterAll(() => project.cleanup());

  it('records -WhatIf, real, secret and refused runs; Get-WoosooAudit filters them; no secret in logs/', () => {
    const p = project.dir;
    const r = pwshJson(`Set-WoosooConfig -Path '${p}' -Name HTTP_PORT -Value 8090 -WhatIf | Out-Null
      Set-WoosooConfig -Path '${p}' -Name HTTP_PORT -Value 8090 -Confirm:$false | Out-Null
      Set-WoosooConfig -Path '${p}' -Name DB_PASSWORD -SecureValue (ConvertTo-SecureString '${SECRET}' -AsPlainText -Force) -Confirm:$false | Out-Null
      Set-WoosooConfig -Path '${p}' -Name BACKEND_PORT -Value 70000 -Confirm:$false -ErrorAction SilentlyContinue
      New-WoosooBackup -Path '${p}' -WhatIf
      Export-WoosooDiagnostics -Path '${p}' -WhatIf
      New-WoosooBackupKey -Path '${p}' -WhatIf
      $all = @(Get-WoosooAudit -Path '${p}')
      $real = @(Get-WoosooAudit -Path '${p}' -Command 'Set-Woosoo*' -Outcome Succeeded | Where-Object { -not $_.WhatIf })
      $refused = @(Get-WoosooAudit -Path '${p}' -Outcome Refused)
      $recent = @(Get-WoosooAudit -Path '${p}' -Since 1h).Count
      $future = @(Get-WoosooAudit -Path '${p}' -Since (Get-Date).AddMinutes(5)).Count
      [pscustomobject]@{
        All = @($all | ForEach-Object { '{0}/{1}/{2}' -f $_.Command, $_.Outcome, $_.WhatIf })
        Type = $all[0].PSObject.TypeNames[0]; TimeType = $all[0].Time.GetType().Name; DurationType = $all[0].Duration.GetType().Name
        Real = @($real | ForEach-Object { $_.Parameters.Name + '=' + $_.Parameters.Value + '|' + $_.Parameters.SecureValue + '|' + $_.BackupId })
        Refused = @($refused | ForEach-Object { $_.ErrorId }); Recent = $recent; Future = $future
        Table = ($all | Out-String -Width 80)
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.All).toEqual([
      'Set-WoosooConfig/Succeeded/True', 'Set-WoosooConfig/Succeeded/False', 'Set-WoosooConfig/Succeeded/False',
      'Set-WoosooConfig/Refused/False', 'New-WoosooBackup/Succeeded/True',
      'Export-WoosooDiagnostics/Succeeded/True', 'New-WoosooBackupKey/Succeeded/True',
    ]);
    expect(r).toMatchObject({ Type: 'Woosoo.AuditEntry', TimeType: 'DateTime', DurationType: 'TimeSpan', Refused: ['ConfigValueInvalid'], Recent: 7, Future: 0 });
    expect(r.Real).toHaveLength(2);
    expect(r.Real[0]).toMatch(/^HTTP_PORT=8090\|\|\d{4}-\d\d-\d\d_/);
    expect(r.Real[1]).toMatch(/^DB_PASSWORD=\|\*{8}\|\d{4}-\d\d-\d\d_/);
    expect(r.Table).toContain('Set-WoosooConfig');
    expect(r.Table).toContain('Refused ConfigValueInvalid');
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(filesUnder(join(p, 'logs')).filter((f) => readFileSync(f, 'utf8').includes(SECRET))).toEqual([]);
    expect(readFileSync(join(p, 'logs', 'woosoo', 'engine.log'), 'utf8')).toMatch(/call config\.set Succeeded in \d+ ms/);
  });

  // The answer comes on stdin, so this pwsh is interactive (the shared helpers run -NonInteractive); Linux tier only:
  // under Wine the console is not a pipe.
  it.runIf(TIER === 'linux')('records a -Confirm answered No as Declined, and changes nothing', () => {
    const p = project.dir;
    const before = readFileSync(join(p, 'deployment.config.env'), 'utf8');
    const script = `Import-Module '${join(ROOT, 'Woosoo.psd1')}'; Set-WoosooConfig -Path '${p}' -Name HTTP_PORT -Value 8095 -Confirm
      (Get-WoosooAudit -Path '${p}' -Outcome Declined | ForEach-Object { 'DECLINED ' + $_.Command + ' ' + $_.WhatIf }) -join ';'`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-Command', script], { input: 'N\n', encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain('DECLINED Set-WoosooConfig False');
    expect(readFileSync(join(p, 'deployment.config.env'), 'utf8')).toBe(before);
  });
});
