/**
 * A command with nothing to do says so on the console, the way Write-Host does (the information stream, tagged
 * PSHOST): shown by default, not only under -Verbose; -InformationAction Ignore silences it, -InformationVariable
 * keeps it. Undo-WoosooDeploy with no deployment to roll back, Remove-WoosooBackup -OlderThan with none due.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, runPwsh } from '../support/pwsh';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'woosoo-nothing-'));
  cpSync(join(ROOT, 'examples', 'demo'), dir, { recursive: true });
});

describePwsh('commands with nothing to do', () => {
  it('say so on the console by default; -InformationAction Ignore silences them; the information stream keeps them', () => {
    const r = runPwsh(`Undo-WoosooDeploy -Path '${dir}' -Confirm:$false
      Remove-WoosooBackup -Path '${dir}' -OlderThan (New-TimeSpan -Days 30) -Confirm:$false
      Undo-WoosooDeploy -Path '${dir}' -Confirm:$false -InformationAction Ignore
      Remove-WoosooBackup -Path '${dir}' -OlderThan (New-TimeSpan -Days 30) -Confirm:$false -InformationAction Ignore
      $null = Undo-WoosooDeploy -Path '${dir}' -Confirm:$false -InformationVariable undo 6>$null
      $null = Remove-WoosooBackup -Path '${dir}' -OlderThan (New-TimeSpan -Days 30) -Confirm:$false -InformationVariable rm 6>$null
      "kept: $(@($undo).Count) $(@($rm).Count) [$($undo[0].Source)] [$($rm[0].Source)]"`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('kept: 1 1 [Undo-WoosooDeploy] [Remove-WoosooBackup]');
    const lines = r.console.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines).toEqual([
      expect.stringMatching(/^Nothing to roll back: no deployment .* is Interrupted/),
      expect.stringMatching(/^Nothing to remove: no backup is older than 30\.00:00:00/),
    ]);
  });
});
