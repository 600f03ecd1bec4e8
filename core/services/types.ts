/**
 * The services domain's vocabulary: what a service is (a definition built from the configuration), what a backend
 * reports about it (a state), and what a backend can do (the ServiceBackend interface NSSM and PM2 implement).
 */

/**
 * Running / Stopped / Paused / StartPending / StopPending / NotInstalled as Windows knows them, plus two truthful states
 * for an application that keeps crashing: Throttled (the manager waits before the next restart: NSSM's SERVICE_PAUSED,
 * PM2's "waiting restart") and Failed (the manager gave up: PM2 "errored" or out of restarts).
 */
export const SERVICE_STATUSES = [
  'Running', 'Stopped', 'Paused', 'StartPending', 'StopPending', 'NotInstalled', 'Throttled', 'Failed',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export type BackendName = 'NSSM' | 'PM2';

export interface ServiceDefinition {
  /** Short name inside the stack: reverb, queue-worker, nginx. */
  key: string;
  /** Full service name: <SERVICE_PREFIX>-<key>. */
  name: string;
  displayName: string;
  description: string;
  /** Absolute path of the program. */
  application: string;
  arguments: string[];
  workingDirectory: string;
  stdoutLog: string;
  stderrLog: string;
  /** Services (full names) this one depends on: other services of the stack or the database service. */
  dependsOn: string[];
  /** Start order in the stack (lower first); stop is the reverse. */
  order: number;
  /** A TCP port on 127.0.0.1 that must accept connections before the service counts as running. */
  readyPort?: number;
  /** Extra environment for the application (PM2; NSSM AppEnvironmentExtra). */
  env?: Record<string, string>;
  /** Why this service cannot be installed or started as defined (a tool is missing); shown by Get, raised by changes. */
  problem?: Error;
}

export interface ServiceSettings {
  startTimeoutMs: number;
  stopTimeoutMs: number;
  throttleMs: number;
  rotateBytes: number;
  retentionCount: number;
  retentionDays: number;
}

export const DEFAULT_SETTINGS: ServiceSettings = {
  startTimeoutMs: 30_000, stopTimeoutMs: 30_000, throttleMs: 1500, rotateBytes: 10 * 1024 * 1024, retentionCount: 10, retentionDays: 14,
};

/** What a backend knows about one service. Unknown facts are left undefined, never guessed. */
export interface ServiceState {
  name: string;
  status: ServiceStatus;
  displayName?: string;
  startType?: string;
  processId?: number;
  /** When the current process started (PM2 knows; NSSM does not say). */
  startedAt?: Date;
  restarts?: number;
  lastExitCode?: number;
  application?: string;
  arguments?: string;
  workingDirectory?: string;
  stdoutLog?: string;
  stderrLog?: string;
  /** What this backend cannot tell or do for this service, in words. */
  remarks?: string;
}

export interface ServiceBackend {
  readonly name: BackendName;
  /** Queries the services concurrently; a missing service is NotInstalled, not an error. */
  query(defs: readonly ServiceDefinition[]): Promise<ServiceState[]>;
  /** Creates the service, or brings an existing one up to the definition. */
  install(def: ServiceDefinition, settings: ServiceSettings): Promise<'Installed' | 'Updated'>;
  /** Issues a start; the caller waits for readiness. */
  start(def: ServiceDefinition, settings: ServiceSettings): Promise<void>;
  /** Issues a stop; the caller waits for the processes to exit. */
  stop(def: ServiceDefinition, settings: ServiceSettings): Promise<void>;
  restart(def: ServiceDefinition, settings: ServiceSettings): Promise<void>;
  pause(def: ServiceDefinition): Promise<void>;
  /** Retries a throttled (crash-looping) service at once. */
  resume(def: ServiceDefinition, settings: ServiceSettings): Promise<void>;
  /** Removes the service (stopped first by the caller). */
  remove(def: ServiceDefinition): Promise<void>;
  /** How long the caller's waits sleep between two state checks (a cheap query allows a short one); default 250 ms. */
  pollMs?(): number;
  /** Called after logs were rotated by Woosoo (PM2 reopens its files); optional. */
  reopenLogs?(defs: readonly ServiceDefinition[]): Promise<void>;
  /** Whether Woosoo must rotate this backend's logs itself (NSSM rotates its own). */
  readonly rotatesLogs: boolean;
}
