/**
 * The owner-only Windows ACL, shared by sync/ (a secret file) and backup/ (a backup folder and restored secrets).
 */
import { run } from './run';
import { which } from './which';

/**
 * icacls arguments that make a file readable by Administrators (S-1-5-32-544), SYSTEM (S-1-5-18, the account NSSM
 * services run as) and the current user only: inherited entries removed, full control granted to those three.
 */
export function icaclsArgs(file: string, env: Record<string, string>): string[] {
  const user = env.USERNAME ? ['/grant:r', `${env.USERDOMAIN ? `${env.USERDOMAIN}\\` : ''}${env.USERNAME}:F`] : [];
  return [file, '/inheritance:r', '/grant:r', '*S-1-5-32-544:F', '/grant:r', '*S-1-5-18:F', ...user];
}

/**
 * Runs icacls with these arguments; a failed run is tried once more (setting an ACL is idempotent; under Wine on a
 * loaded machine icacls once failed without a word, as Windows programs there sometimes exit having run nothing).
 * Returns '' on success, else what went wrong in words (the exit code, icacls's own words, or the timeout).
 */
export async function runIcacls(args: readonly string[], ctx: { env: Record<string, string>; signal?: AbortSignal }, timeoutMs: number): Promise<string> {
  const exe = which('icacls', ctx.env) ?? 'icacls.exe';
  const once = () => run(exe, args, { env: ctx.env, signal: ctx.signal, timeoutMs });
  let r = await once();
  if (r.exitCode !== 0 && !r.cancelled && !r.notFound) r = await once();
  if (r.exitCode === 0) return '';
  if (r.notFound) return `${exe} could not be started (${r.spawnError ?? 'not found'})`;
  if (r.timedOut) return `icacls did not finish within ${Math.round(timeoutMs / 1000)} s (twice)`;
  const said = (r.stderr || r.stdout).trim();
  return `icacls exit ${r.exitCode ?? 'unknown'} (twice)${said ? `: ${said}` : ', and it said nothing'}`;
}
