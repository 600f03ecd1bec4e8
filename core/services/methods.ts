/** RPC methods of the services capability: services.get and the changers. Thin: load the project, call control. */
import { z } from 'zod';
import { loadProject, loadValidProject } from '../config';
import { defineMethod, duration, durationSchema, projectParams, typed, typedSchema } from '../kernel/method';
import * as control from './control';
import { runningPids, type ServiceReport } from './report';
import { listenParams, writeServiceOptions } from '../dashboard/index';
import { dashboardDefinition } from './definitions';
import { openServiceSet, selectDefinitions, stackDefinitions } from './index';
import { SERVICE_STATUSES } from './types';
import { processFacts, type ProcessFacts } from '../util/sysinfo';

const serviceItem = typedSchema('Service', {
  Name: z.string(), DisplayName: z.string(), Status: z.enum(SERVICE_STATUSES), StartType: z.string().nullable(),
  ProcessId: z.number().int().nullable(), StartTime: z.string().nullable(), Uptime: durationSchema.nullable(),
  Restarts: z.number().int().nullable(), LastExitCode: z.number().int().nullable(), Application: z.string(),
  Arguments: z.string(), WorkingDirectory: z.string(), StdoutLog: z.string(), StderrLog: z.string(),
  DependsOn: z.array(z.string()), Port: z.number().int().nullable(), Backend: z.enum(['NSSM', 'PM2']),
  ProjectPath: z.string(), Remarks: z.string().nullable(),
  CpuPercent: z.number().nullable().describe('CPU % of its process (services.get with usage; else null)'),
  MemoryBytes: z.number().int().nullable().describe('Resident memory of its process in bytes (services.get with usage; else null)'),
});

const params = z.object({
  ...projectParams,
  names: z.array(z.string().min(1)).optional().describe('Service names, short names (reverb) or wildcards; none = the whole stack'),
});

type Op = (set: control.ServiceSet, ctx: control.ServiceContext) => Promise<control.Outcome>;

/** How long services.get waits for the process list when asked for usage: past it, the usage is left null. */
const USAGE_TIMEOUT_MS = 3000;

/**
 * The wire's Woosoo.Service of a service's report; Uptime in whole seconds, as a duration (a [timespan] in pwsh);
 * CPU and memory from the process list's facts of its process, when they were read.
 */
export function serviceObject(r: ServiceReport, facts?: Map<number, ProcessFacts>) {
  const f = r.processId !== null && r.status === 'Running' ? facts?.get(r.processId) : undefined;
  return typed('Service', {
    Name: r.name, DisplayName: r.displayName, Status: r.status, StartType: r.startType, ProcessId: r.processId,
    StartTime: r.startedAt ? r.startedAt.toISOString() : null,
    Uptime: r.startedAt ? duration(Math.floor(Math.max(0, r.observedAt.getTime() - r.startedAt.getTime()) / 1000) * 1000) : null,
    Restarts: r.restarts, LastExitCode: r.lastExitCode, Application: r.application, Arguments: r.arguments,
    WorkingDirectory: r.workingDirectory, StdoutLog: r.stdoutLog, StderrLog: r.stderrLog, DependsOn: r.dependsOn, Port: r.port,
    Backend: r.backend, ProjectPath: r.projectDir, Remarks: r.remarks,
    CpuPercent: f && f.cpu !== null ? Math.round(f.cpu * 10) / 10 : null, MemoryBytes: f ? Math.round(f.memRss * 1024) : null,
  });
}

function wire(out: control.Outcome, facts?: Map<number, ProcessFacts>) {
  return { items: out.items.map((r) => serviceObject(r, facts)), errors: out.errors };
}

/** The process list's facts of the running services' processes; none (usage left null) when it does not answer in time. */
async function usageOf(out: control.Outcome, signal: AbortSignal): Promise<Map<number, ProcessFacts>> {
  try {
    return await processFacts(runningPids(out.items), { signal, timeoutMs: USAGE_TIMEOUT_MS });
  } catch (err) {
    if (signal.aborted) throw err;
    return new Map();
  }
}

function changer(name: string, summary: string, op: Op) {
  return defineMethod({
    name, summary, params, item: serviceItem,
    async handler(p, ctx) {
      const cfg = loadValidProject(p, ctx);
      return wire(await op(openServiceSet(cfg, ctx, p.names, true), ctx));
    },
  });
}

export const servicesGet = defineMethod({
  name: 'services.get',
  summary: 'A Woosoo.Service per service of the stack (or per matching name), queried concurrently from the backend.',
  params: params.extend({
    usage: z.boolean().optional().describe('Also read each running service\'s CPU % and memory from the process list (CpuPercent, MemoryBytes); left null if it does not answer within 3 s'),
  }),
  item: serviceItem,
  async handler(p, ctx) {
    const out = await control.queryServices(openServiceSet(loadProject(p, ctx), ctx, p.names, true));
    return wire(out, p.usage ? await usageOf(out, ctx.signal) : undefined);
  },
});

export const servicesList = defineMethod({
  name: 'services.list',
  summary: 'The stack\'s services from the configuration alone (name, display name, port), without asking NSSM or PM2: for tab completion where the service manager is missing or not answering.',
  params,
  async handler(p, ctx) {
    const cfg = loadProject(p, ctx);
    const dashboard = dashboardDefinition(cfg);
    const defs = selectDefinitions([...stackDefinitions(cfg, ctx.env), ...(dashboard ? [dashboard] : [])], p.names);
    return { value: defs.map((d) => ({ Name: d.name, DisplayName: d.displayName, Port: d.readyPort ?? null })) };
  },
});

/** services.install; with `dashboard`, the web dashboard's service instead (Install-WoosooService -Dashboard). */
export const servicesInstall = defineMethod({
  name: 'services.install',
  summary: 'Installs the services from the configuration, or updates existing ones to it; with dashboard, the web dashboard\'s service (the engine in --dashboard mode).',
  params: params.extend({
    dashboard: z.object(listenParams).optional().describe('Install (or update) the web dashboard\'s service with these options (port, bindAddress, allowRemote) instead of the stack\'s'),
  }),
  item: serviceItem,
  async handler(p, ctx) {
    const cfg = loadValidProject(p, ctx);
    if (p.dashboard) writeServiceOptions(cfg, { ...p.dashboard, environment: p.environment ?? cfg.environment });
    return wire(await control.installAll(openServiceSet(cfg, ctx, p.dashboard ? ['dashboard'] : p.names, true), ctx));
  },
});

export const servicesMethods = [
  servicesGet,
  servicesList,
  servicesInstall,
  changer('services.uninstall', 'Stops and removes the services (logs are kept); reverse dependency order.', control.uninstallAll),
  changer('services.start', 'Starts in dependency order and waits until each is really running; running ones are left alone.', control.startAll),
  changer('services.stop', 'Stops in reverse dependency order and waits until the processes have exited.', control.stopAll),
  changer('services.restart', 'Restarts (or starts) in dependency order and waits until each is really running.', control.restartAll),
  changer('services.suspend', 'Pauses the services where the backend can (neither NSSM nor PM2 can: the error says so).', control.suspendAll),
  changer('services.resume', 'Retries a throttled (crash-looping) service at once and waits until it runs.', control.resumeAll),
];
