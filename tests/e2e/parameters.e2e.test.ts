/**
 * One meaning per parameter name, in the real pwsh (issue 11): a name used by several cmdlets has the same type and
 * aliases everywhere (the exceptions are listed with their reasons); -Path is the project folder in the certificate
 * cmdlets too; -Last N is the newest N of a list; -Sequential is the switch of both builders; a service is named
 * alike by the service cmdlets and Get-WoosooLog; and every time span goes through one grammar, a bare number refused.
 * Where only the parameters' mapping matters, Invoke-WoosooRpc is replaced inside the module and records its calls.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/engine';
import { describePwsh, pwshJson, runPwsh, tierPath } from '../support/pwsh';
import { makeProject as makeBackupProject } from '../backup/fixture';
import { makeProject, type Project } from '../health/fixtures';
import { selfSigned } from '../certs/openssl';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** failure { … }: 'no error', or the error's id | message | recommended action, on one line. */
const FAILURE = `
function failure([scriptblock]$Call) {
  try { $null = & $Call; 'no error' } catch { '{0} | {1} | {2}' -f $_.FullyQualifiedErrorId, $_.Exception.Message, $_.ErrorDetails.RecommendedAction }
}
`;

/** Replaces Invoke-WoosooRpc inside the module: each call is recorded (rpc returns and forgets them) and answers nothing. */
const RECORD_RPC = `${FAILURE}
$woosoo = Get-Module Woosoo
& $woosoo {
  $script:rpcCalls = New-Object System.Collections.ArrayList
  function script:Invoke-WoosooRpc { param([string]$Method, [hashtable]$Params, $Cmdlet) $null = $script:rpcCalls.Add([pscustomobject]@{ Method = $Method; Params = $Params.Clone() }) }
}
function rpc { & $woosoo { $calls = $script:rpcCalls.ToArray(); $script:rpcCalls.Clear(); $calls } }
`;

/** A name used by two or more cmdlets that may differ in type or aliases, and why. */
const EXCEPTIONS: { cmdlet: string; parameter: string; reason: string }[] = [
  ...['Install', 'Uninstall', 'Start', 'Stop', 'Restart', 'Suspend', 'Resume'].map((verb) => ({
    cmdlet: `${verb}-WoosooService`, parameter: 'Path',
    reason: 'no FullName alias: -Name takes pipeline input by property name, so a piped folder item would bind its Name as a service',
  })),
  { cmdlet: 'Get-WoosooLog', parameter: 'Path', reason: 'no FullName alias: -Service binds Name by property name, as in the service cmdlets' },
  { cmdlet: 'Get-WoosooLog', parameter: 'Service', reason: 'aliased Name so Woosoo.Service objects bind; it takes the same service names as -Name of the service cmdlets' },
  ...['Get', 'Test'].map((verb) => ({
    cmdlet: `${verb}-WoosooCertificate`, parameter: 'Path',
    reason: 'no FullName alias: a piped file item is a certificate file there (-InputObject), never the project',
  })),
  { cmdlet: 'Set-WoosooConfig', parameter: 'Name', reason: 'sets one key to one value (-Value), so one name; pipe Name/Value pairs for several' },
  { cmdlet: 'Restore-WoosooBackup', parameter: 'Id', reason: 'restores one backup, so one id (the listing and removing cmdlets take several)' },
  { cmdlet: 'New-WoosooDashboardUser', parameter: 'Name', reason: 'adds one user with one password, so one name (no wildcards: it is a new name)' },
  { cmdlet: 'Get-WoosooDeployment', parameter: 'Id', reason: 'a deployment id (alias DeploymentId), one at a time as deploy.get takes it' },
  { cmdlet: 'Undo-WoosooDeploy', parameter: 'Id', reason: 'a deployment id (alias DeploymentId); one deployment is undone at a time' },
  { cmdlet: 'Sync-WoosooConfig', parameter: 'App', reason: 'alias Target: its apps are sync targets (backend, pwa, nginx, SYNC_TARGETS names)' },
  { cmdlet: 'Get-WoosooBackup', parameter: 'Last', reason: 'alias Limit: its name before -Last, kept for old scripts' },
  { cmdlet: 'Compare-WoosooConfig', parameter: 'Environment', reason: 'compares several environments, so several names' },
  { cmdlet: 'Get-WoosooAudit', parameter: 'User', reason: 'filters the audit trail by user names (several, wildcards); Register-WoosooScheduledTask -User is the one account a task runs as' },
];

/** The cmdlets with -Path that have no -Environment, and why. */
const NO_ENVIRONMENT: Record<string, string> = {
  'New-WoosooProject': 'writes the shared deployment.config.env; overlays are written by hand or with Set-WoosooConfig -Environment',
};

interface Param { Cmdlet: string; Name: string; Type: string; Aliases: string[] }

describe('one span parser', () => {
  it('no cmdlet or other private file parses a time span itself: only private/ConvertTo-WoosooTimeSpan.ps1', () => {
    const offenders: string[] = [];
    for (const folder of ['cmdlets', 'private']) {
      for (const name of readdirSync(join(ROOT, folder)).filter((n) => n.endsWith('.ps1'))) {
        if (name === 'ConvertTo-WoosooTimeSpan.ps1') continue;
        const text = readFileSync(join(ROOT, folder, name), 'utf8');
        // A user's span: a unit pattern, TimeSpan parsing, or the unit conversions. (The engine's ISO-8601 durations,
        // made [TimeSpan] by ConvertTo-WoosooValue, are the wire's values, not a user's span.)
        if (/\[timespan\]::(From(Minutes|Hours|Days)|(Try)?Parse(Exact)?)\b|\(m\|h\|d\|w\)|\(ms\|s\|m/i.test(text)) offenders.push(`${folder}/${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describePwsh('parameters: one meaning per name', () => {
  it('a name (or alias) used by several cmdlets is the same parameter, with the same type and aliases, but for the listed exceptions', () => {
    const params = pwshJson<Param[]>(`
      $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
      ConvertTo-Json -Depth 20 -Compress -InputObject @(foreach ($c in Get-Command -Module Woosoo) {
        foreach ($p in $c.Parameters.Values) {
          if ($common -notcontains $p.Name) { [pscustomobject]@{ Cmdlet = $c.Name; Name = $p.Name; Type = $p.ParameterType.FullName; Aliases = @($p.Aliases | Sort-Object) } }
        }
      })`);
    expect(params.length).toBeGreaterThan(50);
    const exempt = (p: Param) => EXCEPTIONS.some((e) => e.cmdlet === p.Cmdlet && e.parameter === p.Name);
    const signature = (p: Param) => `-${p.Name} [${p.Type}] aliases(${p.Aliases.join(',')})`;
    const byName = new Map<string, Param[]>();
    for (const p of params) for (const typed of [p.Name, ...p.Aliases]) byName.set(typed.toLowerCase(), [...(byName.get(typed.toLowerCase()) ?? []), p]);
    const problems: string[] = [];
    const deviating = new Set<string>();
    for (const [typed, uses] of byName) {
      if (new Set(uses.map((u) => u.Cmdlet)).size < 2) continue;
      // The reference is what the unexcepted uses agree on (or, where every use is an exception, what they all agree on).
      const pool = uses.some((u) => !exempt(u)) ? uses.filter((u) => !exempt(u)) : uses;
      const reference = [...new Set(pool.map(signature))];
      if (reference.length !== 1) {
        problems.push(`-${typed}: ${pool.map((u) => `${u.Cmdlet} ${signature(u)}`).join('; ')}`);
        continue;
      }
      for (const u of uses.filter(exempt)) if (signature(u) !== reference[0]) deviating.add(`${u.Cmdlet} -${u.Name}`);
    }
    // An exception must still be needed: the parameter exists and differs from the others of its name.
    for (const e of EXCEPTIONS) if (!deviating.has(`${e.cmdlet} -${e.parameter}`)) problems.push(`stale exception: ${e.cmdlet} -${e.parameter} (${e.reason})`);
    expect(problems).toEqual([]);
    // Every cmdlet that reads a project reads it in the environment -Environment names.
    const has = (cmdlet: string, name: string) => params.some((p) => p.Cmdlet === cmdlet && p.Name === name);
    const cmdlets = [...new Set(params.map((p) => p.Cmdlet))];
    expect(cmdlets.filter((c) => has(c, 'Path') && !has(c, 'Environment') && !NO_ENVIRONMENT[c])).toEqual([]);
    expect(Object.keys(NO_ENVIRONMENT).filter((c) => has(c, 'Environment'))).toEqual([]);
  }, 60_000);

  describe('certificates: -Path is the project folder; certificate files are -CertificatePath', () => {
    let project: Project;
    let cert: string;
    beforeAll(() => {
      project = makeProject('wsparams-cert-');
      project.write({ APP_IP: '127.0.0.1' });
      mkdirSync(join(project.dir, 'certs'));
      cert = join(project.dir, 'certs', 'woosoo.pem');
      selfSigned({ san: 'IP:127.0.0.1,DNS:localhost', days: 200, certFile: cert, keyFile: join(project.dir, 'certs', 'woosoo-key.pem') });
    });
    afterAll(() => project?.cleanup());

    it('-Path <project folder> reads and tests its certificates (it was a raw EISDIR error); -ProjectPath, the old name, still works', () => {
      const r = pwshJson(`[pscustomobject]@{
          Got = @(Get-WoosooCertificate -Path ${q(project.dir)} | ForEach-Object Path)
          Quiet = (Test-WoosooCertificate -Path ${q(project.dir)} -Quiet)
          OldName = @(Get-WoosooCertificate -ProjectPath ${q(project.dir)} | ForEach-Object Path)
          Piped = @(Get-WoosooCertificate -Path ${q(project.dir)} | Test-WoosooCertificate -Path ${q(project.dir)} | ForEach-Object { '{0}:{1}' -f $_.Check, $_.Result })
          InProject = @(Set-Location ${q(project.dir)}; Get-WoosooCertificate -Path ${q(project.dir)} | ForEach-Object Path)
          Named = @(Get-WoosooCertificate -CertificatePath certs/woosoo.pem | ForEach-Object Path)
          Items = @(Get-ChildItem ${q(join(project.dir, 'certs', '*.pem'))} -Exclude *-key.pem | Get-WoosooCertificate -Path ${q(project.dir)} | ForEach-Object Path)
        } | ConvertTo-Json -Depth 20 -Compress`);
      expect(r).toEqual({
        Got: [tierPath(cert)], Quiet: true, OldName: [tierPath(cert)], InProject: [tierPath(cert)], Piped: ['Domain:Passed', 'Expiry:Passed', 'Key:Passed', 'Trust:Warning'], Named: [tierPath(cert)], Items: [tierPath(cert)],
      });
    });

    it('a folder as a certificate file, or a certificate file as -Path, is a Woosoo.* error naming the file and the fix', () => {
      const r = runPwsh(`${FAILURE}
        failure { Get-WoosooCertificate -CertificatePath ${q(project.dir)} -Path ${q(project.dir)} }
        failure { Test-WoosooCertificate ${q(join(project.dir, 'certs'))} -Path ${q(project.dir)} }
        failure { Get-WoosooCertificate -Path ${q(cert)} }
        failure { Test-WoosooCertificate -Path ${q(cert)} -Quiet }`);
      expect(r.status, r.stderr).toBe(0);
      const [folder, certsFolder, asProject, asProjectQuiet] = r.stdout.trim().split(/\r?\n/);
      expect(folder).toMatch(/^Woosoo\.CertificatePathIsFolder(,Get-WoosooCertificate)? \| /);
      expect(folder).toContain(`${tierPath(project.dir)} is a folder, not a certificate file`);
      expect(folder).toContain(`pass it with -Path ${tierPath(project.dir)}`);
      expect(certsFolder).toMatch(/^Woosoo\.CertificatePathIsFolder(,Test-WoosooCertificate)? \| /);
      expect(certsFolder).toContain(tierPath(join(project.dir, 'certs', 'woosoo.pem')));
      for (const line of [asProject, asProjectQuiet]) {
        expect(line).toMatch(/^Woosoo\.ProjectPathIsCertificate(,(Get|Test)-WoosooCertificate)? \| /);
        expect(line).toContain(`${tierPath(cert)} is a certificate file, not the project folder`);
        expect(line).toContain(`-CertificatePath ${tierPath(cert)}`);
      }
      expect(r.stdout + r.stderr).not.toMatch(/EISDIR|ENOENT|illegal operation/);
    });
  });

  it('-Last N is the newest N of a list in Get-WoosooBackup as in Get-WoosooDeployment; -Limit, the old name, still works', () => {
    const p = makeBackupProject({ files: 1 });
    try {
      const r = pwshJson(`$a = New-WoosooBackup -Path ${q(p.dir)} -Description first
        $b = New-WoosooBackup -Path ${q(p.dir)} -Description second
        [pscustomobject]@{
          Last = @(Get-WoosooBackup -Path ${q(p.dir)} -Last 1 | ForEach-Object Id)
          Limit = @(Get-WoosooBackup -Path ${q(p.dir)} -Limit 1 | ForEach-Object Id)
          Newest = $b.Id
          Types = @('Get-WoosooBackup', 'Get-WoosooDeployment' | ForEach-Object { (Get-Command $_).Parameters['Last'].ParameterType.Name })
        } | ConvertTo-Json -Depth 20 -Compress`);
      expect(r.Last).toEqual([r.Newest]);
      expect(r.Limit).toEqual([r.Newest]);
      expect(r.Types).toEqual(['Int32', 'Int32']);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  it('-Id of Get-WoosooDeployment and Undo-WoosooDeploy: one pattern (Test-WoosooDeploymentId), a wrong id refused naming the form', () => {
    const r = pwshJson(`${RECORD_RPC}
      [pscustomobject]@{
        Bad = @('Get-WoosooDeployment', 'Undo-WoosooDeploy' | ForEach-Object { $c = $_; failure { & $c -Id '2026-02-15_14-30-00' -WhatIf:$false -Confirm:$false } })
        Upper = failure { Get-WoosooDeployment -Id '20261122-031500-A1B2' }
        Good = failure { Get-WoosooDeployment -Id '20261122-031500-a1b2' }
        Sent = @(rpc | ForEach-Object { $_.Params.id })
      } | ConvertTo-Json -Depth 20 -Compress`);
    for (const [i, cmdlet] of ['Get-WoosooDeployment', 'Undo-WoosooDeploy'].entries()) {
      expect(r.Bad[i]).toMatch(new RegExp(`^ParameterArgumentValidationError,${cmdlet} \\| .*'2026-02-15_14-30-00' is not a deployment id: ids look like 20261122-031500-a1b2`));
    }
    expect(r.Upper).toMatch(/is not a deployment id/); // the engine's DEPLOY_ID_RE is case-sensitive too
    expect(r.Good).toBe('no error');
    expect(r.Sent).toEqual(['20261122-031500-a1b2']);
  });

  it('-Id of the four backup cmdlets: one pattern (Test-WoosooBackupId), a wrong id refused naming the form', () => {
    const cmdlets = ['Get-WoosooBackup', 'Test-WoosooBackup', 'Restore-WoosooBackup', 'Remove-WoosooBackup'];
    const r = pwshJson(`${RECORD_RPC}
      [pscustomobject]@{
        Bad = @(${cmdlets.map((c) => `'${c}'`).join(', ')} | ForEach-Object { $c = $_; failure { & $c -Id '20261122-031500-a1b2' -WhatIf } })
        Good = failure { Get-WoosooBackup -Id '2026-11-22_03-15-00-2' }
        Sent = @(rpc | ForEach-Object { @($_.Params.ids) + @($_.Params.id) | Where-Object { $_ } })
      } | ConvertTo-Json -Depth 20 -Compress`);
    for (const [i, cmdlet] of cmdlets.entries()) {
      expect(r.Bad[i]).toMatch(new RegExp(`^ParameterArgumentValidationError,${cmdlet} \\| .*'20261122-031500-a1b2' is not a backup id: ids look like 2026-11-22_03-15-00`));
    }
    expect(r.Good).toBe('no error');
    expect(r.Sent).toEqual(['2026-11-22_03-15-00-2']);
  });

  it('-Sequential in both builders, parallel by default in both; Invoke-WoosooBuild -Parallel (the old opt-in) still works', () => {
    const r = pwshJson(`${RECORD_RPC}
      $p = ${q(join(ROOT, 'no-such-project'))}
      Invoke-WoosooBuild -Path $p -WhatIf; Invoke-WoosooBuild -Path $p -Sequential -WhatIf
      Invoke-WoosooBuild -Path $p -Parallel -WhatIf; Invoke-WoosooBuild -Path $p -Parallel:$false -WhatIf
      Invoke-WoosooDeploy -Path $p -WhatIf; Invoke-WoosooDeploy -Path $p -Sequential -WhatIf
      ConvertTo-Json -Compress -InputObject @(rpc | ForEach-Object { '{0} parallel={1}' -f $_.Method, $_.Params.parallel })`);
    expect(r).toEqual([
      'build.run parallel=True', 'build.run parallel=False', 'build.run parallel=True', 'build.run parallel=False',
      'deploy.run parallel=True', 'deploy.run parallel=False',
    ]);
  });

  it('Get-WoosooLog -Service takes the names Get-WoosooService -Name takes: short (backend) as well as full (woosoo-backend)', () => {
    const project = makeProject('wsparams-logs-');
    try {
      project.write({});
      for (const svc of ['woosoo-backend', 'woosoo-queue-worker']) {
        mkdirSync(join(project.dir, 'logs', svc), { recursive: true });
        writeFileSync(join(project.dir, 'logs', svc, 'output.log'), `[2026-02-15 14:30:00] ${svc} started\n`);
      }
      const r = pwshJson(`[pscustomobject]@{
          Short = @(Get-WoosooLog -Path ${q(project.dir)} -Service backend | ForEach-Object Service)
          Full = @(Get-WoosooLog -Path ${q(project.dir)} -Service woosoo-backend | ForEach-Object Service)
          Key = @(Get-WoosooLog -Path ${q(project.dir)} -Service queue-worker, reverb -ErrorAction SilentlyContinue -ErrorVariable e | ForEach-Object Service)
          Wild = @(Get-WoosooLog -Path ${q(project.dir)} -Service queue* | ForEach-Object Service)
          Unmatched = @($e | ForEach-Object { [string]$_.FullyQualifiedErrorId })
        } | ConvertTo-Json -Depth 20 -Compress`);
      expect(r).toEqual({
        Short: ['woosoo-backend'], Full: ['woosoo-backend'], Key: ['woosoo-queue-worker'], Wild: ['woosoo-queue-worker'],
        Unmatched: [expect.stringMatching(/^Woosoo\.LogServiceNotFound/)],
      });
    } finally {
      project.cleanup();
    }
  });

  it('one time-span grammar for -OlderThan, -Since and -Interval: units s m h d w (and ms), a [TimeSpan]; a bare number is refused, saying to add a unit', () => {
    const r = pwshJson<Record<string, any[]>>(`${RECORD_RPC}
      $p = ${q(join(ROOT, 'no-such-project'))}
      $accepted = @('30s', '15m', '1.5h', '7d', '2w', '2H', '1.00:00:00', (New-TimeSpan -Minutes 90))
      $refused = @(30, '30', ' 7 ', '1.5', '1,5', 'soon', '-5s')
      $spans = [ordered]@{
        OlderThan = { param($v) Remove-WoosooBackup -Path $p -OlderThan $v -Confirm:$false }
        Since = { param($v) Get-WoosooLog -Path $p -Since $v }
        Interval = { param($v) Get-WoosooHealth -Path $p -Interval $v }
      }
      $out = [ordered]@{}
      foreach ($name in $spans.Keys) {
        $out[$name] = @(foreach ($v in $accepted) {
          $null = rpc
          $err = failure { & $spans[$name] $v }
          $call = @(rpc)[0]
          $seconds = if ($null -eq $call) { 'none' } else { switch ($name) {
            'OlderThan' { $call.Params.olderThanSeconds }
            'Since' { [math]::Round(([datetime]::UtcNow - [datetime]::Parse($call.Params.since, [cultureinfo]::InvariantCulture, 'AdjustToUniversal,AssumeUniversal')).TotalSeconds) }
            'Interval' { $call.Params.intervalSeconds }
          } }
          '{0}={1} {2}' -f $v, $seconds, $err
        })
        $out["$name-refused"] = @(foreach ($v in $refused) { '{0}: {1}' -f $v, (failure { & $spans[$name] $v }) })
      }
      # Typed without quotes, 7d is a [decimal] and 30s an [int16] to PowerShell: what was typed decides, not the type.
      $null = rpc
      $out['Unquoted'] = @(
        (failure { Remove-WoosooBackup -Path $p -OlderThan 7d -Confirm:$false }), @(rpc)[0].Params.olderThanSeconds,
        (failure { Remove-WoosooBackup -Path $p -OlderThan 30s -Confirm:$false }), @(rpc)[0].Params.olderThanSeconds,
        (failure { Get-WoosooHealth -Path $p -Interval 10s }), @(rpc)[0].Params.intervalSeconds,
        (failure { Get-WoosooLog -Path $p -Since 1d }), [bool]@(rpc)[0].Params.since,
        ((failure { Remove-WoosooBackup -Path $p -OlderThan 30 -Confirm:$false }) -replace '[, ].*'),
        ((failure { Get-WoosooHealth -Path $p -Interval 10 }) -replace '[, ].*'))
      [pscustomobject]$out | ConvertTo-Json -Depth 20 -Compress`);
    const expected = ['30s=30', '15m=900', '1.5h=5400', '7d=604800', '2w=1209600', '2H=7200', '1.00:00:00=86400', '01:30:00=5400'];
    // -Since is a time back from now: allow for the seconds the call took.
    const rounded = (s: string) => s.replace(/=(\d+) no error$/, (_, n) => `=${Math.round(Number(n) / 10) * 10} no error`);
    for (const name of ['OlderThan', 'Since']) expect(r[name].map(rounded)).toEqual(expected.map((s) => rounded(`${s} no error`)));
    // -Interval goes from 1s to 1d: 7d and 2w are refused as out of range, with the same id.
    const long = (s: string) => /^(7d|2w)=/.test(s);
    expect(r.Interval.filter((s) => !long(s))).toEqual(expected.filter((s) => !long(s)).map((s) => `${s} no error`));
    for (const s of r.Interval.filter(long)) expect(s).toMatch(/Woosoo\.HealthIntervalInvalid.*out of range/);
    expect(r.Unquoted).toEqual(['no error', 604800, 'no error', 30, 'no error', 10, 'no error', true, 'Woosoo.BackupAgeInvalid', 'Woosoo.HealthIntervalInvalid']);
    const ids: Record<string, string> = { OlderThan: 'BackupAgeInvalid', Since: 'LogTimeInvalid', Interval: 'HealthIntervalInvalid' };
    for (const [name, id] of Object.entries(ids)) {
      const refused = r[`${name}-refused`];
      expect(refused).toHaveLength(7);
      for (const line of refused) expect(line).toMatch(new RegExp(`: Woosoo\\.${id}[, ]`));
      for (const line of refused.slice(0, 5)) {
        expect(line).toMatch(/has no unit/);
        expect(line).toMatch(/Add a unit: \d+(?:[.,]\d+)?s, /);
      }
    }
  }, 60_000);
});
