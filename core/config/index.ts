/** What other domains use of the configuration: load the caller's project, and insist that it is valid. */
import type { RequestContext } from '../rpc/context';
import { WoosooError } from '../rpc/errors';
import { findProject, readConfig, type ProjectConfig } from './load';
import { validateConfig } from './validate';

export { ProjectConfig, CONFIG_FILE } from './load';

export function loadProject(path: string | undefined, ctx: Pick<RequestContext, 'env' | 'cwd'>): ProjectConfig {
  return readConfig(findProject(path, ctx));
}

/** Loads the project and throws one error listing every Error-severity problem (nothing is written then). */
export function loadValidProject(path: string | undefined, ctx: Pick<RequestContext, 'env' | 'cwd'>): ProjectConfig {
  const cfg = loadProject(path, ctx);
  const errors = validateConfig(cfg).filter((p) => p.Severity === 'Error');
  if (errors.length > 0) {
    const list = errors.map((p) => `  - ${p.Message} Fix: ${p.Fix}`).join('\n');
    throw new WoosooError('ConfigInvalid', `${cfg.location.file} has ${errors.length} problem(s); nothing was changed:\n${list}`, {
      category: 'InvalidData',
      target: cfg.location.file,
      fix: 'Fix the problems listed (Test-WoosooConfig shows them as objects), then run the command again.',
    });
  }
  return cfg;
}
