/**
 * Environment overlays: deployment.config.env holds the shared values, deployment.config.<environment>.env overrides
 * them for one environment. Which environment applies: the request's -Environment, else $env:WOOSOO_ENVIRONMENT,
 * else the base file's ENVIRONMENT. An environment asked for by name must exist (an overlay file, or the base file's
 * own ENVIRONMENT): a typo at 2 AM must not quietly deploy the shared values.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WoosooError } from '../kernel/errors';
import { ENVIRONMENT_NAMES } from './keys/core';

/** Where the environment came from: the request's parameter, the session's variable, the base file, or nowhere. */
export type EnvironmentFrom = 'Parameter' | 'Variable' | 'File' | 'None';

export interface EnvironmentChoice {
  /** The environment's canonical name (lower case), or undefined when neither was asked for nor set in the file. */
  name: string | undefined;
  from: EnvironmentFrom;
  /** The overlay file that applies, if it exists. */
  overlay: string | undefined;
}

export const overlayName = (environment: string) => `deployment.config.${environment}.env`;

/** The environments that have an overlay file in the project folder, in the order ENVIRONMENT lists them. */
export function overlaysIn(projectDir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(projectDir);
  } catch {
    return [];
  }
  return ENVIRONMENT_NAMES.filter((e) => files.includes(overlayName(e)));
}

function canonical(name: string): string | undefined {
  return ENVIRONMENT_NAMES.find((e) => e === name.trim().toLowerCase());
}

/**
 * The environment of a request. `asked` is -Environment; `variable` $env:WOOSOO_ENVIRONMENT; `inFile` the base
 * file's ENVIRONMENT as written (it may be invalid: the validator reports that, this only looks for an overlay).
 */
export function chooseEnvironment(projectDir: string, asked: string | undefined, variable: string | undefined, inFile: string | undefined): EnvironmentChoice {
  const wanted = asked ? { text: asked, from: 'Parameter' as const } : variable ? { text: variable, from: 'Variable' as const } : undefined;
  if (wanted === undefined) {
    const name = inFile === undefined ? undefined : canonical(inFile);
    const overlay = name && existsSync(join(projectDir, overlayName(name))) ? join(projectDir, overlayName(name)) : undefined;
    return { name, from: name ? 'File' : 'None', overlay };
  }
  const how = wanted.from === 'Parameter' ? `-Environment '${wanted.text}'` : `$env:WOOSOO_ENVIRONMENT ('${wanted.text}')`;
  const name = canonical(wanted.text);
  const here = overlaysIn(projectDir);
  const known = here.length ? `the overlays here: ${here.join(', ')}` : 'there is no overlay file here';
  if (name === undefined) {
    throw new WoosooError('EnvironmentInvalid', `${how} is not an environment: it must be one of ${ENVIRONMENT_NAMES.join(', ')} (${known}).`, {
      category: 'InvalidArgument', target: wanted.text,
      fix: wanted.from === 'Parameter' ? `Pass -Environment ${ENVIRONMENT_NAMES.join(', -Environment ')}.` : 'Set $env:WOOSOO_ENVIRONMENT to one of them, or remove it.',
    });
  }
  const file = join(projectDir, overlayName(name));
  if (existsSync(file)) return { name, from: wanted.from, overlay: file };
  if (inFile !== undefined && canonical(inFile) === name) return { name, from: wanted.from, overlay: undefined };
  throw new WoosooError('EnvironmentNotFound', `${how}: ${projectDir} has no ${overlayName(name)}, and its deployment.config.env is not for ${name} (${known}).`, {
    category: 'ObjectNotFound', target: file,
    fix: `Create ${overlayName(name)} beside deployment.config.env with only the keys that differ in ${name}, or choose another environment.`,
  });
}
