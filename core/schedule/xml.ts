/**
 * Task Scheduler XML (task schema 1.2) for Woosoo's scheduled jobs, built here rather than in PowerShell so the whole
 * definition (quoting of the command line, trigger, principal, settings) is one pure function the unit tests read
 * back, on any platform, without Task Scheduler. The file that schtasks /Create /XML reads is UTF-16 with a BOM.
 */
import { quoteWindowsArg } from '../process/quote';

export const JOBS = ['Deploy', 'Backup', 'Health'] as const;
export type Job = (typeof JOBS)[number];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Day = (typeof DAYS)[number];
export const TASK_FOLDER = '\\Woosoo\\';
export const TASK_NS = 'http://schemas.microsoft.com/windows/2004/02/mit/task';
/** The well-known SID of LocalSystem: the task's UserId when it runs as SYSTEM. */
export const SYSTEM_SID = 'S-1-5-18';

/** How long each job may run before Task Scheduler stops it (ISO 8601 durations). */
export const TIME_LIMITS: Record<Job, string> = { Deploy: 'PT4H', Backup: 'PT4H', Health: 'PT30M' };

export interface TaskSpec {
  /** Task name inside \Woosoo\. */
  name: string;
  job: Job;
  description: string;
  author: string;
  /** pwsh.exe or powershell.exe, full path. */
  command: string;
  /** The arguments after the command, unquoted (quoted here for CommandLineToArgvW). */
  args: string[];
  workingDirectory: string;
  /** Local time of day, HH:mm. */
  at: string;
  /** First day the trigger may fire, YYYY-MM-DD (local). */
  startDate: string;
  /** Empty: every day. */
  daysOfWeek: Day[];
  /** Repeat every this many minutes through the day after `at` (the health job). */
  repeatMinutes?: number;
  /** 'SYSTEM' or an account name (DOMAIN\user) whose password is given at registration. */
  user: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const isSystem = (user: string) => /^(SYSTEM|NT AUTHORITY\\SYSTEM|LocalSystem|S-1-5-18)$/i.test(user);

/** The command line Task Scheduler hands to CreateProcess after the command: each argument quoted as needed. */
export function taskArguments(args: readonly string[]): string {
  return args.map(quoteWindowsArg).join(' ');
}

/** A task name safe anywhere (Task Scheduler refuses \ / : * ? " < > |; cmd.exe and schtasks dislike & and spaces). */
export function taskName(job: Job, project: string, environment?: string): string {
  const base = `${job}-${project}${environment ? `-${environment}` : ''}`;
  return base.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** In words: "Daily at 02:00", "Mon, Fri at 02:00", "Daily 00:00, every 5 min". */
export function scheduleText(s: Pick<TaskSpec, 'at' | 'daysOfWeek' | 'repeatMinutes'>): string {
  const days = s.daysOfWeek.length ? s.daysOfWeek.map((d) => d.slice(0, 3)).join(', ') : 'Daily';
  return s.repeatMinutes ? `${days} ${s.at}, every ${s.repeatMinutes} min` : `${days} at ${s.at}`;
}

function trigger(s: TaskSpec): string[] {
  const repeat = s.repeatMinutes ? [
    '      <Repetition>', `        <Interval>PT${s.repeatMinutes}M</Interval>`, '        <Duration>P1D</Duration>',
    '        <StopAtDurationEnd>false</StopAtDurationEnd>', '      </Repetition>',
  ] : [];
  const schedule = s.daysOfWeek.length
    ? ['      <ScheduleByWeek>', '        <DaysOfWeek>', ...s.daysOfWeek.map((d) => `          <${d} />`), '        </DaysOfWeek>',
      '        <WeeksInterval>1</WeeksInterval>', '      </ScheduleByWeek>']
    : ['      <ScheduleByDay>', '        <DaysInterval>1</DaysInterval>', '      </ScheduleByDay>'];
  return ['  <Triggers>', '    <CalendarTrigger>', ...repeat, `      <StartBoundary>${s.startDate}T${s.at}:00</StartBoundary>`,
    '      <Enabled>true</Enabled>', ...schedule, '    </CalendarTrigger>', '  </Triggers>'];
}

/**
 * The task definition. "Run whether logged on or not": SYSTEM runs as a service account (LogonType ServiceAccount),
 * any other account with its stored password (LogonType Password). IgnoreNew: when the job is still running at the
 * next trigger, the new run is skipped (Task Scheduler logs it), never started beside the first one.
 */
export function taskXml(s: TaskSpec): string {
  const system = isSystem(s.user);
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    `<Task version="1.2" xmlns="${TASK_NS}">`,
    '  <RegistrationInfo>',
    `    <Author>${esc(s.author)}</Author>`,
    `    <Description>${esc(s.description)}</Description>`,
    `    <URI>${esc(TASK_FOLDER + s.name)}</URI>`,
    '  </RegistrationInfo>',
    ...trigger(s),
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${esc(system ? SYSTEM_SID : s.user)}</UserId>`,
    `      <LogonType>${system ? 'ServiceAccount' : 'Password'}</LogonType>`,
    '      <RunLevel>HighestAvailable</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>false</Hidden>',
    `    <ExecutionTimeLimit>${TIME_LIMITS[s.job]}</ExecutionTimeLimit>`,
    '    <Priority>7</Priority>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${esc(s.command)}</Command>`,
    `      <Arguments>${esc(taskArguments(s.args))}</Arguments>`,
    `      <WorkingDirectory>${esc(s.workingDirectory)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** The bytes schtasks reads: UTF-16LE with a BOM (the encoding the declaration names). */
export function taskXmlBytes(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
}

/** Text of a task file as Task Scheduler stores it (UTF-16 with a BOM) or as UTF-8. */
export function decodeTaskFile(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  return buf.toString('utf8').replace(/^\uFEFF/, '');
}

const unesc = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What Get-WoosooScheduledTask shows of a stored task: the elements Woosoo writes, read back by name. */
export interface StoredTask {
  command: string;
  arguments: string;
  startBoundary: string;
  daysOfWeek: Day[];
  repeatMinutes: number | null;
  userId: string;
  description: string;
  enabled: boolean;
}

export function readTaskXml(xml: string): StoredTask {
  const one = (tag: string) => {
    const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
    return m ? unesc(m[1]) : '';
  };
  const week = /<DaysOfWeek>([\s\S]*?)<\/DaysOfWeek>/.exec(xml)?.[1] ?? '';
  const interval = /<Interval>PT(\d+)M<\/Interval>/.exec(xml);
  const settings = /<Settings>([\s\S]*?)<\/Settings>/.exec(xml)?.[1] ?? '';
  return {
    command: one('Command'), arguments: one('Arguments'), startBoundary: one('StartBoundary'),
    daysOfWeek: DAYS.filter((d) => new RegExp(`<${d}\\s*/>`).test(week)), repeatMinutes: interval ? Number(interval[1]) : null,
    userId: one('UserId'), description: one('Description'), enabled: !/<Enabled>false<\/Enabled>/.test(settings),
  };
}

/** Splits a command line as CommandLineToArgvW does (the inverse of taskArguments). */
export function splitTaskArguments(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inArg = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      let n = 0;
      while (line[i] === '\\') { n++; i++; }
      if (line[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2) cur += '"';
        else quoted = !quoted;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
      inArg = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inArg = true;
    } else if (/\s/.test(ch) && !quoted) {
      if (inArg) out.push(cur);
      cur = '';
      inArg = false;
    } else {
      cur += ch;
      inArg = true;
    }
  }
  if (inArg) out.push(cur);
  return out;
}
