/**
 * End to end from the real pwsh: the backup cmdlets with their pipeline bindings, typed objects, -WhatIf,
 * -Confirm:$false, retention strings and error records. Skipped, with the reason, where PowerShell 7 could not
 * be installed (see scripts/setup.sh); the same engine paths are covered over the wire in wire.test.ts.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { makeProject } from './fixture';

const json = (script: string, cwd: string) => {
  return pwshJson(script, { cwd });
};

describePwsh('backup cmdlets end to end', () => {
  it('New-WoosooBackup returns a Woosoo.Backup; Get-WoosooBackup lists newest first; Test-WoosooBackup verifies from the pipeline', () => {
    const p = makeProject();
    const r = json(`$a = New-WoosooBackup -Path '${p.dir}' -Description 'first' -IncludeFiles
      $b = New-WoosooBackup -Path '${p.dir}' -Description 'second'
      $list = @(Get-WoosooBackup -Path '${p.dir}')
      $v = @(Get-WoosooBackup -Path '${p.dir}' | Test-WoosooBackup)
      [pscustomobject]@{
        Type = $a.PSObject.TypeNames[0]; Includes = @($a.Includes); CreatedIsDate = ($a.CreatedAt -is [datetime])
        Ids = @($list | ForEach-Object Id); Expected = @($b.Id, $a.Id); Limit = @(Get-WoosooBackup -Path '${p.dir}' -Limit 1).Count
        VType = $v[0].PSObject.TypeNames[0]; Valid = @($v | ForEach-Object Valid); Quiet = (Test-WoosooBackup -Path '${p.dir}' -Quiet)
        Table = ($list | Out-String)
      } | ConvertTo-Json -Depth 20 -Compress`, p.dir);
    expect(r.Type).toBe('Woosoo.Backup');
    expect(r.Includes).toEqual(['Configs', 'Files']);
    expect(r.CreatedIsDate).toBe(true);
    expect(r.Ids).toEqual(r.Expected);
    expect(r.Limit).toBe(1);
    expect(r.VType).toBe('Woosoo.BackupVerification');
    expect(r.Valid).toEqual([true, true]);
    expect(r.Quiet).toBe(true);
    expect(r.Table).toContain('Size (MB)');
  });

  it('Get-WoosooBackup | Select-Object -First 1 | Restore-WoosooBackup -WhatIf lists the actions and changes nothing', () => {
    const p = makeProject();
    const nginx = join(p.dir, 'configs', 'nginx.conf');
    const r = json(`$null = New-WoosooBackup -Path '${p.dir}'
      Set-Content -LiteralPath '${nginx}' -Value 'changed' -NoNewline
      $actions = @(Get-WoosooBackup -Path '${p.dir}' | Select-Object -First 1 | Restore-WoosooBackup -WhatIf)
      [pscustomobject]@{ Types = @($actions | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique)
        Replace = @($actions | Where-Object Action -eq 'Replace' | ForEach-Object Source) } | ConvertTo-Json -Depth 20 -Compress`, p.dir);
    expect(r.Types).toEqual(['Woosoo.RestoreAction']);
    expect(r.Replace).toEqual(['configs/nginx.conf']);
    expect(readFileSync(nginx, 'utf8')).toBe('changed');
    expect(readdirSync(join(p.dir, 'backups'))).toHaveLength(1); // no safety backup under -WhatIf
  });

  it('Restore-WoosooBackup -Confirm:$false restores and returns a Woosoo.RestoreResult naming the safety backup', () => {
    const p = makeProject();
    const env = join(p.dir, 'apps', 'woosoo-nexus', '.env');
    const original = readFileSync(env, 'utf8');
    const r = json(`$b = New-WoosooBackup -Path '${p.dir}'
      Set-Content -LiteralPath '${env}' -Value 'APP_KEY=' -NoNewline
      $res = $b | Restore-WoosooBackup -Confirm:$false
      [pscustomobject]@{ Type = $res.PSObject.TypeNames[0]; Files = $res.FilesRestored; Safety = $res.SafetyBackupId
        Listed = @(Get-WoosooBackup -Path '${p.dir}' | ForEach-Object Id) } | ConvertTo-Json -Depth 20 -Compress`, p.dir);
    expect(r.Type).toBe('Woosoo.RestoreResult');
    expect(r.Files).toBe(1);
    expect(r.Listed).toContain(r.Safety);
    expect(readFileSync(env, 'utf8')).toBe(original);
  });

  it('Restore-WoosooBackup refuses a damaged backup with Woosoo.BackupInvalid; unknown ids are Woosoo.BackupNotFound', () => {
    const p = makeProject();
    const r = json(`$b = New-WoosooBackup -Path '${p.dir}'
      Add-Content -LiteralPath (Join-Path $b.BackupPath 'configs/nginx.conf') -Value 'tampered'
      $v = Test-WoosooBackup -Path '${p.dir}' -Id $b.Id
      try { $b | Restore-WoosooBackup -Confirm:$false; $id = 'no error' } catch { $id = $_.FullyQualifiedErrorId; $cat = [string]$_.CategoryInfo.Category }
      $nf = $null; Get-WoosooBackup -Path '${p.dir}' -Id 2001-01-01_00-00-00 -ErrorVariable nf -ErrorAction SilentlyContinue
      [pscustomobject]@{ Valid = $v.Valid; Problems = @($v.Problems); Id = $id; Cat = $cat; NotFound = [string]$nf[0].FullyQualifiedErrorId } | ConvertTo-Json -Depth 20 -Compress`, p.dir);
    expect(r.Valid).toBe(false);
    expect(r.Problems.join('\n')).toContain('configs/nginx.conf does not match its checksum');
    expect(r.Id).toMatch(/^Woosoo\.BackupInvalid/);
    expect(r.Cat).toBe('InvalidData');
    expect(r.NotFound).toMatch(/^Woosoo\.BackupNotFound/);
  });

  it('Remove-WoosooBackup -OlderThan 0d -KeepMinimum 1 keeps the newest; -WhatIf removes nothing; a bad span is Woosoo.BackupAgeInvalid', () => {
    const p = makeProject();
    writeFileSync(join(p.dir, 'marker'), '');
    const r = json(`1..3 | ForEach-Object { $null = New-WoosooBackup -Path '${p.dir}' }
      $newest = (Get-WoosooBackup -Path '${p.dir}' -Limit 1).Id
      Remove-WoosooBackup -Path '${p.dir}' -OlderThan 0d -KeepMinimum 1 -WhatIf
      $afterWhatIf = @(Get-WoosooBackup -Path '${p.dir}').Count
      Remove-WoosooBackup -Path '${p.dir}' -OlderThan '0d' -KeepMinimum 1 -Confirm:$false
      $left = @(Get-WoosooBackup -Path '${p.dir}' | ForEach-Object Id)
      try { Remove-WoosooBackup -Path '${p.dir}' -OlderThan 'soon' -Confirm:$false; $bad = 'no error' } catch { $bad = $_.FullyQualifiedErrorId }
      $e = $null; Get-WoosooBackup -Path '${p.dir}' | Remove-WoosooBackup -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
      [pscustomobject]@{ AfterWhatIf = $afterWhatIf; Left = $left; Newest = $newest; Bad = $bad; Protected = [string]$e[0].FullyQualifiedErrorId } | ConvertTo-Json -Depth 20 -Compress`, p.dir);
    expect(r.AfterWhatIf).toBe(3);
    expect(r.Left).toEqual([r.Newest]);
    expect(r.Bad).toMatch(/^Woosoo\.BackupAgeInvalid/);
    expect(r.Protected).toMatch(/^Woosoo\.BackupIsNewestValid/);
  });
});
