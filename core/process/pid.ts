/** Whether a process lives: the one answer for lock files, temp-file owners, PM2's daemon and the services' waits. */
import { readFileSync } from 'node:fs';

/**
 * True while the process exists. EPERM (it exists, owned by another user) is alive; a zombie (exited, not yet reaped
 * by its parent) is dead for every purpose of ours: it holds no lock, no port and no file.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The live process whose PID a file holds (a pid file), or null: no file, no number, or the process is gone. */
export function livePidFrom(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return pidAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}
