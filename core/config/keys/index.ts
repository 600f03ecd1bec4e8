/**
 * All keys of deployment.config.env. Each capability declares its keys in its own file of this folder and is
 * listed here once; a key name may be declared only once.
 */
import type { z } from 'zod';
import type { KeyDef, KeyTable } from './define';
import { coreKeys } from './core';
import { preflightKeys } from './preflight';
import { syncKeys } from './sync';
import { servicesKeys } from './services';
import { healthKeys } from './health';
import { certsKeys } from './certs';
import { backupKeys } from './backup';
import { buildKeys } from './build';
import { deployKeys } from './deploy';
import { engineKeys } from './engine';

const tables: KeyTable[] = [coreKeys, preflightKeys, syncKeys, servicesKeys, healthKeys, certsKeys, backupKeys, buildKeys, deployKeys, engineKeys];

type Tables = typeof coreKeys & typeof preflightKeys & typeof syncKeys & typeof servicesKeys & typeof healthKeys
  & typeof certsKeys & typeof backupKeys & typeof buildKeys & typeof deployKeys & typeof engineKeys;

/** Every declared key name, as a type: ProjectConfig's accessors take only these, so a misspelled key does not compile. */
export type KeyName = Extract<keyof Tables, string>;

/** The typed value of a key, as its zod schema produces it (number for ports, boolean for flags, a union for choices). */
export type KeyValue<K extends KeyName> = Tables[K]['schema'] extends z.ZodType<infer T, string> ? T : never;

function build(): Map<KeyName, KeyDef> {
  const all = new Map<KeyName, KeyDef>();
  for (const table of tables) {
    for (const [name, def] of Object.entries(table)) {
      if (all.has(name as KeyName)) throw new Error(`configuration key ${name} is declared twice`);
      all.set(name as KeyName, { name, ...def });
    }
  }
  return all;
}

export const KEYS: ReadonlyMap<KeyName, KeyDef> = build();

/** Whether a name read at run time (a file's entry, a template's variable) is a declared key. */
export function isKeyName(name: string): name is KeyName {
  return KEYS.has(name as KeyName);
}
export type { KeyDef } from './define';
