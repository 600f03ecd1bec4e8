/**
 * New-WoosooProject from the real pwsh (both tiers) on a copy of the demo's apps with no configuration: -WhatIf shows
 * the file (secrets masked) and writes nothing; then it writes one that Test-WoosooConfig passes, with no secret in the
 * output; a second run without -Force is a Woosoo.ProjectConfigExists error.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson } from '../support/pwsh';

describePwsh('New-WoosooProject end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsnew-e2e-'));
    cpSync(join(ROOT, 'examples', 'demo', 'apps'), join(dir, 'apps'), { recursive: true, filter: (s) => !/(vendor|node_modules|\.output)$/.test(s) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('-WhatIf writes nothing; then a valid configuration, secrets only in the file; again without -Force is refused', () => {
    const r = pwshJson(`$w = New-WoosooProject -Path '${dir}' -WhatIf
      $exists = Test-Path '${join(dir, 'deployment.config.env')}'
      $n = New-WoosooProject -Path '${dir}' -Confirm:$false
      $ok = Test-WoosooConfig -Path '${dir}' -Quiet
      try { New-WoosooProject -Path '${dir}' -Confirm:$false -ErrorAction Stop | Out-Null; $e = $null } catch { $e = $_ }
      [pscustomobject]@{ T = $w.PSObject.TypeNames[0]; WWritten = $w.Written; Exists = $exists; Written = $n.Written; Apps = @($n.Apps)
        Shown = ($n | Format-List * | Out-String -Width 200); Valid = $ok; Again = $e.FullyQualifiedErrorId } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatchObject({ T: 'Woosoo.NewProject', WWritten: false, Exists: false, Written: true, Valid: true });
    expect(r.Apps[0]).toMatch(/^laravel apps\/woosoo-nexus/);
    expect(r.Again).toMatch(/^Woosoo\.ProjectConfigExists/);
    const text = readFileSync(join(dir, 'deployment.config.env'), 'utf8');
    const password = /^DB_PASSWORD=(.+)$/m.exec(text)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(r.Shown).not.toContain(password);
    expect(r.Shown).toContain('DB_PASSWORD=********');
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });
});
