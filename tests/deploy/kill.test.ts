// Fault injection: the real engine (bin/woosoo-engine.cjs) killed with SIGKILL during each step of deploy.run in turn,
// during the automatic rollback of a failed deploy and during deploy.undo itself — against the demo stack with real
// composer/artisan/npm, MariaDB and PM2. Long steps (Backup at its database dump, Build, StopServices, StartServices)
// and the rollbacks (the automatic one while it stops the services, deploy.undo while it imports the database dump)
// are killed in the middle of their real work; short ones (Preflight, Lock after the lock is written, Sync,
// PlaceArtifacts, Health, Report) through the engine's test seam WOOSOO_TEST_HOLD_AT_STEP (core/deploy/context.ts
// holdAtCrashPoint in core/kernel/testseams.ts), a real crash point right after the step's start is journaled. What must hold after each kill is in
// docs/deploy.md (crash points): Preflight leaves nothing; Lock and Backup leave an Interrupted deploy that changed
// nothing (closed without touching anything); from Sync on the next deploy refuses and deploy.undo puts every file and
// the database back byte for byte; Report keeps the decided outcome. Always: the lock free in the end, no secret on
// the wire, in the journals or the reports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backupRoot } from '../../core/backup/layout';
import { deployRoot } from '../../core/deploy/journal';
import { lockPath, readLock } from '../../core/deploy/lock';
import type { EngineClient } from '../support/engine';
import { skipUnless, waitFor } from '../harness/tools';
import { treeDiff } from './fixture';
import { buildToolRunning, missingForDeploy, processesIn, useDeployWire, type Snapshot } from './wire-kit';

const FAST = { skipBuild: true, skipTests: true };

describe.skipIf(skipUnless(!missingForDeploy, missingForDeploy))('the engine killed during a deploy', () => {
  const kit = useDeployWire('woosoo_kill');
  const { start, progressAt, snapshot, expectPutBack, noSecretOnTheWire, noSecretWritten, last, errorOf } = kit;
  const path = () => kit.p.dir;

  /**
   * A deploy (APP_NAME changed first, so Sync has something to change) on an engine that is SIGKILLed when `when`
   * resolves; with `hold`, the engine holds at that crash point (test seam) and is killed as soon as it says so.
   */
  async function killDuring(label: string, opts: { hold?: string; when?: (e: EngineClient) => Promise<unknown>; params?: Record<string, unknown> }) {
    await undoLeftovers();
    kit.p.set({ APP_NAME: `'Woosoo Demo ${label}'` });
    const before = snapshot();
    const a = await start(opts.hold ? { WOOSOO_TEST_HOLD_AT_STEP: opts.hold } : {});
    void a.request('deploy.run', { path: path(), ...opts.params });
    if (opts.hold) await waitFor(() => logged(a, `holding at ${opts.hold} `), 240_000, 20);
    if (opts.when) await opts.when(a);
    await kit.kill(a);
    return { a, before };
  }

  /** A test that failed half-way may have left an interrupted deploy: undo it, so the next test starts clean. */
  async function undoLeftovers() {
    const e = await start();
    if ((await e.call('deploy.get', { path: path(), last: 1 })).items?.some((d) => d.Status === 'Interrupted')) await e.request('deploy.undo', { path: path() });
    await e.close();
  }
  const warnings = (e: EngineClient) => e.notifications.filter((n) => n.method === '$/log' && n.params?.level === 'warning').map((n) => String(n.params?.message));
  const logged = (e: EngineClient, text: string) => warnings(e).some((w) => w.includes(text));
  const services = async (e: EngineClient) => ((await e.call('services.get', { path: path() })).items as { Name: string; Status: string; ProcessId: number | null }[])
    .map((s) => `${s.Name} ${s.Status} ${s.ProcessId}`);

  /** From Sync on: Interrupted at `step`, the next deploy refuses, deploy.undo puts back files and database. */
  async function expectUndone(a: EngineClient, step: string, before: Snapshot) {
    const b = await start();
    const listed = await last(b);
    expect(listed.Status).toBe('Interrupted');
    expect(listed.FailedStep).toBe(step);
    expect(listed.Steps.find((s) => s.Name === step)).toMatchObject({ Status: 'Failed', Message: expect.stringContaining('Interrupted') });
    expect(listed.Error).toContain(`Undo-WoosooDeploy -Id ${listed.Id} completes the rollback`);
    const refused = await b.request('deploy.run', { path: path() });
    expect(errorOf(refused)).toBe('DeployInterruptedFound');
    expect(refused.error?.data?.targetObject).toBe(listed.Id);
    const undone = ((await b.call('deploy.undo', { path: path() })).items as { Id: string; Status: string; ReportPath: string }[])[0];
    expect(undone).toMatchObject({ Id: listed.Id, Status: 'RolledBack' });
    expect(readFileSync(undone.ReportPath, 'utf8')).toContain(`Interrupted during step ${step}`);
    expectPutBack(before);
    noSecretOnTheWire(a, b);
    await b.close();
  }

  it('a clean deploy to start from (services running)', async () => {
    const e = await start();
    const d = (await e.call('deploy.run', { path: path(), skipTests: true })).items![0];
    expect(d.Status).toBe('Succeeded');
    await e.close();
  }, 240_000);

  it('killed during Preflight: no journal, no lock, nothing changed; the next deploy just works', async () => {
    const journals = () => readdirSync(deployRoot(kit.p.cfg())).filter((n) => /^\d{8}-/.test(n)).sort();
    const ids = journals();
    const { a, before } = await killDuring('Preflight', { hold: 'Preflight' });
    expect(journals()).toEqual(ids);
    expectPutBack(before);
    const b = await start();
    const d = (await b.call('deploy.run', { path: path(), ...FAST })).items![0];
    expect(d.Status).toBe('Succeeded');
    expect(warnings(b).filter((w) => /interrupted|stale/i.test(w))).toEqual([]);
    noSecretOnTheWire(a, b);
    await b.close();
  }, 240_000);

  it('killed during Lock (the lock written): Interrupted, nothing changed; deploy.undo only closes it (no service touched) and frees the lock', async () => {
    const probe = await start();
    const running = await services(probe);
    await probe.close();
    const { a, before } = await killDuring('Lock', { hold: 'Lock', params: FAST });
    const b = await start();
    const listed = await last(b);
    expect(listed).toMatchObject({ Status: 'Interrupted', FailedStep: 'Lock', BackupId: '' });
    expect(listed.Error).toContain('It had changed nothing');
    expect(readLock(kit.p.cfg())?.deployId).toBe(listed.Id); // the dead engine's lock, stale
    await b.call('deploy.run', { path: path(), whatIf: true });
    expect(logged(b, `Deployment ${listed.Id} was interrupted before it changed anything: the deploy closes it`)).toBe(true);
    const undone = ((await b.call('deploy.undo', { path: path(), id: listed.Id })).items as { Status: string; Steps: { Name: string; Message: string }[] }[])[0];
    expect(undone.Status).toBe('RolledBack');
    expect(undone.Steps.find((s) => s.Name === 'Rollback')?.Message).toContain('Nothing to roll back: the deploy was interrupted during Lock');
    expect(await services(b)).toEqual(running); // same processes: nothing was stopped or started
    expectPutBack(before);
    noSecretOnTheWire(a, b);
    await b.close();
  }, 240_000);

  it('killed during Backup (at its database dump): Interrupted, nothing changed; the next deploy closes it, takes the stale lock and removes the half backup', async () => {
    const { a, before } = await killDuring('Backup', { params: FAST, when: (e) => progressAt(e, /dumping database/) });
    expect(treeDiff(before.tree, kit.p.treeHash())).toEqual([]);
    expect(kit.p.dump()).toBe(before.dump);
    const root = backupRoot(kit.p.cfg());
    expect(readdirSync(root).some((n) => n.startsWith('.tmp-'))).toBe(true);
    const b = await start();
    const listed = await last(b);
    expect(listed).toMatchObject({ Status: 'Interrupted', FailedStep: 'Backup', BackupId: '' });
    const d = (await b.call('deploy.run', { path: path(), ...FAST })).items![0];
    expect(d.Status).toBe('Succeeded');
    expect(logged(b, `Deployment ${listed.Id} was interrupted during Backup, before it changed anything`)).toBe(true);
    expect(warnings(b).some((w) => w.includes('Took over a stale deploy lock') && w.includes(listed.Id))).toBe(true);
    const closed = (await b.call('deploy.get', { path: path(), id: listed.Id })).items![0] as { Status: string; Steps: { Name: string; Message: string }[] };
    expect(closed.Status).toBe('RolledBack');
    expect(closed.Steps.find((s) => s.Name === 'Rollback')?.Message).toContain('Nothing to roll back');
    expect(readdirSync(root).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(existsSync(lockPath(kit.p.cfg()))).toBe(false);
    noSecretWritten();
    noSecretOnTheWire(a, b);
    await b.close();
  }, 240_000);

  for (const step of ['Sync', 'PlaceArtifacts', 'Health']) {
    it(`killed during ${step} (test seam): Interrupted, the next deploy refuses, deploy.undo puts back files and database`, async () => {
      const { a, before } = await killDuring(step, { hold: step, params: FAST });
      await expectUndone(a, step, before);
    }, 240_000);
  }

  // In the middle of the real work: Build while a build tool (composer, npm, artisan) runs; StopServices once nginx
  // (stopped first, before reverb, the backend and the queue worker) is gone; StartServices once the queue worker
  // (started first) runs again, while the others are still starting.
  const QUEUE = /artisan queue:work/;
  const NGINX = /^nginx: master/;
  const inBuild = () => waitFor(() => buildToolRunning(path()), 60_000, 10);
  const inStop = () => waitFor(() => processesIn(path(), NGINX).length === 0, 60_000, 10);
  const inStart = () => waitFor(() => processesIn(path(), QUEUE).length > 0, 60_000, 10);
  const midWork: [string, () => Promise<unknown>, Record<string, unknown>][] = [
    ['Build', inBuild, { skipTests: true }], ['StopServices', inStop, FAST], ['StartServices', inStart, FAST]];
  for (const [step, then, params] of midWork) {
    it(`killed in the middle of ${step}: Interrupted, the next deploy refuses, deploy.undo puts back files and database`, async () => {
      const { a, before } = await killDuring(step, { params, when: (e) => progressAt(e, step).then(then) });
      await expectUndone(a, step, before);
    }, 300_000);
  }

  it('killed during Report: the outcome was decided and stays (Succeeded, not undoable), the lock is already free', async () => {
    const { a } = await killDuring('Report', { hold: 'Report', params: FAST });
    expect(existsSync(lockPath(kit.p.cfg()))).toBe(false);
    const b = await start();
    const listed = await last(b);
    expect(listed.Status).toBe('Succeeded');
    expect(listed.Steps.find((s) => s.Name === 'Report')).toMatchObject({ Status: 'Failed', Message: expect.stringContaining('Interrupted') });
    expect((await b.call('deploy.undo', { path: path() })).items).toEqual([]);
    expect(errorOf(await b.request('deploy.undo', { path: path(), id: listed.Id }))).toBe('DeploymentNotUndoable');
    noSecretWritten();
    noSecretOnTheWire(a, b);
    await b.close();
  }, 240_000);

  // Within `ms` of the rollback's start: as soon as `cond` holds (or at `ms` if it never does: a machine too fast to see it).
  const inRollback = (e: EngineClient, cond: () => boolean, ms: number) => progressAt(e, 'Rollback').then(() => {
    const t = Date.now() + ms;
    return waitFor(() => cond() || Date.now() > t, ms + 1000, 10);
  });
  const IMPORT = /(^|\/)(mariadb|mysql) .*--batch woosoo_kill\s*$/;

  /** deploy.undo of `id` killed while it imports the database dump; then it is Interrupted, the next deploy refuses, a second undo completes it. */
  async function killUndoThenUndo(id: string, before: Snapshot, ...others: EngineClient[]) {
    const c = await start();
    void c.request('deploy.undo', { path: path(), id });
    await inRollback(c, () => processesIn('/', IMPORT).length > 0, 5000);
    await kit.kill(c);
    const d = await start();
    expect((await last(d))).toMatchObject({ Id: id, Status: 'Interrupted' });
    expect(errorOf(await d.request('deploy.run', { path: path() }))).toBe('DeployInterruptedFound');
    const undone = ((await d.call('deploy.undo', { path: path() })).items as { Id: string; Status: string }[])[0];
    expect(undone).toMatchObject({ Id: id, Status: 'RolledBack' });
    expectPutBack(before);
    noSecretOnTheWire(...others, c, d);
    await d.close();
  }

  it('killed during the automatic rollback of a failed build (stopping the services), then during deploy.undo (importing the dump): a second deploy.undo completes it', async () => {
    kit.p.set({ BUILD_PWA_COMMANDS: `'node -e "process.exit(7)"'` });
    const { a, before } = await killDuring('Rollback', { params: { skipTests: true }, when: (e) => inRollback(e, () => processesIn(path(), NGINX).length === 0, 1500) });
    const b = await start();
    const listed = await last(b);
    expect(listed).toMatchObject({ Status: 'Interrupted', FailedStep: 'Build' });
    expect(listed.Steps.find((s) => s.Name === 'Rollback')).toMatchObject({ Status: 'Failed', Message: expect.stringContaining('Interrupted') });
    expect(errorOf(await b.request('deploy.run', { path: path() }))).toBe('DeployInterruptedFound');
    await b.close();
    await killUndoThenUndo(listed.Id, before, a);
    kit.p.set({ BUILD_PWA_COMMANDS: "''" });
  }, 300_000);

  it('a -NoRollback deploy that failed, its deploy.undo killed while importing the dump: Interrupted (no longer Failed), the next deploy refuses, a second deploy.undo completes it', async () => {
    await undoLeftovers();
    kit.p.set({ APP_NAME: "'Woosoo Demo NoRollback'", BUILD_PWA_COMMANDS: `'node -e "process.exit(7)"'` });
    const before = snapshot();
    const a = await start();
    const failed = await a.request('deploy.run', { path: path(), noRollback: true, skipTests: true });
    expect(errorOf(failed)).toBe('DeployFailed');
    const id = String(failed.error?.data?.targetObject);
    expect(await last(a)).toMatchObject({ Id: id, Status: 'Failed' });
    await a.close();
    await killUndoThenUndo(id, before, a);
    kit.p.set({ BUILD_PWA_COMMANDS: "''" });
  }, 300_000);
});
