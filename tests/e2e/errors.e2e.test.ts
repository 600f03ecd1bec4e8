/**
 * The error model (docs/errors.md) from where a scheduled task sits: `pwsh -File script.ps1`, its console and its exit
 * code, for each -ErrorAction and $ErrorActionPreference and for try/catch. A cmdlet that fails as a whole used to
 * raise a statement-terminating error only, so `-ErrorAction Stop` let the script run on and exit 0, and
 * `-ErrorAction SilentlyContinue`/`Ignore` did not silence it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, MODULE_MANIFEST, runPwshFile, type FileRun } from '../support/pwsh';

type Run = FileRun;

/** Runs a script file with `pwsh -NoProfile -NonInteractive -File`, as Task Scheduler does. */
function runFile(body: string): Promise<Run> {
  return runPwshFile(`Import-Module '${MODULE_MANIFEST}'\n${body}`);
}

describePwsh('the error model from pwsh -File scripts', () => {
  const missing = join(tmpdir(), 'woosoo-no-such-project');
  const runs: Record<string, Run> = {};
  const fail = `Get-WoosooConfig -Path '${missing}'`;

  const scripts: Record<string, string> = {
    stop: `${fail} -ErrorAction Stop\n'not reached'`,
    preferenceStop: `$ErrorActionPreference = 'Stop'\n${fail}\n'not reached'`,
    continue: `${fail}\n"reached ok=$?"`,
    silently: `${fail} -ErrorAction SilentlyContinue\n"reached count=$($Error.Count) id=$($Error[0].FullyQualifiedErrorId)"`,
    ignore: `$Error.Clear()\n${fail} -ErrorAction Ignore\n"reached count=$($Error.Count) $($Error | % FullyQualifiedErrorId)"`,
    errorVariable: `${fail} -ErrorAction SilentlyContinue -ErrorVariable e\n"reached e=$($e[0].FullyQualifiedErrorId)"`,
    tryDefault: `try { ${fail}; 'not reached' } catch { "caught $($_.FullyQualifiedErrorId) fix=$($_.ErrorDetails.RecommendedAction -ne $null)" }\n'after'`,
    tryStop: `try { ${fail} -ErrorAction Stop; 'not reached' } catch { "caught $($_.FullyQualifiedErrorId)" }\n'after'`,
    // A non-Stop preference in the caller does not weaken an explicit -ErrorAction Stop, and vice versa.
    stopOverPreference: `$ErrorActionPreference = 'SilentlyContinue'\n${fail} -ErrorAction Stop\n'not reached'`,
    silentlyOverPreference: `$ErrorActionPreference = 'Stop'\n${fail} -ErrorAction SilentlyContinue\n'reached'`,
    // Inside a function of the caller's own (a wrapper script), the wrapper's preference applies.
    wrapped: `function Invoke-Nightly { [CmdletBinding()] param() ${fail} }\nInvoke-Nightly -ErrorAction Stop\n'not reached'`,
    ok: `$null = Get-WoosooConfig -Path '${join(ROOT, 'examples', 'demo')}' -ErrorAction Stop\n'fine'`,
  };

  beforeAll(async () => {
    const names = Object.keys(scripts);
    // Two at a time: each is a fresh pwsh and engine.
    for (let i = 0; i < names.length; i += 2) {
      const batch = names.slice(i, i + 2);
      const results = await Promise.all(batch.map((n) => runFile(scripts[n])));
      batch.forEach((n, k) => (runs[n] = results[k]));
    }
  }, 300_000);

  it('-ErrorAction Stop stops the script: the next line does not run and the exit code is 1', () => {
    for (const name of ['stop', 'preferenceStop', 'stopOverPreference', 'wrapped']) {
      const r = runs[name];
      expect(r.out, name).not.toContain('not reached');
      expect(r.code, `${name}: ${r.err}`).toBe(1);
      expect(r.err + r.out, name).toContain('does not exist');
    }
  });

  it('Continue (the default) reports the error and runs on; $? is false', () => {
    expect(runs.continue.out).toContain('reached ok=False');
    expect(runs.continue.err + runs.continue.out).toContain('Get-WoosooConfig');
    expect(runs.continue.code).toBe(0);
  });

  it('SilentlyContinue and Ignore print nothing; SilentlyContinue keeps the record in $Error and -ErrorVariable, Ignore does not', () => {
    for (const name of ['silently', 'ignore', 'errorVariable', 'silentlyOverPreference']) {
      expect(runs[name].err, name).toBe('');
      expect(runs[name].out, name).toContain('reached');
      expect(runs[name].out, name).not.toContain('does not exist');
      expect(runs[name].code, name).toBe(0);
    }
    expect(runs.silently.out).toMatch(/reached count=1 id=Woosoo\.ConfigNotFound,Get-WoosooConfig\b/);
    expect(runs.ignore.out).toContain('reached count=0');
    expect(runs.errorVariable.out).toMatch(/reached e=Woosoo\.ConfigNotFound\b/);
  });

  it('try/catch catches the ErrorRecord with its Woosoo id and recommended action, with and without -ErrorAction Stop', () => {
    expect(runs.tryDefault.out).toMatch(/caught Woosoo\.ConfigNotFound\S* fix=True\s+after/);
    // The same id on every path, as PowerShell gives a cmdlet's errors.
    expect(runs.tryStop.out).toMatch(/caught Woosoo\.ConfigNotFound,Get-WoosooConfig\s+after/);
    expect(runs.tryDefault.out).toMatch(/caught Woosoo\.ConfigNotFound,Get-WoosooConfig /);
    expect(runs.tryDefault.out + runs.tryStop.out).not.toContain('not reached');
  });

  it('a script without errors exits 0', () => {
    expect(runs.ok.out.trim()).toBe('fine');
    expect(runs.ok.code, runs.ok.err).toBe(0);
  });
});
