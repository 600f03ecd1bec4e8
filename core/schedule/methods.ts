/**
 * RPC methods of the scheduled-task cmdlets: schedule.register (Register-WoosooScheduledTask; whatIf returns the
 * definition with its XML on any platform), schedule.get and schedule.unregister. Task Scheduler is Windows-only:
 * elsewhere a real call is refused with TaskSchedulerUnavailable.
 */
import { basename, join } from 'node:path';
import { z } from 'zod';
import { loadValidProject } from '../config';
import { WoosooError } from '../kernel/errors';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { wildcard } from '../util/wildcard';
import { registerTask, requireTaskScheduler, storedTasks, unregisterTask } from './tasks';
import { DAYS, isSystem, JOBS, scheduleText, splitTaskArguments, TASK_FOLDER, taskArguments, taskName, taskXml, type Job, type StoredTask } from './xml';

const scheduledTaskSchema = typedSchema('ScheduledTask', {
  Name: z.string(), TaskPath: z.string(), Job: z.string(), ProjectPath: z.string(), Environment: z.string(),
  Schedule: z.string(), User: z.string(), Command: z.string(), Arguments: z.string(), Enabled: z.boolean(),
  Registered: z.boolean(), Xml: z.string(),
});

const scriptFile = (job: Job) => `Invoke-WoosooScheduled${job}.ps1`;

function taskObject(name: string, t: { job: string; project: string; environment: string; schedule: string; user: string; command: string; arguments: string; enabled: boolean; registered: boolean; xml: string }) {
  return typed('ScheduledTask', {
    Name: name, TaskPath: TASK_FOLDER, Job: t.job, ProjectPath: t.project, Environment: t.environment, Schedule: t.schedule,
    User: t.user, Command: t.command, Arguments: t.arguments, Enabled: t.enabled, Registered: t.registered, Xml: t.xml,
  });
}

/** A stored task as the cmdlets show it: job, project and environment read back from its own arguments. */
function storedObject(name: string, t: StoredTask, xml: string) {
  const argv = splitTaskArguments(t.arguments);
  const after = (flag: string) => {
    const i = argv.findIndex((a) => a.toLowerCase() === flag.toLowerCase());
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : '';
  };
  // Wine's Task Scheduler keeps no action (nor trigger, nor principal): then the name and the description tell.
  const job = /Invoke-WoosooScheduled(\w+)\.ps1$/i.exec(after('-File'))?.[1] ?? JOBS.find((j) => name.startsWith(`${j}-`)) ?? '';
  const at = /T(\d\d:\d\d)/.exec(t.startBoundary)?.[1] ?? '';
  return taskObject(name, {
    job, project: after('-Path') || (/ job for (.+?)\. Exit codes/.exec(t.description)?.[1] ?? ''), environment: after('-Environment'), schedule: scheduleText({ at, daysOfWeek: t.daysOfWeek, repeatMinutes: t.repeatMinutes ?? undefined }),
    user: t.userId === 'S-1-5-18' ? 'SYSTEM' : t.userId, command: t.command, arguments: t.arguments, enabled: t.enabled, registered: true, xml,
  });
}

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export const scheduleRegister = defineMethod({
  name: 'schedule.register',
  summary: 'Registers a Windows scheduled task (Task Scheduler XML through schtasks /Create /XML) that runs a shipped job script (deploy, backup or health) with pwsh/powershell.exe -NoProfile -NonInteractive -File; whatIf returns the definition and its XML on any platform.',
  params: z.object({
    ...projectParams,
    job: z.enum(JOBS).describe('Which shipped job script the task runs'),
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:mm such as 02:00').describe('Local time of day the task starts'),
    daysOfWeek: z.array(z.enum(DAYS)).default([]).describe('Days it runs (default: every day)'),
    repeatMinutes: z.number().int().min(1).max(1440).optional().describe('Repeat every this many minutes through the day (the health job)'),
    user: z.string().min(1).default('SYSTEM').describe('Account the task runs as; SYSTEM needs no password'),
    password: z.string().optional().describe("The account's password (a secret; required unless SYSTEM)"),
    command: z.string().min(1).describe('pwsh.exe or powershell.exe that runs the job, full path'),
    jobsDir: z.string().min(1).describe("The module's jobs folder (where the job scripts are)"),
    force: z.boolean().default(false).describe('Replace a task of the same name'),
    whatIf: z.boolean().default(false).describe('Return the definition; register nothing'),
  }),
  item: scheduledTaskSchema,
  async handler(p, ctx) {
    if (p.password) ctx.registerSecrets([p.password]);
    const cfg = loadValidProject(p, ctx);
    const system = isSystem(p.user);
    if (!system && !p.password && !p.whatIf) {
      throw new WoosooError('ScheduledTaskCredentialRequired', `The task would run as ${p.user}, which needs its password to run whether the user is logged on or not. Nothing was registered.`, {
        category: 'InvalidArgument', target: p.user, fix: 'Pass -Credential (Get-Credential), or leave -User out to run as SYSTEM.',
      });
    }
    const name = taskName(p.job, basename(cfg.projectDir), p.environment);
    const script = join(p.jobsDir, scriptFile(p.job));
    const args = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script, '-Path', cfg.projectDir,
      ...(p.environment ? ['-Environment', p.environment] : [])];
    const spec = {
      name, job: p.job, author: 'Woosoo', command: p.command, args, workingDirectory: cfg.projectDir, at: p.at,
      startDate: localDate(new Date()), daysOfWeek: p.daysOfWeek, repeatMinutes: p.repeatMinutes, user: system ? 'SYSTEM' : p.user,
      description: `Woosoo ${p.job.toLowerCase()} job for ${cfg.projectDir}. Exit codes: 0 success, 1 failed and rolled back, 2 failed and not rolled back, 3 refused before starting.`,
    };
    const xml = taskXml(spec);
    const obj = (registered: boolean) => taskObject(name, {
      job: p.job, project: cfg.projectDir, environment: p.environment ?? '', schedule: scheduleText(spec), user: spec.user,
      command: p.command, arguments: taskArguments(args), enabled: true, registered, xml,
    });
    if (p.whatIf) return { items: [obj(false)] };
    requireTaskScheduler(`Registering ${TASK_FOLDER}${name}`);
    if (!p.force && storedTasks(ctx.env).some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw new WoosooError('ScheduledTaskExists', `The task ${TASK_FOLDER}${name} exists already. Nothing was changed.`, {
        category: 'ResourceExists', target: name, fix: 'Add -Force to replace it, or remove it first with Unregister-WoosooScheduledTask.',
      });
    }
    await registerTask(ctx, name, xml, system ? undefined : { user: p.user, password: p.password ?? '' }, p.force);
    return { items: [obj(true)] };
  },
});

export const scheduleGet = defineMethod({
  name: 'schedule.get',
  summary: "Lists Woosoo's scheduled tasks (\\Woosoo\\ in Task Scheduler) from their stored definitions; Windows only.",
  params: z.object({
    names: z.array(z.string().min(1)).optional().describe('Only tasks whose name matches; wildcards * and ?'),
  }),
  item: scheduledTaskSchema,
  async handler(p, ctx) {
    requireTaskScheduler('Listing the scheduled tasks');
    const patterns = p.names?.map(wildcard);
    return {
      items: storedTasks(ctx.env).filter((t) => !patterns || patterns.some((re) => re.test(t.name))).map((t) => storedObject(t.name, t.task, t.xml)),
    };
  },
});

export const scheduleUnregister = defineMethod({
  name: 'schedule.unregister',
  summary: 'Removes one of Woosoo\'s scheduled tasks (schtasks /Delete); Windows only.',
  params: z.object({ name: z.string().min(1).describe('The task name inside \\Woosoo\\') }),
  item: scheduledTaskSchema,
  async handler(p, ctx) {
    requireTaskScheduler(`Removing ${TASK_FOLDER}${p.name}`);
    const found = storedTasks(ctx.env).find((t) => t.name.toLowerCase() === p.name.toLowerCase());
    if (!found) {
      throw new WoosooError('ScheduledTaskNotFound', `There is no task ${TASK_FOLDER}${p.name}.`, {
        category: 'ObjectNotFound', target: p.name, fix: 'Get-WoosooScheduledTask lists the tasks Woosoo registered.',
      });
    }
    await unregisterTask(ctx, found.name);
    return { items: [storedObject(found.name, found.task, found.xml)] };
  },
});

export const scheduleMethods = [scheduleRegister, scheduleGet, scheduleUnregister];
