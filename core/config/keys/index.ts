/**
 * All keys of deployment.config.env. Each capability declares its keys in its own file of this folder and is
 * listed here once; a key name may be declared only once.
 */
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

const tables: KeyTable[] = [coreKeys, preflightKeys, syncKeys, servicesKeys, healthKeys, certsKeys, backupKeys, buildKeys, deployKeys];

function build(): Map<string, KeyDef> {
  const all = new Map<string, KeyDef>();
  for (const table of tables) {
    for (const [name, def] of Object.entries(table)) {
      if (all.has(name)) throw new Error(`configuration key ${name} is declared twice`);
      all.set(name, { name, ...def });
    }
  }
  return all;
}

export const KEYS: ReadonlyMap<string, KeyDef> = build();
export type { KeyDef } from './define';
