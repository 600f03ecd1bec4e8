/**
 * Set-WoosooConfig from the real pwsh (both tiers): -WhatIf returns the change and writes nothing; a value is set in
 * place with a backup; -SecureValue keeps the secret out of the output (masked diff); a bad value is a terminating
 * Woosoo.ConfigValueInvalid under -ErrorAction Stop and the file stays byte-identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePwsh, pwshJson } from '../support/pwsh';
import { makeProject, type Project } from './fixtures';

const json = (script: string) => pwshJson(script);

describePwsh('Set-WoosooConfig end to end', () => {
  let project: Project;
  const file = () => join(project.dir, 'deployment.config.env');
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  it('-WhatIf: a Woosoo.ConfigChange with the diff, nothing written; then for real, with a backup', () => {
    const before = readFileSync(file(), 'utf8');
    const r = json(`$w = Set-WoosooConfig -Path '${project.dir}' -Name HTTP_PORT -Value 8090 -WhatIf
      $s = Set-WoosooConfig -Path '${project.dir}' -Name HTTP_PORT -Value 8090 -Confirm:$false
      [pscustomobject]@{ T = $w.PSObject.TypeNames[0]; WDiff = $w.Diff; WWhatIf = $w.WhatIf; Action = $s.Action; Backup = $s.BackupId } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatchObject({ T: 'Woosoo.ConfigChange', WWhatIf: true, Action: 'Update' });
    expect(r.WDiff).toContain('-HTTP_PORT=8088');
    expect(r.WDiff).toContain('+HTTP_PORT=8090');
    expect(r.Backup).toMatch(/^\d{4}-\d\d-\d\d_/);
    expect(readFileSync(file(), 'utf8')).toBe(before.replace('HTTP_PORT=8088', 'HTTP_PORT=8090'));
  });

  it('-SecureValue: the secret is in the file only; a bad value is Woosoo.ConfigValueInvalid and changes nothing', () => {
    const r = json(`$secret = ConvertTo-SecureString 'Zq-New-Secret-9137' -AsPlainText -Force
      $s = Set-WoosooConfig -Path '${project.dir}' -Name DB_PASSWORD -SecureValue $secret -Confirm:$false
      try { Set-WoosooConfig -Path '${project.dir}' -Name BACKEND_PORT -Value 70000 -Confirm:$false -ErrorAction Stop; $e = $null } catch { $e = $_ }
      [pscustomobject]@{ Diff = $s.Diff; Out = ($s | Format-List * | Out-String); Id = $e.FullyQualifiedErrorId; Msg = [string]$e.Exception.Message } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Diff).toContain('+DB_PASSWORD=********');
    expect(JSON.stringify(r)).not.toContain('Zq-New-Secret');
    expect(readFileSync(file(), 'utf8')).toContain("DB_PASSWORD='Zq-New-Secret-9137'");
    expect(r.Id).toMatch(/^Woosoo\.ConfigValueInvalid/);
    expect(r.Msg).toContain('BACKEND_PORT');
    expect(readFileSync(file(), 'utf8')).toContain('BACKEND_PORT=8001');
  });
});
