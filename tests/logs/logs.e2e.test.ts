/**
 * Get-WoosooLog end to end in the real PowerShell 7 with the module imported (skipped, with the reason, where
 * pwsh is not installed): typed objects, -Since spans, errors as ErrorRecords, pipeline input, the table view,
 * and -Wait ended by the pipeline (Select-Object -First), which sends $/cancel as Ctrl+C does.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePwsh, pwsh, pwshJson, runPwsh } from '../support/pwsh';
import { makeStackProject, type Project } from './fixtures';

const json = <T>(r: { status: number | null; stdout: string; stderr: string }): T => {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

describePwsh('Get-WoosooLog', () => {
  let p: Project;
  beforeAll(() => {
    p = makeStackProject();
    const now = new Date();
    const stamp = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${d.toTimeString().slice(0, 8)}`;
    p.write('logs/queue/output.log', `[${stamp(new Date(now.getTime() - 3 * 3600_000))}][1] Processing: old\n[${stamp(new Date(now.getTime() - 600_000))}][2] Failed: App\\Jobs\\PrintOrder\n`);
  });
  afterAll(() => p.cleanup());

  it('returns Woosoo.LogEntry objects with [datetime] timestamps, merged in time order', () => {
    const rows = json<Array<{ Type: string; Service: string; Level: string; IsDate: boolean; Line: number; Ticks: number }>>(runPwsh(
      `ConvertTo-Json -Depth 20 -InputObject @(Get-WoosooLog -Path ${q(p.dir)} -Service laravel, nginx | ForEach-Object { [pscustomobject]@{ Type = $_.PSObject.TypeNames[0]; Service = $_.Service; Level = $_.Level; IsDate = $_.Timestamp -is [datetime]; Line = $_.Line; Ticks = $_.Timestamp.Ticks } })`,
    ));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.Type === 'Woosoo.LogEntry' && r.IsDate)).toBe(true);
    expect(rows.map((r) => r.Ticks)).toEqual([...rows.map((r) => r.Ticks)].sort((a, b) => a - b));
    expect(rows.find((r) => r.Service === 'laravel' && r.Level === 'Error')?.Line).toBe(2);
  });

  it('-Tail, -Level, -Pattern and a span for -Since', () => {
    const r = json<Array<{ Service: string; Message: string }>>(runPwsh(
      `ConvertTo-Json -Depth 20 -InputObject @(Get-WoosooLog -Path ${q(p.dir)} -Level warning -Tail 2 | Select-Object Service, Message)`,
    ));
    expect(r.map((x) => x.Service)).toEqual(['laravel', 'queue']);
    const recent = json<Array<{ Message: string; Level: string }>>(runPwsh(
      `ConvertTo-Json -Depth 20 -InputObject @(Get-WoosooLog -Path ${q(p.dir)} -Since 2h | Select-Object Message, Level)`,
    ));
    expect(recent).toEqual([{ Message: '[2] Failed: App\\Jobs\\PrintOrder', Level: 'Error' }]);
    const hit = json<Array<{ Message: string }>>(runPwsh(
      `ConvertTo-Json -Depth 20 -InputObject @(Get-WoosooLog -Path ${q(p.dir)} -Pattern 'OrderController' | Select-Object Message)`,
    ));
    expect(hit).toHaveLength(1);
    expect(hit[0].Message).toContain('#2 {main}');
  });

  it('takes services and the project from the pipeline by property name', () => {
    const r = json<{ Count: number; Services: string[] }>(runPwsh(
      `$e = @([pscustomobject]@{ Name = 'queue'; ProjectPath = ${q(p.dir)} } | Get-WoosooLog); [pscustomobject]@{ Count = $e.Count; Services = @($e.Service | Sort-Object -Unique) } | ConvertTo-Json -Depth 20`,
    ));
    expect(r).toEqual({ Count: 2, Services: ['queue'] });
  });

  it('reports bad input as ErrorRecords with Woosoo error ids', () => {
    const ids = json<string[]>(runPwsh(
      `$ids = @(); foreach ($call in @({ Get-WoosooLog -Path ${q(p.dir)} -Since 'not a time' }, { Get-WoosooLog -Path ${q(p.dir)} -Service nope }, { Get-WoosooLog -Path ${q(p.dir)} -Pattern '([' })) { try { & $call | Out-Null } catch { $ids += $_.FullyQualifiedErrorId } }; ConvertTo-Json -InputObject $ids -Depth 20`,
    ));
    expect(ids).toEqual(['Woosoo.LogTimeInvalid,Get-WoosooLog', 'Woosoo.LogServiceNotFound,Get-WoosooLog', 'Woosoo.LogPatternInvalid,Get-WoosooLog']);
  });

  it('shows the table view: first line of the message, plain text when redirected', () => {
    const r = runPwsh(`Get-WoosooLog -Path ${q(p.dir)} -Service laravel -Level Error | Format-Table | Out-String -Width 200`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Timestamp\s+Service\s+Level\s+Message/);
    expect(r.stdout).toMatch(/laravel\s+Error\s+SQLSTATE\[HY000\] \[2002\] Connection refused/);
    expect(r.stdout).not.toContain('#0 /srv/app'); // the stack trace stays in .Message, out of the table
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('-Wait streams new entries and stops when the pipeline has enough (Select-Object -First sends $/cancel)', () => {
    const file = p.write('logs/worker/output.log', 'ready\n');
    const w = spawn(process.execPath, ['-e', `const fs=require('fs');let i=0;const t=setInterval(()=>{fs.appendFileSync(${JSON.stringify(file)},'tick '+(i++)+'\\n');if(i>200)clearInterval(t)},100)`], { stdio: 'ignore' });
    try {
      const r = json<string[]>(runPwsh(
        `$m = @(Get-WoosooLog -Path ${q(p.dir)} -Service worker -Wait -Tail 1 | Select-Object -First 3 | ForEach-Object { $_.Message }); ConvertTo-Json -InputObject $m -Depth 20`,
        { timeoutMs: 60_000 },
      ));
      // -Tail 1: one existing entry, so the other two can only have come from following the file
      expect(r).toHaveLength(3);
      expect(r[0]).toMatch(/^(ready|tick \d+)$/);
      const ticks = r.slice(1).map((m) => Number(/^tick (\d+)$/.exec(m)?.[1]));
      expect(ticks[1]).toBeGreaterThan(ticks[0]);
    } finally {
      w.kill();
    }
  });
});
