/**
 * What the deploy tests over the wire share (wire.test.ts, kill.test.ts): a private MariaDB and a copy of the demo
 * stack per file, engines started against it (closed at the end), waiting for a step's progress, killing an engine
 * and waiting for its orphans, and the checks after each fault: every project file and the database as before, the
 * lock free, no secret in what Woosoo wrote or in anything on the wire.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { beforeAll, expect } from 'vitest';
import { lockPath } from '../../core/deploy/lock';
import { EngineClient, type RpcMessage } from '../support/engine';
import { missingTools, sleep, waitFor } from '../harness/tools';
import { filesWithSecrets, SECRETS, treeDiff, useDemoProject, type DemoProject } from './fixture';

export const missingForDeploy = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';
const BUILD_TOOLS = /composer|npm|build\.mjs|artisan (migrate|config:cache|route:cache|view:cache|app:selftest)|node --test/;
const SECRET_RE = new RegExp(Object.values(SECRETS).join('|'));

export interface Snapshot {
  tree: Map<string, string>;
  dump: string;
}

/** The PIDs of the processes working in the project folder whose command line matches re. */
export function processesIn(dir: string, re: RegExp): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (String(cwd).startsWith(dir) && re.test(cmd)) found.push(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** Whether a build tool (composer, npm, artisan's build commands, the PWA's build) runs in the project folder. */
export const buildToolRunning = (dir: string) => processesIn(dir, BUILD_TOOLS).length > 0;

/** Children of a killed engine (own process groups) go on for a moment: wait until none works in the project. */
export async function buildOrphansGone(dir: string): Promise<void> {
  await waitFor(() => !buildToolRunning(dir), 60_000, 200);
  await sleep(1500); // a pm2 CLI call of the dead engine may still be finishing
}

/** A progress notification whose status is the step (`Step n of 10: <step>`, or `Rollback`) or matches re. */
export function sawProgress(e: EngineClient, step: string | RegExp): boolean {
  return e.notifications.some((n) => {
    if (n.method !== '$/progress') return false;
    const s = String(n.params?.status);
    return typeof step === 'string' ? s === step || s.endsWith(`: ${step}`) : step.test(s);
  });
}

/** Registers the file's MariaDB + demo project (beforeAll/afterAll) and returns what the tests use. */
export function useDeployWire(database: string, extra: Record<string, string> = {}) {
  const kit = {
    p: undefined as unknown as DemoProject,
    engines: [] as EngineClient[],
    /** An engine on the project; env is added to the engine's own environment (test seams) and the session's. */
    async start(env: Record<string, string> = {}): Promise<EngineClient> {
      const e = await EngineClient.start({ cwd: kit.p.dir, env: { ...kit.p.env, ...env } });
      kit.engines.push(e);
      return e;
    },
    progressAt: (e: EngineClient, step: string | RegExp) => waitFor(() => sawProgress(e, step), 240_000, 5),
    /** SIGKILLs the engine and waits until it and the children it left working in the project are gone. */
    async kill(e: EngineClient): Promise<void> {
      e.child.kill('SIGKILL');
      await e.exited;
      await buildOrphansGone(kit.p.dir);
    },
    snapshot: (): Snapshot => ({ tree: kit.p.treeHash(), dump: kit.p.dump() }),
    /** Files and database as before, the lock free, no secret in deployments/ or logs/. */
    expectPutBack(before: Snapshot): void {
      expect(treeDiff(before.tree, kit.p.treeHash())).toEqual([]);
      expect(kit.p.dump()).toBe(before.dump);
      expect(existsSync(lockPath(kit.p.cfg()))).toBe(false);
      kit.noSecretWritten();
    },
    /** No secret value in any journal, report or build log (deployments/, logs/). */
    noSecretWritten: () => expect(filesWithSecrets(kit.p.dir, ['deployments', 'logs'])).toEqual([]),
    noSecretOnTheWire: (...es: EngineClient[]) => {
      for (const e of es) expect(e.stdoutLines.join('\n')).not.toMatch(SECRET_RE);
    },
    /** deploy.get of the newest deployment. */
    async last(e: EngineClient): Promise<Record<string, unknown> & { Id: string; Status: string; FailedStep: string; Error: string; Steps: { Name: string; Status: string; Message: string }[] }> {
      return (await e.call('deploy.get', { path: kit.p.dir, last: 1 })).items![0] as never;
    },
    errorOf: (r: RpcMessage) => r.error?.data?.errorId,
  };
  const stack = useDemoProject(database, async () => {
    for (const e of kit.engines) if (e.child.exitCode === null && e.child.signalCode === null) await e.close();
  }, extra);
  beforeAll(() => {
    kit.p = stack.p;
  });
  return kit;
}
