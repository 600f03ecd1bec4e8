/**
 * New-WoosooProject from the real pwsh (both tiers) on copies of the demo's apps with no configuration: -WhatIf shows
 * the file (secrets masked) and writes nothing; then it writes one that Test-WoosooConfig passes; a second run without
 * -Force is a Woosoo.ProjectConfigExists error. No generated secret appears in any stream without -Reveal (output,
 * verbose, debug, information, warning, the -WhatIf text, the engine's log); with -Reveal the object holds them.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson, runPwsh } from '../support/pwsh';

const demoCopy = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsnew-e2e-'));
  cpSync(join(ROOT, 'examples', 'demo', 'apps'), join(dir, 'apps'), { recursive: true, filter: (s) => !/(vendor|node_modules|\.output|\.env)$/.test(s) });
  return dir;
};
/** The secrets New-WoosooProject wrote: from deployment.config.env and the backend's .env. */
const writtenSecrets = (dir: string): Record<string, string> => {
  const text = readFileSync(join(dir, 'deployment.config.env'), 'utf8') + readFileSync(join(dir, 'apps', 'woosoo-nexus', '.env'), 'utf8');
  const get = (k: string) => new RegExp(`^${k}=(.+)$`, 'm').exec(text)?.[1] ?? '';
  return Object.fromEntries(['DB_PASSWORD', 'REVERB_APP_ID', 'REVERB_APP_KEY', 'REVERB_APP_SECRET', 'APP_KEY'].map((k) => [k, get(k)]));
};
const STREAMS = '-Verbose -Debug -InformationAction Continue -WarningAction Continue *>&1';

describePwsh('New-WoosooProject end to end', () => {
  const dirs: string[] = [];
  let dir: string;
  beforeAll(() => {
    dir = demoCopy();
    dirs.push(dir);
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

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
    const password = writtenSecrets(dir).DB_PASSWORD;
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(r.Shown).not.toContain(password);
    expect(r.Shown).toContain('DB_PASSWORD=********');
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });

  it('without -Reveal no secret is in any stream or the engine log; with -Reveal the object and its view show them', () => {
    const d = demoCopy();
    dirs.push(d);
    const r = runPwsh(`$all = @(New-WoosooProject -Path '${d}' -WhatIf ${STREAMS}) + @(New-WoosooProject -Path '${d}' -Confirm:$false ${STREAMS})
      $all | ForEach-Object { '{0}: {1}' -f $_.GetType().Name, ($_ | Out-String -Width 4096) }
      $all | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.NewProject' } | ForEach-Object { $_ | Format-List * | Out-String -Width 4096; $_ | Format-List -View Content | Out-String -Width 4096 }
      '--- engine log'
      & (Get-Module Woosoo) { Get-WoosooEngineStderrTail -Engine $script:WoosooEngine -Count 100000 }`);
    expect(r.status, r.stderr).toBe(0);
    const secrets = writtenSecrets(d);
    expect(secrets.APP_KEY).toMatch(/^base64:.{44}$/);
    const everything = `${r.stdout}\n${r.console}\n${r.stderr}`;
    expect(r.console).toMatch(/What if: .*Write .*deployment\.config\.env/);
    expect(r.stdout).toMatch(/VerboseRecord: laravel in apps\/woosoo-nexus \(95 %\)/);
    expect(r.stdout).toMatch(/VerboseRecord: Ports: HTTP_PORT=\d+, .*Secrets generated: DB_PASSWORD, REVERB_APP_ID, REVERB_APP_KEY, REVERB_APP_SECRET, APP_KEY\./);
    expect(r.stdout).toContain('DB_PASSWORD=********');
    for (const [k, v] of Object.entries(secrets)) {
      expect(v.length, k).toBeGreaterThanOrEqual(16);
      expect(everything, k).not.toContain(v);
    }

    const shown = pwshJson(`$p = New-WoosooProject -Path '${d}' -Force -Reveal -Confirm:$false
      [pscustomobject]@{ Secrets = $p.Secrets; View = ($p | Format-List | Out-String -Width 4096) } | ConvertTo-Json -Depth 5 -Compress`);
    const now = writtenSecrets(d);
    expect(now.APP_KEY).toBe(secrets.APP_KEY); // the backend keeps its APP_KEY
    const { APP_KEY: _kept, ...regenerated } = now;
    expect(shown.Secrets).toEqual(regenerated);
    for (const [k, v] of Object.entries(regenerated)) expect(shown.View).toContain(`${k}=${v}`);
  });
});
