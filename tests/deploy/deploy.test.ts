// Deploys of a copy of the demo stack with the real parts: composer, php artisan (Laravel 8 from Debian), npm, a real
// MariaDB (tests/harness/mariadb.ts) and the PM2 service backend (PM2_HOME under the project). Each fault is injected
// for real (a failing build command, a migration that throws, a migration that breaks the health checks) and after
// each failure the project's files and the database must be exactly what they were before the deploy, the lock free,
// the report telling what happened, and no secret in anything Woosoo wrote. In-process: the engine code is called
// directly; the wire tests (kill, Ctrl+C, concurrent deploys) are in wire.test.ts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDeployments } from '../../core/deploy/history';
import { lockPath } from '../../core/deploy/lock';
import { runDeploy } from '../../core/deploy/orchestrator';
import { undoDeploy } from '../../core/deploy/undo';
import { streamingSteps } from '../../core/deploy/methods';
import { listBackups } from '../../core/backup';
import type { DeployOptions, Journal } from '../../core/deploy/journal';
import { WoosooError } from '../../core/kernel/errors';
import type { MariaDb } from '../harness/mariadb';
import { missingTools, skipUnless } from '../harness/tools';
import { filesWithSecrets, migration, SECRETS, treeDiff, type DemoProject, useDemoProject } from './fixture';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';
const OPTIONS: DeployOptions = { scope: 'Full', skipBackup: false, skipBuild: false, skipTests: false, force: false, noRollback: false, parallel: true };
const MIGRATIONS = 'apps/woosoo-nexus/database/migrations';

describe.skipIf(skipUnless(!missing, missing))('Invoke-WoosooDeploy on the demo stack (in-process)', () => {
  const stack = useDemoProject('woosoo_deploy');
  let db: MariaDb;
  let p: DemoProject;
  beforeAll(() => {
    ({ p, db } = stack);
  });

  /** Runs a deploy that must fail; returns its error and journal. */
  async function failingDeploy(opts: Partial<DeployOptions> = {}): Promise<{ err: WoosooError; j: Journal }> {
    const err = await runDeploy(p.cfg(), streamingSteps(p.ctx()), { ...OPTIONS, ...opts }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    return { err: err as WoosooError, j: listDeployments(p.cfg(), { last: 1 })[0] };
  }

  /** What must hold after every failure: same files, same database, lock free, report written, no secret. */
  function expectPutBack(before: { tree: Map<string, string>; dump: string }, j: Journal, failedStep: string) {
    expect(treeDiff(before.tree, p.treeHash())).toEqual([]);
    expect(p.dump()).toBe(before.dump);
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
    expect(j.status).toBe('RolledBack');
    expect(j.failedStep).toBe(failedStep);
    const html = readFileSync(j.htmlReportPath!, 'utf8');
    expect(html).toContain('Failed — rolled back');
    expect(html).toContain(failedStep);
    expect(JSON.parse(readFileSync(j.reportPath!, 'utf8')).status).toBe('RolledBack');
    expect(filesWithSecrets(p.dir, ['deployments', 'logs'])).toEqual([]);
    expect(JSON.stringify(p.notes)).not.toMatch(new RegExp(Object.values(SECRETS).join('|')));
  }

  const snapshot = () => ({ tree: p.treeHash(), dump: p.dump() });

  it('a clean deploy: every step succeeds in order, health passes, report and journal written, lock released, no secret', async () => {
    const j = await runDeploy(p.cfg(), streamingSteps(p.ctx()), OPTIONS);
    expect(j.status).toBe('Succeeded');
    expect(j.steps.map((s) => [s.name, s.status])).toEqual([
      ['Preflight', 'Succeeded'], ['Lock', 'Succeeded'], ['Backup', 'Succeeded'], ['Sync', 'Succeeded'], ['Build', 'Succeeded'],
      ['StopServices', 'Succeeded'], ['PlaceArtifacts', 'Succeeded'], ['StartServices', 'Succeeded'], ['Health', 'Succeeded'], ['Report', 'Succeeded'],
    ]);
    expect(j.backupId).toMatch(/^\d{4}-\d{2}-\d{2}_/);
    expect(j.changed).toContain('+ apps/woosoo-nexus/.env');
    const health = j.details.health as { name: string; status: string; value: unknown; message: string }[];
    // The default gate (DEPLOY_HEALTH_CHECKS): every service, every port, and GET /api/health through nginx and from
    // the backend (artisan serve on BACKEND_PORT) — all passing.
    expect(health.map((c) => c.name)).toEqual([
      'Service woosoo-queue-worker', 'Service woosoo-backend', 'Service woosoo-reverb', 'Service woosoo-nginx',
      'Port HTTP_PORT', 'Port BACKEND_PORT', 'Port REVERB_PORT', 'Port DB_PORT', 'Reverb WebSocket', 'Database',
      'Queue pending', 'Queue failed', 'HTTP via nginx', 'HTTP backend',
    ]);
    expect(health.filter((c) => c.status !== 'Healthy' && c.status !== 'Degraded')).toEqual([]); // Degraded = slow on a busy machine
    for (const name of ['HTTP via nginx', 'HTTP backend']) {
      expect(health.find((c) => c.name === name)).toMatchObject({ value: 200, message: expect.stringMatching(/^200 OK in \d+ ms.*db ok/) });
    }
    expect(existsSync(j.htmlReportPath!)).toBe(true);
    expect(readFileSync(j.htmlReportPath!, 'utf8')).toContain('<h1>Deployment');
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
    // One backup per deploy: the Sync step keeps none of its own (the deploy's holds every sync target), and the
    // retention that ran after it kept this deployment's.
    expect(listBackups(p.cfg()).filter((b) => b.creator === 'Sync-WoosooConfig')).toEqual([]);
    expect(j.details.retention).toMatchObject({ protected: [j.backupId] });
    // Each step was streamed to the pipeline as it ended, as a Woosoo.DeployStep.
    const streamed = p.notes.filter((n) => n.method === '$/items').flatMap((n) => n.params.items as { $type: string; Name: string }[]);
    expect(streamed.map((s) => s.$type)).toEqual(Array(10).fill('DeployStep'));
    expect(streamed.map((s) => s.Name)).toEqual(j.steps.map((s) => s.name));
    expect((await db.query('SELECT COUNT(*) FROM migrations')).trim()).toBe('3');
    expect(filesWithSecrets(p.dir, ['deployments', 'logs'])).toEqual([]);
    p.notes.length = 0;
  }, 240_000);

  it('a failing build: rolled back, files and database as before, DeployFailed names the step, outcome and report', async () => {
    // The build writes a file next to the app's package.json first (as composer install writes a composer.lock).
    const pwa = join(p.dir, 'apps', 'tablet-ordering-pwa');
    writeFileSync(join(pwa, 'make-lock.cjs'), "require('fs').writeFileSync('made-by-build.lock', 'x')\n");
    p.set({ BUILD_PWA_COMMANDS: `'npm ci; node make-lock.cjs; node -e "process.exit(3)"'` });
    const before = snapshot();
    const { err, j } = await failingDeploy();
    expect(err.errorId).toBe('DeployFailed');
    expect(err.targetObject).toBe(j.id);
    expect(err.message).toContain('failed at step Build');
    expect(err.message).toContain('Failed-RolledBack');
    expect(err.message).toContain(j.htmlReportPath);
    expect(j.steps.find((s) => s.name === 'Build')?.message).toContain('exit code 3');
    expectPutBack(before, j, 'Build');
    // The file the build made is not left in the app folder: it is kept with the deployment, named in the outcome.
    expect(existsSync(join(pwa, 'made-by-build.lock'))).toBe(false);
    expect(existsSync(join(p.dir, 'deployments', j.id, 'created-files', 'apps', 'tablet-ordering-pwa', 'made-by-build.lock'))).toBe(true);
    expect(j.steps.find((s) => s.name === 'Rollback')?.message).toContain('apps/tablet-ordering-pwa/made-by-build.lock');
    rmSync(join(pwa, 'make-lock.cjs'));
    p.set({ BUILD_PWA_COMMANDS: "''" });
    p.notes.length = 0;
  }, 240_000);

  it('a failing migration (after it created a table): the database is restored and the new table dropped', async () => {
    const file = join(p.dir, MIGRATIONS, '2024_02_01_000000_broken.php');
    writeFileSync(file, migration('Broken', "        Schema::create('half_done', function (Blueprint $t) { $t->id(); });\n        throw new RuntimeException('migration exploded');"));
    const before = snapshot();
    const { j } = await failingDeploy();
    expect(j.steps.find((s) => s.name === 'Build')?.message).toContain('migration exploded');
    expect(j.databaseMayHaveChanged).toBe(true);
    expectPutBack(before, j, 'Build');
    expect(await db.query("SHOW TABLES LIKE 'half_done'")).toBe('');
    rmSync(file);
    p.notes.length = 0;
  }, 240_000);

  it('a health check failing after the start: rolled back, services running again on the previous state, health passes again', async () => {
    const file = join(p.dir, MIGRATIONS, '2024_02_02_000000_drop_failed_jobs.php');
    writeFileSync(file, migration('DropFailedJobs', "        Schema::drop('failed_jobs');"));
    // The drop would be stopped at Build (migrate --pretend shows it): allowed here, so the deploy reaches Health.
    p.set({ DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: 'true' });
    const before = snapshot();
    const { j } = await failingDeploy();
    expect(j.steps.find((s) => s.name === 'Health')?.message).toContain('Queue failed');
    expect(j.steps.find((s) => s.name === 'Rollback')?.message).toContain('health checks pass again');
    expectPutBack(before, j, 'Health');
    rmSync(file);
    p.set({ DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: 'false' });
    p.notes.length = 0;
  }, 240_000);

  it('-NoRollback leaves a failed deploy as it is (status Failed, lock free); undoDeploy then puts everything back', async () => {
    p.set({ APP_NAME: "'Woosoo Demo NoRollback'", BUILD_PWA_COMMANDS: `'node -e "process.exit(7)"'` });
    const before = snapshot();
    const { err, j } = await failingDeploy({ noRollback: true });
    expect(err.message).toContain('nothing was rolled back');
    expect(j.status).toBe('Failed');
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
    expect(treeDiff(before.tree, p.treeHash())).toContain('apps/woosoo-nexus/.env'); // the new APP_NAME is in place
    const undone = await undoDeploy(p.cfg(), streamingSteps(p.ctx()), j.id);
    expect(undone.status).toBe('RolledBack');
    expectPutBack(before, undone, 'Build');
    await expect(undoDeploy(p.cfg(), streamingSteps(p.ctx()), j.id)).rejects.toThrow(/RolledBack: there is nothing to roll back/);
    p.set({ APP_NAME: "'Woosoo Demo'", BUILD_PWA_COMMANDS: "''" });
    p.notes.length = 0;
  }, 240_000);

  it('a stale lock (its process is gone) is taken over with a warning and released at the end', async () => {
    writeFileSync(lockPath(p.cfg()), JSON.stringify({ host: hostname(), pid: 999_999, user: 'ghost', startedAt: '2026-01-01T00:00:00Z', deployId: '20260101-000000-dead' }));
    const j = await runDeploy(p.cfg(), streamingSteps(p.ctx()), { ...OPTIONS, skipTests: true });
    expect(j.status).toBe('Succeeded');
    const warnings = p.notes.filter((n) => n.method === '$/log' && n.params.level === 'warning').map((n) => String(n.params.message));
    expect(warnings.some((w) => w.includes('Took over a stale deploy lock') && w.includes('999999'))).toBe(true);
    expect(j.steps.find((s) => s.name === 'Lock')?.message).toContain('stale lock');
    expect(existsSync(lockPath(p.cfg()))).toBe(false);
    p.notes.length = 0;
  }, 240_000);

  it('a lock held by a live process refuses the deploy before anything changes', async () => {
    writeFileSync(lockPath(p.cfg()), JSON.stringify({ host: hostname(), pid: process.ppid, user: 'other', startedAt: new Date().toISOString(), deployId: '20260101-000000-beef' }));
    const before = snapshot();
    const { err, j } = await failingDeploy();
    expect(err.message).toContain('Another deploy holds');
    expect(j.failedStep).toBe('Lock');
    expect(j.status).toBe('Failed');
    expect(j.backupId).toBeUndefined();
    expect(treeDiff(before.tree, p.treeHash())).toEqual([]);
    expect(existsSync(lockPath(p.cfg()))).toBe(true); // the other deploy's lock is not ours to remove
    rmSync(lockPath(p.cfg()));
  }, 120_000);
});
