/**
 * Builds of the project's apps (backend, PWA, relay): what other domains (the deploy orchestrator) use.
 * planBuilds() says which commands would run (for -WhatIf and the deploy plan); runBuilds() runs them.
 */
import type { ProjectConfig } from '../config';
import type { RequestContext } from '../rpc/context';

export type AppKind = 'backend' | 'pwa' | 'relay';
export const APP_KINDS: readonly AppKind[] = ['backend', 'pwa', 'relay'];

export type CommandKind = 'build' | 'test' | 'migrate';

export interface BuildCommand {
  program: string;
  args: string[];
  /** The command as typed, secrets masked. */
  display: string;
  kind: CommandKind;
}

export interface BuildPlan {
  app: AppKind;
  dir: string;
  /** Why this app will not be built (e.g. Flutter absent and RELAY_ENABLED=false); absent = it will be. */
  skipped?: string;
  /** Why the app cannot be built although it must (e.g. RELAY_ENABLED=true and Flutter absent). */
  error?: string;
  commands: BuildCommand[];
}

export interface BuildResult {
  app: AppKind;
  status: 'Succeeded' | 'Failed' | 'Skipped';
  durationMs: number;
  commands: string[];
  logPath: string;
  message: string;
  /** The migrate command was started (the deploy orchestrator restores the database on rollback then). */
  migrationsRan: boolean;
  failedCommand?: string;
  exitCode?: number | null;
  tail?: string[];
  cancelled?: boolean;
}

export interface PlanOptions {
  apps?: AppKind[];
  skipTests?: boolean;
  env: Record<string, string>;
}

export interface RunBuildsOptions {
  apps?: AppKind[];
  skipTests?: boolean;
  parallel?: boolean;
  logDir: string;
  onLine?: (app: AppKind, stream: 'stdout' | 'stderr', line: string) => void;
}

export function planBuilds(_cfg: ProjectConfig, _opts: PlanOptions): BuildPlan[] {
  throw new Error('planBuilds: not implemented yet');
}

export async function runBuilds(_cfg: ProjectConfig, _ctx: RequestContext, _opts: RunBuildsOptions): Promise<BuildResult[]> {
  throw new Error('runBuilds: not implemented yet');
}
