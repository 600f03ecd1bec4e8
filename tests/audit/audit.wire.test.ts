// The audit trail and the engine's log over the wire, as the module sends requests (with "$caller"): one line per
// state-changing call (a real one with its backup id, a -WhatIf one marked, a refused one with its error id, a -Confirm
// answered No through audit.write), none for the plan of a real run or for a request without a caller; audit.get's
// filters and its warning for a bad line; a distinctive secret in no file of logs/; engine.log's start and call lines.
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { makeProject, type Project } from '../sync/fixtures';

const SECRET = 'audit-Secret-Zq7731x';
let p: Project;
let c: EngineClient;
const caller = (command: string, parameters: Record<string, unknown>, whatIf = false) => ({ $caller: { command, parameters, whatIf } });
const auditText = () => readdirSync(join(p.dir, 'logs', 'audit')).map((n) => readFileSync(join(p.dir, 'logs', 'audit', n), 'utf8')).join('');
const lines = () => auditText().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

beforeAll(async () => {
  p = makeProject();
  c = await EngineClient.start();
  const set = (value: string, whatIf: boolean, callerWhatIf: boolean) => c.request('config.set', {
    path: p.dir, name: 'DB_PASSWORD', value, whatIf,
    ...caller('Set-WoosooConfig', { Path: p.dir, Name: 'DB_PASSWORD', Value: value }, callerWhatIf),
  });
  expect((await set(SECRET, true, true)).error).toBeUndefined(); // Set-WoosooConfig -WhatIf
  expect((await set(SECRET, true, false)).error).toBeUndefined(); // the plan of the real run: no line of its own
  expect((await set(SECRET, false, false)).error).toBeUndefined(); // the real run
  const refused = await c.request('config.set', { path: p.dir, name: 'BACKEND_PORT', value: '70000', whatIf: true, ...caller('Set-WoosooConfig', { Name: 'BACKEND_PORT', Value: '70000' }) });
  expect(refused.error?.data?.errorId).toBe('ConfigValueInvalid');
  await c.call('audit.write', { path: p.dir, outcome: 'Declined', ...caller('Stop-WoosooService', { Name: ['web'] }) });
  await c.call('config.set', { path: p.dir, name: 'HTTP_PORT', value: '8091' }); // no caller: not a cmdlet's call
  await c.call('config.get', { path: p.dir, ...caller('Set-WoosooConfig', {}) }); // a reader: never audited
});
afterAll(async () => {
  await c?.close();
  p?.cleanup();
});

describe('the audit trail', () => {
  it('has one whole line per state-changing cmdlet call: -WhatIf, real (with its backup), refused, declined', () => {
    const got = lines().map((l) => [l.command, l.method, l.whatIf, l.outcome]);
    expect(got).toEqual([
      ['Set-WoosooConfig', 'config.set', true, 'Succeeded'],
      ['Set-WoosooConfig', 'config.set', false, 'Succeeded'],
      ['Set-WoosooConfig', 'config.set', false, 'Refused'],
      ['Stop-WoosooService', '', false, 'Declined'],
    ]);
    const [whatIf, real, refused] = lines();
    expect(real.backupId).toMatch(/\S/);
    expect(whatIf.backupId).toBeUndefined();
    expect(real.parameters).toMatchObject({ Name: 'DB_PASSWORD', Value: '********' });
    expect(refused).toMatchObject({ errorId: 'ConfigValueInvalid', parameters: { Value: '70000' } });
    expect(String(refused.message)).toContain('BACKEND_PORT');
    for (const l of lines()) {
      expect(Date.parse(String(l.time))).toBeGreaterThan(Date.now() - 600_000);
      expect(l.user).toMatch(/\S/);
      expect(l.host).toMatch(/\S/);
      expect(typeof l.durationMs).toBe('number');
    }
    expect(readdirSync(join(p.dir, 'logs', 'audit'))).toEqual([`audit-${new Date().toISOString().slice(0, 7)}.jsonl`]);
  });

  it('audit.get returns Woosoo.AuditEntry objects, filtered by command, outcome, whatIf and time', async () => {
    const all = (await c.call('audit.get', { path: p.dir })).items!;
    expect(all.map((e) => e.$type)).toEqual(Array(4).fill('AuditEntry'));
    expect(all[1]).toMatchObject({ Command: 'Set-WoosooConfig', Outcome: 'Succeeded', WhatIf: false, ProjectPath: p.dir });
    expect(all[1].Duration).toMatch(/^PT\d+\.\d{3}S$/);
    const pick = async (params: Record<string, unknown>) => ((await c.call('audit.get', { path: p.dir, ...params })).items ?? []).map((e) => `${e.Command}/${e.Outcome}/${e.WhatIf}`);
    expect(await pick({ command: ['stop-*'] })).toEqual(['Stop-WoosooService/Declined/false']);
    expect(await pick({ outcome: ['Refused', 'Declined'] })).toEqual(['Set-WoosooConfig/Refused/false', 'Stop-WoosooService/Declined/false']);
    expect(await pick({ whatIf: true })).toEqual(['Set-WoosooConfig/Succeeded/true']);
    expect(await pick({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await pick({ user: ['no-such-user'] })).toEqual([]);
  });

  it('skips a bad line with a warning naming the file and the line', async () => {
    const file = join(p.dir, 'logs', 'audit', readdirSync(join(p.dir, 'logs', 'audit'))[0]);
    appendFileSync(file, '{"time": "torn li\n');
    const before = c.notifications.length;
    const r = await c.call('audit.get', { path: p.dir });
    expect(r.items).toHaveLength(4);
    const warnings = c.notifications.slice(before).filter((n) => n.method === '$/log').map((n) => String((n.params as { message: string }).message));
    expect(warnings).toEqual([`${file}, line 5: is not JSON; skipped.`]);
  });

  it('never holds the secret, nor does the engine log; the log has the start and each call with its outcome', () => {
    const leaks = filesUnder(join(p.dir, 'logs')).filter((f) => readFileSync(f, 'utf8').includes(SECRET));
    expect(leaks).toEqual([]);
    const log = readFileSync(join(p.dir, 'logs', 'woosoo', 'engine.log'), 'utf8');
    expect(log).toMatch(/^\S+Z \[\d+\] start engine /);
    expect(log).toMatch(/call config\.set \(whatIf\) Succeeded in \d+ ms/);
    expect(log).toMatch(/call config\.set \(whatIf\) Refused in \d+ ms ConfigValueInvalid: /);
    expect(log).toMatch(/call audit\.get Succeeded in \d+ ms/);
  });

  it('ends the engine log with the stop line when the engine exits', async () => {
    await c.close();
    expect(readFileSync(join(p.dir, 'logs', 'woosoo', 'engine.log'), 'utf8').trimEnd()).toMatch(/\[\d+\] stop \(exit code 0\)$/);
  });
});
