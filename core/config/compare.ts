/**
 * Compare-WoosooConfig: the effective values of several environments (each overlay over the shared file) side by
 * side, the keys that differ only unless all are asked for. Secrets are compared, never shown.
 */
import { KEYS } from './keys';
import { findProject, readBaseConfig, readConfig, type ProjectConfig } from './load';

/** 'base' is the shared file alone, without any overlay. */
export const BASE = 'base';

export interface Session {
  env: Record<string, string>;
  cwd: string;
}

/** The configuration of each environment asked for (and of the shared file alone, as 'base'), by name. */
export function readEnvironments(path: string | undefined, names: readonly string[], ctx: Session): Map<string, ProjectConfig> {
  const location = findProject(path, ctx);
  const out = new Map<string, ProjectConfig>();
  for (const name of names) {
    if (name.toLowerCase() === BASE) out.set(BASE, readBaseConfig(location));
    else {
      const cfg = readConfig(location, { asked: name });
      out.set(cfg.environment ?? name, cfg);
    }
  }
  return out;
}

export interface KeyComparison {
  name: string;
  secret: boolean;
  /** The value in each environment, as text ('' when not set), by environment name. */
  values: Map<string, string>;
  same: boolean;
}

/** Every key set (or defaulted) in any of the configurations, declared keys in their order, then the others. */
export function compareConfigs(configs: Map<string, ProjectConfig>): KeyComparison[] {
  const all = [...configs.values()];
  const names = [...KEYS.keys(), ...new Set(all.flatMap((c) => [...c.entries.keys()]))];
  const seen = new Set<string>();
  const out: KeyComparison[] = [];
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const values = new Map([...configs].map(([env, cfg]) => [env, cfg.text(name)]));
    if ([...values.values()].every((v) => v === '')) continue;
    out.push({ name, secret: all.some((c) => c.isSecret(name)), values, same: new Set(values.values()).size === 1 });
  }
  return out;
}
