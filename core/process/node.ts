/**
 * The node that runs Node scripts for the engine (the pm2 CLI, the tests' child). Under node that is the engine's
 * own node; inside the single executable (npm run package) process.execPath is the engine itself, so it is the
 * first node on the session's PATH, and a Woosoo error that says so when there is none.
 */
import { WoosooError } from '../kernel/errors';
import { which } from './which';

/** True inside a single executable application (node:sea exists from Node 20.12; older nodes run no SEA). */
export function isSingleExecutable(): boolean {
  try {
    const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
    return sea?.isSea?.() === true;
  } catch {
    return false;
  }
}

/** The node to run `script` with; `needs` says what for, in the error when the engine is a single executable and PATH has no node. */
export function nodeExecutable(env: Record<string, string>, needs: string): string {
  if (!isSingleExecutable()) return process.execPath;
  const found = which('node', env);
  if (found !== null) return found;
  throw new WoosooError('NodeNotFound', `Node.js is not on PATH: ${needs} is a Node.js script, and the Woosoo engine (a single executable) does not run scripts itself.`, {
    category: 'NotInstalled', target: 'node', fix: 'Install Node.js 18 or later and make sure "node" is on PATH, then run the command again.',
  });
}
