/**
 * Task Scheduler itself: register with `schtasks /Create /XML`, remove with `schtasks /Delete`, and list Woosoo's
 * tasks by reading their stored definitions (%SystemRoot%\System32\Tasks\Woosoo\*, where Task Scheduler keeps the
 * XML of each registered task; Wine's schtasks has no /Query, so this works in both). Windows only: elsewhere every
 * call is refused with TaskSchedulerUnavailable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WoosooError } from '../kernel/errors';
import { run } from '../process/run';
import { decodeTaskFile, readTaskXml, TASK_FOLDER, taskXmlBytes, type StoredTask } from './xml';

type Ctx = { env: Record<string, string>; signal: AbortSignal };

export function requireTaskScheduler(what: string): void {
  if (process.platform === 'win32') return;
  throw new WoosooError('TaskSchedulerUnavailable', `${what}: Task Scheduler is Windows-only, and this is ${process.platform}. Nothing was changed.`, {
    category: 'NotImplemented', target: process.platform,
    fix: 'Run it on the Windows server, or use -WhatIf here to see the task definition. On Linux, schedule the same job script with cron or a systemd timer.',
  });
}

const schtasks = (env: Record<string, string>) => join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', 'schtasks.exe');

function failed(what: string, name: string, r: { exitCode: number | null; stdout: string; stderr: string; display: string }): WoosooError {
  const said = `${r.stderr}\n${r.stdout}`.trim().split(/\r?\n/).filter(Boolean).slice(-3).join(' ');
  return new WoosooError('ScheduledTaskFailed', `${what} ${TASK_FOLDER}${name} failed (schtasks exit code ${r.exitCode}): ${said || 'no message'}.`, {
    category: /denied/i.test(said) ? 'PermissionDenied' : 'InvalidOperation', target: name,
    fix: 'Run PowerShell as an administrator; with -Credential check the account name and password.',
  });
}

/** Registers (or, with force, replaces) the task from its XML; the password goes to schtasks only. */
export async function registerTask(ctx: Ctx, name: string, xml: string, account?: { user: string; password: string }, force = false): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-task-'));
  try {
    const file = join(dir, 'task.xml');
    writeFileSync(file, taskXmlBytes(xml));
    const args = ['/Create', '/XML', file, '/TN', TASK_FOLDER + name, ...(account ? ['/RU', account.user, '/RP', account.password] : []), ...(force ? ['/F'] : [])];
    const r = await run(schtasks(ctx.env), args, { env: ctx.env, signal: ctx.signal, timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw failed('Registering', name, r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function unregisterTask(ctx: Ctx, name: string): Promise<void> {
  const r = await run(schtasks(ctx.env), ['/Delete', '/TN', TASK_FOLDER + name, '/F'], { env: ctx.env, signal: ctx.signal, timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw failed('Removing', name, r);
}

/** Every task under \Woosoo\ with its stored definition. */
export function storedTasks(env: Record<string, string>): { name: string; task: StoredTask; xml: string }[] {
  const dir = join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', 'Tasks', 'Woosoo');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new WoosooError('ScheduledTaskUnreadable', `Cannot read the task definitions in ${dir}: ${(err as Error).message}`, {
      category: 'PermissionDenied', target: dir, fix: 'Run PowerShell as an administrator: only administrators may read the stored tasks.',
    });
  }
  return names.sort().map((name) => {
    const xml = decodeTaskFile(readFileSync(join(dir, name)));
    return { name, task: readTaskXml(xml), xml };
  });
}
