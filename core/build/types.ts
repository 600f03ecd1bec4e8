/** The shapes of the build domain, shared by the plan, the runner, the RPC method and the deploy orchestrator. */
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
  /** The skip is a problem worth a warning (an app asked for by name cannot be built), not a configured choice. */
  skipWarns?: boolean;
  /** Why the app cannot be built although it must (e.g. RELAY_ENABLED=true and Flutter absent). */
  error?: string;
  commands: BuildCommand[];
}

export interface BuildResult {
  app: AppKind;
  /** The app's folder (where the commands ran). */
  dir: string;
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
  /** Apps left out after planning (declined at -Confirm); unlike `apps`, this does not change the relay rules. */
  exclude?: AppKind[];
  skipTests?: boolean;
  env: Record<string, string>;
}

export interface RunBuildsOptions {
  apps?: AppKind[];
  exclude?: AppKind[];
  skipTests?: boolean;
  parallel?: boolean;
  logDir: string;
  /** Per-command limit in milliseconds; default BUILD_TIMEOUT_MINUTES (a caller with its own deadline may pass less). */
  timeoutMs?: number;
  onLine?: (app: AppKind, stream: 'stdout' | 'stderr', line: string) => void;
  /** Run a migrate command even when --pretend shows it drops or renames a table or column. */
  allowDestructiveMigrations?: boolean;
}
