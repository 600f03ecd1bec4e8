/**
 * Every RPC method of the engine, by domain. A method is defined next to its domain's code
 * (core/<domain>/methods.ts) and listed here once, by name, with the import that loads it: a domain's code
 * (its modules, its zod schemas) runs on the first call of one of its methods, not at engine start
 * (docs/performance.md, Foundation). tests/methods.test.ts checks that the names here are exactly those each
 * domain defines.
 */
import type { LazyMethods, MethodDef } from './kernel/method';
import { engineMethods } from './engine/methods';

export const DOMAINS: readonly LazyMethods[] = [
  {
    domain: 'config', names: ['config.get', 'config.test', 'config.schema', 'config.compare'],
    load: async () => { const m = await import('./config/methods'); return [m.configGet, m.configTest, m.configSchema, m.configCompare]; },
  },
  {
    domain: 'logs', names: ['logs.get', 'logs.list'],
    load: async () => { const m = await import('./logs/methods'); return [m.logsGet, m.logsList]; },
  },
  {
    domain: 'backup', names: ['backup.create', 'backup.list', 'backup.test', 'backup.restore', 'backup.remove', 'backup.newKey'],
    load: async () => (await import('./backup/methods')).backupMethods,
  },
  {
    domain: 'sync', names: ['config.sync', 'config.set'],
    load: async () => { const m = await import('./sync/methods'); return [m.configSync, m.configSet]; },
  },
  { domain: 'health', names: ['health.get'], load: async () => [(await import('./health/methods')).healthGet] },
  {
    domain: 'certs', names: ['cert.new', 'cert.get', 'cert.test', 'cert.trust'],
    load: async () => { const m = await import('./certs/methods'); return [m.certNew, m.certGet, m.certTest, m.certTrust]; },
  },
  { domain: 'preflight', names: ['preflight.run'], load: async () => [(await import('./preflight/methods')).preflightRun] },
  {
    domain: 'services',
    names: ['services.get', 'services.list', 'services.install', 'services.uninstall', 'services.start', 'services.stop', 'services.restart',
      'services.suspend', 'services.resume'],
    load: async () => (await import('./services/methods')).servicesMethods,
  },
  { domain: 'build', names: ['build.run'], load: async () => [(await import('./build/methods')).buildRun] },
  { domain: 'project', names: ['project.new'], load: async () => [(await import('./project/methods')).projectNew] },
  {
    domain: 'audit', names: ['audit.get', 'audit.write'],
    load: async () => { const m = await import('./audit/methods'); return [m.auditGet, m.auditWrite]; },
  },
  {
    domain: 'deploy', names: ['deploy.run', 'deploy.get', 'deploy.undo'],
    load: async () => (await import('./deploy/methods')).deployMethods,
  },
  { domain: 'diagnostics', names: ['diagnostics.export'], load: async () => [(await import('./diagnostics/methods')).diagnosticsExport] },
  {
    domain: 'schedule', names: ['schedule.register', 'schedule.get', 'schedule.unregister'],
    load: async () => (await import('./schedule/methods')).scheduleMethods,
  },
  { domain: 'dashboard', names: ['dashboard.userNew', 'dashboard.userList', 'dashboard.userRemove', 'dashboard.start', 'dashboard.stop', 'dashboard.get'], load: async () => (await import('./dashboard/methods')).dashboardMethods },
];

/** The engine's own methods (engine.ping, engine.info; test.* in tests): small, defined at start. */
export function eagerMethods(): MethodDef[] {
  return engineMethods();
}

/** One method's definition by name, its domain loaded on demand (the dashboard host runs methods in-process). */
export async function resolveMethod(name: string): Promise<MethodDef> {
  const def = eagerMethods().find((m) => m.name === name)
    ?? (await DOMAINS.find((d) => d.names.includes(name))?.load())?.find((m) => m.name === name);
  if (!def) throw new Error(`No engine method ${name}.`);
  return def;
}

/** Every method with its definition, every domain loaded (the docs generator and its test). */
export async function allMethods(): Promise<MethodDef[]> {
  const loaded = await Promise.all(DOMAINS.map((d) => d.load()));
  return [...eagerMethods(), ...loaded.flat()];
}
