/**
 * Invoke-WoosooBuild end to end from the real pwsh, on a copy of the demo apps with the real npm and php: typed
 * Woosoo.BuildResult objects (Duration a TimeSpan), -WhatIf returning Woosoo.BuildPlan and running nothing, a failed
 * build as a non-terminating Woosoo.BuildFailed error with the object still returned, -Verbose carrying the output,
 * the relay warning, and a bad -App refused by PowerShell. Skipped, with the reason, where pwsh is not installed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { makeBuildProject } from './fixture';
import { logsBesidesWoosoo } from '../harness/tools';

const json = (script: string) => {
  return pwshJson(script, { timeoutMs: 180_000 });
};

describePwsh('Invoke-WoosooBuild end to end', () => {
  it('-WhatIf returns Woosoo.BuildPlan objects with the commands and runs nothing', () => {
    const p = makeBuildProject();
    const r = json(`$plan = @(Invoke-WoosooBuild -Path '${p.dir}' -App Backend, Pwa -WhatIf)
      [pscustomobject]@{ Types = @($plan | ForEach-Object { $_.PSObject.TypeNames[0] }); Apps = @($plan.App); Status = @($plan.Status)
        Pwa = @($plan[1].Commands); Text = ($plan | Out-String) } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Types).toEqual(['Woosoo.BuildPlan', 'Woosoo.BuildPlan']);
    expect(r.Apps).toEqual(['Backend', 'Pwa']);
    expect(r.Status).toEqual(['WillRun', 'WillRun']);
    expect(r.Pwa).toEqual(['npm ci', 'npm run build', 'npm test']);
    expect(r.Text).toContain('php artisan migrate --force');
    expect(existsSync(join(p.backend, 'vendor'))).toBe(false);
    expect(logsBesidesWoosoo(p.dir)).toEqual([]);
  });

  it('builds the PWA: a Woosoo.BuildResult with a TimeSpan Duration, the log path, and the output on -Verbose', () => {
    const p = makeBuildProject();
    const r = json(`$v = $null; $res = Invoke-WoosooBuild -Path '${p.dir}' -App Pwa -SkipTests -Verbose 4>&1 | Tee-Object -Variable v | Where-Object { $_.PSObject.TypeNames -contains 'Woosoo.BuildResult' }
      [pscustomobject]@{ Type = $res.PSObject.TypeNames[0]; Status = $res.Status; App = $res.App; Dur = $res.Duration.GetType().Name; Log = $res.LogPath
        Steps = @($res.Steps); Verbose = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }); Ok = $? } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatchObject({ Type: 'Woosoo.BuildResult', Status: 'Succeeded', App: 'Pwa', Dur: 'TimeSpan', Steps: ['npm ci', 'npm run build'] });
    expect(readFileSync(r.Log, 'utf8')).toMatch(/built \d+ files into/);
    expect(r.Verbose).toEqual(expect.arrayContaining(['[pwa] npm run build']));
    expect(r.Verbose.some((m: string) => /^\[pwa\] built \d+ files/.test(m))).toBe(true);
  });

  it('a failing build writes a non-terminating Woosoo.BuildFailed error, still returns the Failed result, and can be piped back in', () => {
    const p = makeBuildProject();
    const pkg = JSON.parse(readFileSync(join(p.pwa, 'package.json'), 'utf8'));
    pkg.scripts.build = 'node -e "console.error(\'broken build\'); process.exit(4)"';
    writeFileSync(join(p.pwa, 'package.json'), JSON.stringify(pkg));
    const r = json(`$res = Invoke-WoosooBuild -Path '${p.dir}' -App Pwa -ErrorAction SilentlyContinue -ErrorVariable errs
      $again = @($res | Invoke-WoosooBuild -SkipTests -ErrorAction SilentlyContinue)
      [pscustomobject]@{ Again = @($again | ForEach-Object { '{0} {1} {2}' -f $_.App, $_.Status, $_.ProjectPath }); Status = $res.Status; Cmd = $res.FailedCommand; Code = $res.ExitCode; Ids = @($errs | ForEach-Object { $_.FullyQualifiedErrorId })
        Msg = [string]$errs[0].Exception.Message; Fix = $errs[0].ErrorDetails.RecommendedAction } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r).toMatchObject({ Status: 'Failed', Cmd: 'npm run build', Code: 4 });
    // Piped back in, the result rebuilds its own app of its own project (App and ProjectPath bind by property name).
    expect(r.Again).toEqual([`Pwa Failed ${p.dir}`]);
    expect(r.Ids[0]).toMatch(/^Woosoo\.BuildFailed/);
    expect(r.Msg).toContain('broken build');
    expect(r.Fix).toContain('Invoke-WoosooBuild -App Pwa');
  });

  it('warns that the relay is skipped when Flutter is absent, and refuses an unknown -App', () => {
    const p = makeBuildProject();
    const r = json(`$res = Invoke-WoosooBuild -Path '${p.dir}' -App Relay -WarningVariable w -WarningAction SilentlyContinue
      $bad = try { Invoke-WoosooBuild -Path '${p.dir}' -App Frontend; 'accepted' } catch { $_.FullyQualifiedErrorId }
      [pscustomobject]@{ Status = $res.Status; Warn = @($w | ForEach-Object { $_.Message }); Bad = $bad } | ConvertTo-Json -Depth 20 -Compress`);
    expect(r.Status).toBe('Skipped');
    expect(r.Warn[0]).toMatch(/^Relay build skipped: Flutter is not installed/);
    expect(r.Bad).toMatch(/^ParameterArgumentValidationError/);
  });
}, { needs: ['php', 'composer', 'npm'] });
