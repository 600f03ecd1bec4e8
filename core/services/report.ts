/** A service's report: what the services domain says of one service (query, start, stop, ...). */
import type { ServiceBackend, ServiceDefinition, ServiceState, ServiceStatus } from './types';

/**
 * What the services domain reports of one service: the backend's facts, the definition where the backend has none.
 * A domain type: services/methods.ts turns it into the wire's Woosoo.Service; deploy and health read it as it is.
 */
export interface ServiceReport {
  name: string;
  displayName: string;
  status: ServiceStatus;
  startType: string | null;
  processId: number | null;
  startedAt: Date | null;
  restarts: number | null;
  lastExitCode: number | null;
  application: string;
  arguments: string;
  workingDirectory: string;
  stdoutLog: string;
  stderrLog: string;
  dependsOn: string[];
  port: number | null;
  backend: ServiceBackend['name'];
  projectDir: string;
  remarks: string | null;
  /** When the backend was asked (the wire's Uptime counts from startedAt to this). */
  observedAt: Date;
}

/** A service's report: the backend's facts, the definition where the backend has none. */
export function report(set: { backend: Pick<ServiceBackend, 'name'>; projectDir: string }, def: ServiceDefinition, st: ServiceState, now = new Date()): ServiceReport {
  return {
    name: def.name,
    displayName: st.displayName ?? def.displayName,
    status: st.status,
    startType: st.startType ?? null,
    processId: st.processId ?? null,
    startedAt: st.startedAt ?? null,
    restarts: st.restarts ?? null,
    lastExitCode: st.lastExitCode ?? null,
    application: st.application ?? def.application,
    arguments: st.arguments ?? def.arguments.join(' '),
    workingDirectory: st.workingDirectory ?? def.workingDirectory,
    stdoutLog: st.stdoutLog ?? def.stdoutLog,
    stderrLog: st.stderrLog ?? def.stderrLog,
    dependsOn: def.dependsOn,
    port: def.readyPort ?? null,
    backend: set.backend.name,
    projectDir: set.projectDir,
    remarks: [def.problem?.message, st.remarks].filter(Boolean).join(' ') || null,
    observedAt: now,
  };
}

/** The process ids of the running services among these reports (for their CPU and memory in the process list). */
export function runningPids(reports: readonly ServiceReport[]): number[] {
  return reports.filter((r) => r.status === 'Running').map((r) => r.processId).filter((p): p is number => typeof p === 'number' && p > 0);
}
