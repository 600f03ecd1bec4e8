/**
 * Every RPC method of the engine, by domain. A method is defined next to its domain's code
 * (core/<domain>/methods.ts) and listed here once.
 */
import type { MethodDef } from './rpc/method';
import { configGet, configSchema, configTest } from './config/methods';
import { backupMethods } from './backup/methods';
import { configSync } from './sync/methods';
import { engineMethods } from './rpc/engine-methods';
import { logsGet } from './logs/methods';
import { healthGet } from './health/methods';
import { certGet, certNew, certTest, certTrust } from './certs/methods';
import { preflightRun } from './preflight/methods';
import { servicesMethods } from './services/methods';
import { buildRun } from './build/methods';
import { deployMethods } from './deploy/methods';

export function allMethods(): MethodDef[] {
  return [
    ...engineMethods(),
    configGet, configTest, configSchema,
    logsGet,
    ...backupMethods,
    configSync,
    healthGet,
    certNew, certGet, certTest, certTrust,
    preflightRun,
    ...servicesMethods,
    buildRun,
    ...deployMethods,
  ];
}
