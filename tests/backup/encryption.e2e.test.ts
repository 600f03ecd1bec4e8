/**
 * Encrypted backups end to end from the real pwsh, in one session: New-WoosooBackupKey, a backup whose secret parts
 * are encrypted, Test-WoosooBackup without the key (checksums) and with it (authenticated), a restore refused
 * without the key and with another one (nothing written), the round trip with -KeyFile, and -Encrypt -Passphrase
 * (the passphrase in no output stream and no file of the backup). The database part is in database.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { TIER, describePwsh, pwshJson } from '../support/pwsh';
import { makeProject } from './fixture';

const PASSPHRASE = 'e2e passphrase 7f3a-never-shown';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describePwsh('encrypted backups end to end', () => {
  it('key, encrypted backup, Test without and with the key, restore refused without/with a wrong key, round trip, -Encrypt -Passphrase', () => {
    const p = makeProject({ files: 1 });
    const env = join(p.dir, 'apps', 'woosoo-nexus', '.env');
    const original = readFileSync(env, 'utf8');
    const kept = join(p.dir, 'kept.key');
    const wrong = join(p.dir, 'wrong.key');
    const r = pwshJson(`$ErrorActionPreference = 'Stop'
      $k = New-WoosooBackupKey -Path '${p.dir}'
      try { New-WoosooBackupKey -Path '${p.dir}'; $again = 'no error' } catch { $again = $_.FullyQualifiedErrorId }
      $b = New-WoosooBackup -Path '${p.dir}' -IncludeFiles
      Move-Item -LiteralPath (Join-Path '${p.dir}' '.woosoo/backup.key') -Destination '${kept}'
      $v = Test-WoosooBackup -Path '${p.dir}' -Id $b.Id
      $va = Test-WoosooBackup -Path '${p.dir}' -Id $b.Id -KeyFile '${kept}'
      Set-Content -LiteralPath '${env}' -Value 'APP_KEY=' -NoNewline
      try { $b | Restore-WoosooBackup -Confirm:$false; $missing = 'no error' } catch { $missing = $_.FullyQualifiedErrorId }
      $null = New-WoosooBackupKey -Path '${p.dir}' -OutFile '${wrong}'
      try { $b | Restore-WoosooBackup -Confirm:$false -KeyFile '${wrong}'; $wrongId = 'no error' } catch { $wrongId = $_.FullyQualifiedErrorId }
      $count = @(Get-WoosooBackup -Path '${p.dir}').Count
      $afterRefusals = Get-Content -LiteralPath '${env}' -Raw
      $res = $b | Restore-WoosooBackup -Confirm:$false -KeyFile '${kept}'
      $pp = ConvertTo-SecureString '${PASSPHRASE}' -AsPlainText -Force
      $streams = New-WoosooBackup -Path '${p.dir}' -Encrypt -Passphrase $pp -Verbose *>&1 | Out-String
      $pb = Get-WoosooBackup -Path '${p.dir}' -Limit 1
      $pv = Test-WoosooBackup -Path '${p.dir}' -Id $pb.Id -Passphrase $pp
      $bad = ConvertTo-SecureString 'not the passphrase at all' -AsPlainText -Force
      try { $pb | Restore-WoosooBackup -Confirm:$false -Passphrase $bad; $badId = 'no error' } catch { $badId = $_.FullyQualifiedErrorId }
      [pscustomobject]@{
        KeyType = $k.PSObject.TypeNames[0]; KeyId = $k.KeyId; Protection = $k.Protection; KeyPath = $k.Path; KeyView = ($k | Out-String); Again = $again
        BackupKeyId = $b.KeyId; Parts = @($b.EncryptedParts)
        Valid = $v.Valid; Authenticated = $v.Authenticated; ValidWithKey = $va.Valid; AuthenticatedWithKey = $va.Authenticated
        Missing = $missing; Wrong = $wrongId; CountBeforeRestore = $count; AfterRefusals = $afterRefusals; Restored = $res.FilesRestored
        Streams = $streams; PassParts = @($pb.EncryptedParts); PassKeyId = $pb.KeyId; PassValid = $pv.Valid; PassAuth = $pv.Authenticated; BadPass = $badId
      } | ConvertTo-Json -Depth 20 -Compress`, { cwd: p.dir });

    expect(r.KeyType).toBe('Woosoo.BackupKey');
    expect(r.KeyId).toMatch(/^[0-9a-f]{16}$/);
    // Windows (here: pwsh under Wine, whose DPAPI is Wine's, not Windows'): the key is DPAPI-protected by the cmdlet.
    expect(r.Protection).toBe(TIER === 'windows' ? 'DpapiMachine' : 'None');
    expect(r.KeyView).toContain(r.KeyId);
    expect(r.Again).toMatch(/^Woosoo\.BackupKeyExists/);
    if (TIER === 'linux') expect(statSync(join(p.dir, 'kept.key')).mode & 0o777).toBe(0o600);
    expect(r.BackupKeyId).toBe(r.KeyId);
    if (TIER === 'windows') expect(readFileSync(kept, 'utf8')).toMatch(new RegExp(`^woosoo-backup-key 1 dpapi-machine ${r.KeyId} [A-Za-z0-9+/]+=*$`, 'm'));
    expect(r.Parts).toEqual(['apps/tablet-ordering-pwa/.env', 'apps/woosoo-nexus/.env', 'configs/deployment.config.env']);
    expect([r.Valid, r.Authenticated, r.ValidWithKey, r.AuthenticatedWithKey]).toEqual([true, false, true, true]);
    expect(r.Missing).toMatch(/^Woosoo\.BackupKeyMissing/);
    expect(r.Wrong).toMatch(/^Woosoo\.BackupKeyWrong/);
    expect(r.CountBeforeRestore).toBe(1); // no safety backup: the refusals wrote nothing
    expect(r.AfterRefusals).toBe('APP_KEY=');
    expect(r.Restored).toBe(1);
    expect(readFileSync(env, 'utf8')).toBe(original);

    expect(r.PassParts).toContain('configs/nginx.conf'); // -Encrypt: every part
    expect(r.PassKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect([r.PassValid, r.PassAuth]).toEqual([true, true]);
    expect(r.BadPass).toMatch(/^Woosoo\.BackupKeyWrong/);
    expect(r.Streams).not.toContain(PASSPHRASE);
    for (const f of filesUnder(join(p.dir, 'backups'))) expect(readFileSync(f).includes(PASSPHRASE), f).toBe(false);
  });
});
