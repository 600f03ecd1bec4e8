/**
 * Edit-WoosooConfig in a real terminal (both tiers): pwsh runs in a tmux pane and the test answers the editor's
 * questions as a person would. A bad answer shows the engine's rule and fix and is asked again; Enter keeps a value;
 * a secret is read without echo and never reaches the screen; saving writes the file once with a backup. Typing
 * cancel, answering No, -WhatIf and Ctrl+C leave the file byte-identical with no backup. Without a terminal
 * (-NonInteractive) the editor refuses with Woosoo.EditorNotInteractive, pointing to Set-WoosooConfig.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePwsh, itNeeds, MODULE_MANIFEST, pwshJson, tierPath } from '../support/pwsh';
import { terminal, TERMINAL_MISSING } from '../support/terminal';
import { makeProject, type Project } from './fixtures';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const SECRET = 'Edit-Typed-Secret-6620';

describePwsh('Edit-WoosooConfig at a real terminal (tmux)', () => {
  let project: Project;
  const file = () => join(project.dir, 'deployment.config.env');
  const backups = () => (existsSync(join(project.dir, 'backups')) ? readdirSync(join(project.dir, 'backups')) : []);
  const edit = (args: string) => `Edit-WoosooConfig -Path ${q(tierPath(project.dir))} ${args}`;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  it('asks key by key: a bad answer shows the rule and the fix and is asked again; saving writes once, backed up, the secret never on screen', async () => {
    const before = readFileSync(file(), 'utf8');
    const t = await terminal(`woosoo-edit-${process.pid}-1`);
    try {
      await t.type(`Import-Module ${q(MODULE_MANIFEST)}; ${edit('-Name HTTP_PORT, DB_PORT, DB_PASSWORD')}`);
      await t.see('HTTP_PORT (port) [1/3]');
      await t.see('Port nginx serves the PWA and the API on');
      await t.see('Default: 80   Current: 8088');
      await t.answer('HTTP_PORT [8088]:', '70000');
      await t.see('HTTP_PORT refused:');
      await t.see(/- HTTP_PORT .*must be between 1 and 65535\. Fix: Set HTTP_PORT to a valid value/);
      await t.answer('HTTP_PORT [8088]:', '8081');
      await t.see(/HTTP_PORT and REVERB_PORT are both set to 8081; two services cannot listen on one port\. Fix: /);
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.answer('DB_PORT [3306]:', '');
      await t.see('Default: (none)   Current: ********');
      await t.answer('DB_PASSWORD [********]:', SECRET);
      await t.see('+HTTP_PORT=8090');
      await t.see('+DB_PASSWORD=********');
      await t.see('Save these changes to');
      expect(readFileSync(file(), 'utf8')).toBe(before);
      await t.answer('(default is "Y"):', 'y');
      await t.see(/Saved .*deployment\.config\.env; the file as it was is in backup \d{4}-\d\d-\d\d_/);
      await t.type(`'edited: ' + (Get-WoosooConfig -Path ${q(tierPath(project.dir))}).HTTP_PORT`);
      await t.see('edited: 8090');
      expect(readFileSync(file(), 'utf8')).toBe(before.replace('HTTP_PORT=8088', 'HTTP_PORT=8090').replace("DB_PASSWORD='Sync-Pa55 #word'", `DB_PASSWORD='${SECRET}'`));
      expect(backups()).toHaveLength(1);
      expect(t.screen()).not.toContain(SECRET);
      expect(t.screen()).not.toContain('Sync-Pa55');
    } finally {
      t.close();
    }
  }, 180_000);

  it('cancel, No at the save question and -WhatIf (also after skipping a group) leave the file byte-identical with no backup', async () => {
    const before = readFileSync(file(), 'utf8');
    const t = await terminal(`woosoo-edit-${process.pid}-2`);
    try {
      await t.type(`Import-Module ${q(MODULE_MANIFEST)}; ${edit('-Name HTTP_PORT, DB_PORT')}`);
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.answer('DB_PORT [3306]:', 'cancel');
      await t.see(/Cancelled: .*deployment\.config\.env was not changed\./);

      await t.type(edit('-Name HTTP_PORT'));
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.see('+HTTP_PORT=8090');
      await t.answer('(default is "Y"):', 'n');
      await t.see(/Cancelled: [^\n]*\n[\s\S]*Cancelled: /);

      await t.type(edit('-Name HTTP_PORT -WhatIf'));
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.see('What if: Performing the operation "Save 1 change(s)"');

      // Without -Name: group by group, each can be skipped (s) or gone through (Enter).
      await t.type(edit(''));
      await t.see(/Editing .*deployment\.config\.env: \d+ key\(s\)/);
      await t.see('== Environment (');
      await t.answer('Enter goes through them, s skips the group:', 's');
      await t.see('== Network (');
      await t.answer('Enter goes through them, s skips the group:', '');
      await t.answer('APP_IP [127.0.0.1]:', '');
      await t.answer('HTTP_PORT [8088]:', '8090');
      expect(t.screen()).not.toContain('ENVIRONMENT [production]:');
      await t.see('HTTPS_PORT [443]:');
      await t.answer('HTTPS_PORT [443]:', 'cancel');
      await t.see(/Cancelled: /);
      expect(readFileSync(file(), 'utf8')).toBe(before);
      expect(backups()).toEqual([]);
    } finally {
      t.close();
    }
  }, 180_000);

  itNeeds(['console-ctrl-c'], 'Ctrl+C at a question, also after skipping a group, leaves the file byte-identical with no backup and the session usable', async () => {
    const before = readFileSync(file(), 'utf8');
    const t = await terminal(`woosoo-edit-${process.pid}-3`);
    try {
      await t.type(`Import-Module ${q(MODULE_MANIFEST)}; ${edit('')}`);
      await t.answer('Enter goes through them, s skips the group:', 's');
      await t.answer('Enter goes through them, s skips the group:', '');
      await t.answer('APP_IP [127.0.0.1]:', '');
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.see('HTTPS_PORT [443]:');
      t.key('C-c');
      await t.type(edit('-Name HTTP_PORT, DB_PORT'));
      await t.answer('HTTP_PORT [8088]:', '8090');
      await t.see('DB_PORT [3306]:');
      t.key('C-c');
      await t.type(`'after Ctrl+C: ' + (Get-WoosooConfig -Path ${q(tierPath(project.dir))}).HTTP_PORT`);
      await t.see('after Ctrl+C: 8088');
      expect(readFileSync(file(), 'utf8')).toBe(before);
      expect(backups()).toEqual([]);
    } finally {
      t.close();
    }
  }, 180_000);
}, { missing: TERMINAL_MISSING || undefined });

describePwsh('Edit-WoosooConfig without a terminal', () => {
  let project: Project;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  it('-NonInteractive: refused as Woosoo.EditorNotInteractive, pointing to Set-WoosooConfig; the file untouched', () => {
    const before = readFileSync(join(project.dir, 'deployment.config.env'), 'utf8');
    const r = pwshJson(`try { Edit-WoosooConfig -Path ${q(tierPath(project.dir))} -Name HTTP_PORT -ErrorAction Stop; $e = $null } catch { $e = $_ }
      [pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = [string]$e.Exception.Message; Fix = $e.ErrorDetails.RecommendedAction } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Id).toBe('Woosoo.EditorNotInteractive,Edit-WoosooConfig');
    expect(r.Message).toContain('-NonInteractive');
    expect(r.Fix).toContain('Set-WoosooConfig -Name KEY -Value VALUE');
    expect(readFileSync(join(project.dir, 'deployment.config.env'), 'utf8')).toBe(before);
  });

  it('Tab completes -Name with the keys, as for Get-WoosooConfig', () => {
    const line = `Edit-WoosooConfig -Path ${q(tierPath(project.dir))} -Name HTTP_P`;
    const r = pwshJson(`ConvertTo-Json -Depth 20 -Compress -InputObject @((TabExpansion2 -inputScript ${q(line)} -cursorColumn ${line.length}).CompletionMatches | ForEach-Object CompletionText)`);
    expect(r).toEqual(['HTTP_PORT']);
  });
});
