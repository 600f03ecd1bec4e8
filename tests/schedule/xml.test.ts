// The Task Scheduler XML of a scheduled job: what Task Scheduler runs (command, arguments quoted for
// CommandLineToArgvW), when (trigger), as whom (principal) and what happens when a run is still going.
// tests/schedule/schedule.e2e.test.ts parses the same XML with System.Xml from real pwsh.
import { describe, expect, it } from 'vitest';
import { decodeTaskFile, readTaskXml, splitTaskArguments, taskArguments, taskName, taskXml, taskXmlBytes, type TaskSpec } from '../../core/schedule/xml';

const spec = (over: Partial<TaskSpec> = {}): TaskSpec => ({
  name: 'Deploy-shop', job: 'Deploy', description: 'Woosoo deploy job', author: 'Woosoo',
  command: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
  args: ['-NoProfile', '-NonInteractive', '-File', 'C:\\Program Files\\Woosoo\\jobs\\Invoke-WoosooScheduledDeploy.ps1', '-Path', 'D:\\My Sites\\shop & co\\'],
  workingDirectory: 'D:\\My Sites\\shop & co', at: '02:00', startDate: '2026-12-03', daysOfWeek: [], user: 'SYSTEM', ...over,
});

describe('task XML', () => {
  it('runs the command with every argument surviving CommandLineToArgvW, paths with spaces, & and a trailing backslash', () => {
    const s = spec();
    const stored = readTaskXml(taskXml(s));
    expect(stored.command).toBe(s.command);
    expect(stored.arguments).toBe('-NoProfile -NonInteractive -File "C:\\Program Files\\Woosoo\\jobs\\Invoke-WoosooScheduledDeploy.ps1" -Path "D:\\My Sites\\shop & co\\\\"');
    expect(splitTaskArguments(stored.arguments)).toEqual(s.args);
    expect(taskXml(s)).toContain('<WorkingDirectory>D:\\My Sites\\shop &amp; co</WorkingDirectory>');
    for (const tricky of ['a"b', 'x\\"y', 'trail\\', '', 'plain', 'two  spaces', 'tab\there']) {
      expect(splitTaskArguments(taskArguments(['-Path', tricky]))).toEqual(['-Path', tricky]);
    }
  });

  it('a daily trigger at the time given, or weekly on the days given', () => {
    const daily = taskXml(spec());
    expect(daily).toContain('<StartBoundary>2026-12-03T02:00:00</StartBoundary>');
    expect(daily).toMatch(/<ScheduleByDay>\s*<DaysInterval>1<\/DaysInterval>\s*<\/ScheduleByDay>/);
    expect(daily).not.toContain('ScheduleByWeek');
    const weekly = taskXml(spec({ at: '23:30', daysOfWeek: ['Monday', 'Friday'] }));
    expect(readTaskXml(weekly)).toMatchObject({ startBoundary: '2026-12-03T23:30:00', daysOfWeek: ['Monday', 'Friday'], repeatMinutes: null });
    expect(weekly).toMatch(/<ScheduleByWeek>\s*<DaysOfWeek>\s*<Monday \/>\s*<Friday \/>\s*<\/DaysOfWeek>\s*<WeeksInterval>1<\/WeeksInterval>/);
    expect(readTaskXml(taskXml(spec({ job: 'Health', repeatMinutes: 5 }))).repeatMinutes).toBe(5);
  });

  it('runs as SYSTEM (S-1-5-18, service account) or as an account with its password: whether logged on or not, highest privileges', () => {
    const sys = taskXml(spec());
    expect(sys).toMatch(/<UserId>S-1-5-18<\/UserId>\s*<LogonType>ServiceAccount<\/LogonType>\s*<RunLevel>HighestAvailable<\/RunLevel>/);
    const user = taskXml(spec({ user: 'WEB01\\deployer' }));
    expect(user).toMatch(/<UserId>WEB01\\deployer<\/UserId>\s*<LogonType>Password<\/LogonType>/);
    expect(user).not.toContain('InteractiveToken');
  });

  it('a run still going at the next trigger: the new one is skipped (IgnoreNew), with a time limit per job', () => {
    expect(taskXml(spec())).toContain('<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>');
    expect(taskXml(spec())).toContain('<ExecutionTimeLimit>PT4H</ExecutionTimeLimit>');
    expect(taskXml(spec({ job: 'Health' }))).toContain('<ExecutionTimeLimit>PT30M</ExecutionTimeLimit>');
  });

  it('is written as UTF-16LE with a BOM, as its declaration says, and read back from either encoding', () => {
    const xml = taskXml(spec());
    const bytes = taskXmlBytes(xml);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-16"?>')).toBe(true);
    expect(decodeTaskFile(bytes)).toBe(xml);
    expect(decodeTaskFile(Buffer.from(xml, 'utf8'))).toBe(xml);
  });

  it('task names carry no character Task Scheduler refuses', () => {
    expect(taskName('Backup', 'my shop', 'production')).toBe('Backup-my_shop-production');
    expect(taskName('Health', 'a:b*c?d"e<f>g|h/i\\j')).toBe('Health-a_b_c_d_e_f_g_h_i_j');
    expect(taskName('Deploy', 'shop & co')).toBe('Deploy-shop_co');
  });
});
