/**
 * Sync-WoosooConfig end to end from the real pwsh: -WhatIf returns Woosoo.ConfigChange objects and writes nothing,
 * a real sync keeps APP_KEY and names its backup, -App limits the targets, an invalid configuration and a broken
 * nginx template are terminating errors with Woosoo.* ids. Skipped, with the reason, where PowerShell 7 could not
 * be installed (see scripts/setup.sh).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePwsh, itNeeds, lacking, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { makeProject, type Project } from './fixtures';

const json = (script: string) => pwshJson(script);

const shape = `ForEach-Object { [pscustomobject]@{ T = $_.PSObject.TypeNames[0]; App = $_.App; Action = $_.Action; WhatIf = $_.WhatIf; Diff = $_.Diff; BackupId = $_.BackupId; Check = $_.Check } }`;

describePwsh('Sync-WoosooConfig end to end', () => {
  let project: Project;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  it('-WhatIf returns Woosoo.ConfigChange objects with masked diffs and writes nothing', () => {
    const r = json(`@(Sync-WoosooConfig -Path '${project.dir}' -WhatIf | ${shape}) | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.map((c: { T: string; App: string; Action: string; WhatIf: boolean }) => [c.T, c.App, c.Action, c.WhatIf])).toEqual([
      ['Woosoo.ConfigChange', 'backend', 'Create', true], ['Woosoo.ConfigChange', 'pwa', 'Create', true], ['Woosoo.ConfigChange', 'nginx', 'Create', true],
    ]);
    expect(r[0].Diff).toContain('+DB_PASSWORD=********');
    expect(JSON.stringify(r)).not.toContain('Sync-Pa55');
    // Where the tier has no nginx, the change says it was not checked (never a silent pass).
    expect(r[2].Check).toMatch(lacking(['nginx']) ? /not checked/i : /^nginx -t passed$/);
    expect(existsSync(join(project.backend, '.env'))).toBe(false);
    expect(existsSync(join(project.dir, 'configs'))).toBe(false);
  });

  it('syncs for real: APP_KEY survives, the old .env is in the named backup, the table view renders', () => {
    writeFileSync(join(project.backend, '.env'), 'APP_KEY=base64:keepme\nAPP_DEBUG=true\n');
    const r = json(`$c = @(Sync-WoosooConfig -Path '${project.dir}' -App backend -Confirm:$false)
      [pscustomobject]@{ Items = @($c | ${shape}); Table = ($c | Out-String -Width 200) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Items).toHaveLength(1);
    expect(r.Items[0]).toMatchObject({ T: 'Woosoo.ConfigChange', App: 'backend', Action: 'Update', WhatIf: false });
    expect(r.Items[0].BackupId).toMatch(/^\d{4}-\d\d-\d\d_/);
    expect(r.Table).toMatch(/backend\s+Update/);
    const env = readFileSync(join(project.backend, '.env'), 'utf8');
    expect(env).toContain('APP_KEY=base64:keepme');
    expect(env).toContain('APP_DEBUG=false');
    expect(readFileSync(join(project.dir, 'backups', r.Items[0].BackupId, 'apps', 'woosoo-nexus', '.env'), 'utf8')).toBe('APP_KEY=base64:keepme\nAPP_DEBUG=true\n');
  });

  it('an invalid configuration is a terminating Woosoo.ConfigInvalid error and nothing is written', () => {
    project.writeConfig({ APP_IP: 'not-an-ip' });
    const r = json(`try { Sync-WoosooConfig -Path '${project.dir}' -Confirm:$false; 'no error' } catch {
      [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Cat = [string]$_.CategoryInfo.Category; Fix = $_.ErrorDetails.RecommendedAction } | ConvertTo-Json -Depth 20 -Compress }`);
    expect(r.Id).toMatch(/^Woosoo\.ConfigInvalid/);
    expect(r.Cat).toBe('InvalidData');
    expect(r.Fix).toMatch(/Test-WoosooConfig/);
    expect(existsSync(join(project.backend, '.env'))).toBe(false);
  });

  itNeeds(['nginx'], 'a broken nginx template is Woosoo.SyncNginxCheckFailed with nginx\'s [emerg] line', () => {
    mkdirSync(join(project.dir, 'templates'));
    writeFileSync(join(project.dir, 'templates', 'nginx.conf.hbs'), 'events {}\nhttp { server { listen {{HTTP_PORT}}; bogus_directive on; } }\n');
    const r = json(`try { Sync-WoosooConfig -Path '${project.dir}' -App nginx -WhatIf; 'no error' } catch {
      [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } | ConvertTo-Json -Depth 20 -Compress }`);
    expect(r.Id).toMatch(/^Woosoo\.SyncNginxCheckFailed/);
    expect(r.Message).toMatch(/\[emerg\] unknown directive "bogus_directive"/);
  });
});
