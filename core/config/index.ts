/**
 * What other domains use of the configuration: load the caller's project, and insist that it can be used.
 * The one place a bad deployment.config.env becomes an error, so every method refuses it the same way.
 */
import type { RequestContext } from '../kernel/context';
import { WoosooError } from '../kernel/errors';
import { registerSecrets } from '../util/redact';
import { findProject, readConfig, type ProjectConfig } from './load';
import type { ConfigIssue } from './problems';
import { validateConfig } from './validate';

export { ProjectConfig, CONFIG_FILE } from './load';
export type { ConfigEntry } from './load';
export { overlayName, overlaysIn } from './environments';
export type { KeyName, KeyValue } from './keys';

/** The request's session; a RequestContext also registers the secrets it loads (plain objects in tests: the registry). */
type Session = Pick<RequestContext, 'env' | 'cwd'> & Partial<Pick<RequestContext, 'registerSecrets'>>;

/**
 * Which project, and which environment of it: a method's params ({ path, environment }, see projectParams in
 * kernel/method.ts) or just a path. The environment defaults to the session's $env:WOOSOO_ENVIRONMENT.
 */
export type ProjectRef = string | undefined | { path?: string; environment?: string };

/**
 * The project as written, problems and all: only for the methods that report the problems (config.test,
 * preflight.run) or check the few keys they use themselves (backups: restoring puts a broken file back).
 */
export function readProject(ref: ProjectRef, ctx: Session): ProjectConfig {
  const { path, environment } = typeof ref === 'object' ? ref : { path: ref, environment: undefined };
  const cfg = readConfig(findProject(path, ctx), { asked: environment, variable: ctx.env.WOOSOO_ENVIRONMENT });
  // The request boundary: every secret of the file is masked in whatever this request sends out, from now on.
  (ctx.registerSecrets ?? registerSecrets)(cfg.secretValues());
  return cfg;
}

/**
 * The project, refused when a value cannot be read (a syntax error, a value of the wrong type such as
 * HTTP_PORT=80x88): no method can work with a key it does not have, and the user is the one to fix it.
 */
export function loadProject(ref: ProjectRef, ctx: Session): ProjectConfig {
  const cfg = readProject(ref, ctx);
  refuse(cfg, cfg.problems);
  return cfg;
}

/** The project, refused when any rule of Test-WoosooConfig finds an Error-severity problem (nothing is written then). */
export function loadValidProject(ref: ProjectRef, ctx: Session): ProjectConfig {
  const cfg = readProject(ref, ctx);
  refuse(cfg, validateConfig(cfg));
  return cfg;
}

/** Throws one Woosoo.ConfigInvalid listing every Error-severity problem (key, line, fix), if there is one. */
function refuse(cfg: ProjectConfig, problems: readonly ConfigIssue[]): void {
  const errors = problems.filter((p) => p.severity === 'Error');
  if (errors.length === 0) return;
  const list = errors.map((p) => `  - ${p.message} Fix: ${p.fix}`).join('\n');
  const files = cfg.location.overlay ? `${cfg.location.file} with its ${cfg.environment} overlay ${cfg.location.overlay}` : cfg.location.file;
  throw new WoosooError('ConfigInvalid', `${files} has ${errors.length} problem(s); nothing was changed:\n${list}`, {
    category: 'InvalidData',
    target: cfg.location.file,
    fix: 'Fix the problems listed (Test-WoosooConfig shows them as objects), then run the command again.',
  });
}
