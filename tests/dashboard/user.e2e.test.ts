/**
 * New-, Get- and Remove-WoosooDashboardUser from the real pwsh (both tiers), one session: an admin added, a duplicate
 * refused, -Force replaces, -WhatIf and a short password write nothing; users listed (wildcards) and removed (-WhatIf
 * removes nothing, an unknown name is an error); the engine's hash verifies with the dashboard's own login
 * code; the password is in no file of the project (users.json, the audit trail, the engine's log) nor in the output.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authenticate, readUsers, usersPath } from '../../core/dashboard/users';
import { describePwsh, pwshJson, TIER } from '../support/pwsh';
import { makeProject, type Project } from '../sync/fixtures';

const FIRST = 'Dash-First-Secret-8812';
const SECOND = 'Dash-Second-Secret-9923';

describePwsh('New-WoosooDashboardUser end to end', () => {
  let project: Project;
  beforeAll(() => {
    project = makeProject();
  });
  afterAll(() => project.cleanup());

  it('adds, refuses a duplicate, replaces with -Force; -WhatIf and bad input write nothing; no password anywhere', async () => {
    const p = project.dir;
    const pw = (s: string) => `(ConvertTo-SecureString '${s}' -AsPlainText -Force)`;
    const r = pwshJson(`$added = New-WoosooDashboardUser -Path '${p}' -Name admin -Role admin -Password ${pw(FIRST)} -Confirm:$false
      New-WoosooDashboardUser -Path '${p}' -Name ADMIN -Role viewer -Password ${pw(SECOND)} -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable dup
      New-WoosooDashboardUser -Path '${p}' -Name ghost -Password ${pw(SECOND)} -WhatIf
      New-WoosooDashboardUser -Path '${p}' -Name shorty -Password ${pw('short')} -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable short
      $replaced = New-WoosooDashboardUser -Path '${p}' -Name admin -Role admin -Password ${pw(SECOND)} -Force -Confirm:$false
      $audit = @(Get-WoosooAudit -Path '${p}' -Command New-WoosooDashboardUser)
      $null = New-WoosooDashboardUser -Path '${p}' -Name night-shift -Role operator -Password ${pw(FIRST)} -Confirm:$false
      $all = @(Get-WoosooDashboardUser -Path '${p}')
      $nights = @(Get-WoosooDashboardUser -Path '${p}' -Name NIGHT-*)
      $line = "Remove-WoosooDashboardUser -Path '${p}' -Name nig"
      $tab = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { '{0}|{1}' -f $_.CompletionText, $_.ToolTip })
      Remove-WoosooDashboardUser -Path '${p}' -Name night-shift -WhatIf
      $afterWhatIf = @(Get-WoosooDashboardUser -Path '${p}').Count
      $removed = Get-WoosooDashboardUser -Path '${p}' -Name night-shift | Remove-WoosooDashboardUser -Path '${p}' -Confirm:$false
      Remove-WoosooDashboardUser -Path '${p}' -Name nobody -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable none
      $removals = @(Get-WoosooAudit -Path '${p}' -Command Remove-WoosooDashboardUser)
      [pscustomobject]@{
        Type = $added.PSObject.TypeNames[0]; Added = '{0}/{1}/{2}' -f $added.Name, $added.Role, $added.Replaced
        Replaced = $replaced.Replaced; Dup = [string]$dup[0].FullyQualifiedErrorId; Short = [string]$short[0].FullyQualifiedErrorId
        Table = (@($added, $replaced) | Out-String -Width 80)
        Audit = @($audit | ForEach-Object { '{0}/{1}/{2}' -f $_.Outcome, $_.WhatIf, $_.Parameters.Password })
        All = @($all | ForEach-Object { '{0}/{1}' -f $_.Name, $_.Role }); Nights = @($nights | ForEach-Object { $_.Name })
        AfterWhatIf = $afterWhatIf; Removed = '{0}/{1}' -f $removed.PSObject.TypeNames[0], $removed.Name; None = [string]$none[0].FullyQualifiedErrorId
        Removals = @($removals | ForEach-Object { '{0}/{1}' -f $_.Outcome, $_.WhatIf }); Tab = $tab
      } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatchObject({ Type: 'Woosoo.DashboardUser', Added: 'admin/admin/False', Replaced: true });
    expect(r.Dup).toMatch(/^Woosoo\.DashboardUserExists/);
    expect(r.Short).toMatch(/^Woosoo\.DashboardPasswordTooShort/);
    expect(r.Table).toMatch(/admin\s+admin\s+Added/);
    expect(r.Table).toMatch(/admin\s+admin\s+Replaced/);
    expect(r.Audit).toEqual(['Succeeded/False/********', 'Refused/False/********', 'Succeeded/True/********', 'Refused/False/********', 'Succeeded/False/********']);
    expect(r).toMatchObject({ All: ['admin/admin', 'night-shift/operator'], Nights: ['night-shift'], AfterWhatIf: 2, Removed: 'Woosoo.DashboardUser/night-shift' });
    expect(r.None).toMatch(/^Woosoo\.DashboardUserNotFound/);
    expect(r.Removals).toEqual(['Succeeded/True', 'Succeeded/False', 'Refused/False']);
    expect(r.Tab).toHaveLength(1);
    expect(r.Tab[0]).toMatch(/^night-shift\|operator \| updated /);
    expect(JSON.stringify(r)).not.toContain(FIRST);
    expect(JSON.stringify(r)).not.toContain(SECOND);

    expect(readUsers(p).map((u) => `${u.name}/${u.role}`)).toEqual(['admin/admin']);
    if (TIER === 'linux') expect(statSync(usersPath(p)).mode & 0o777).toBe(0o600);
    expect((await authenticate(p, 'admin', SECOND))?.name).toBe('admin');
    expect(await authenticate(p, 'admin', FIRST)).toBeUndefined();
    const files = readdirSync(p, { recursive: true, encoding: 'utf8' }).map((f) => join(p, f)).filter((f) => statSync(f).isFile());
    expect(files.some((f) => f.endsWith('users.json')) && files.some((f) => f.includes('audit-'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect({ file, leaks: text.includes(FIRST) || text.includes(SECOND) }).toEqual({ file, leaks: false });
    }
  }, 60_000);
});
