/**
 * Woosoo's own folder for the user, where the engine writes what belongs to no project (the engine's log and the
 * audit lines of a call made outside any project): $env:WOOSOO_STATE_DIR if set, else %LOCALAPPDATA%\Woosoo on
 * Windows, else $XDG_STATE_HOME/woosoo, else ~/.local/state/woosoo.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userStateDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  if (env.WOOSOO_STATE_DIR) return env.WOOSOO_STATE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(env.USERPROFILE || homedir(), 'AppData', 'Local'), 'Woosoo');
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'woosoo');
  return join(env.HOME || homedir(), '.local', 'state', 'woosoo');
}
