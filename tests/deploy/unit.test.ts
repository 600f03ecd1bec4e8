// Unit tests of the deploy's parts that need no stack: the lock (exclusive, stale takeover, other hosts), the
// journal (atomic, masked, ids), interrupted detection, the HTML report's escaping, the webhook (a real local HTTP
// server) and the plan of each scope.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadValidProject, type ProjectConfig } from '../../core/config';
import { runStep } from '../../core/deploy/context';
import { holdAtCrashPoint } from '../../core/kernel/testseams';
import { changedProject, effectiveStatus, needsRollback } from '../../core/deploy/history';
import { toDeployment } from '../../core/deploy/methods';
import { checkDeployId, DEPLOY_ID_RE, endStep, journalPath, newDeployId, newJournal, readJournal, startStep, writeJournal, type DeployOptions, type Journal } from '../../core/deploy/journal';
import { acquireLock, lockPath, releaseLock, staleReason } from '../../core/deploy/lock';
import { reportStep } from '../../core/deploy/orchestrator';
import { renderHtml, writeReport } from '../../core/deploy/report';
import { checkUndoable, closeUnchanged, undoDeploy } from '../../core/deploy/undo';
import { RequestContext } from '../../core/kernel/context';
import { deployPlan } from '../../core/deploy/steps';
import { notifyWebhook } from '../../core/deploy/webhook';
import { WoosooError } from '../../core/kernel/errors';
import { DURATION_RE, duration } from '../../core/kernel/method';
import { registerSecret } from '../../core/util/redact';

const OPTIONS: DeployOptions = { scope: 'Full', skipBackup: false, skipBuild: false, skipTests: false, force: false, noRollback: false, parallel: true };
const SECRET = 'unit-Secret-Pw#9917';
const env = process.env as Record<string, string>;

let dir: string;
let cfg: ProjectConfig;
const logs: string[] = [];
const ctx = { env, log: (_l: string, m: string) => logs.push(m) };

function project(extra: string[] = []): ProjectConfig {
  writeFileSync(join(dir, 'deployment.config.env'), [
    'ENVIRONMENT=production', 'APP_IP=127.0.0.1', 'DB_HOST=127.0.0.1', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', `DB_PASSWORD='${SECRET}'`,
    'REVERB_APP_KEY=unit-reverb-key', 'REVERB_APP_SECRET=unit-reverb-secret', ...extra, '',
  ].join('\n'));
  return loadValidProject(dir, { env, cwd: dir });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsdeploy-unit-'));
  cfg = project();
  logs.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the deploy lock', () => {
  it('is exclusive: a second taker is refused with DeployLocked naming the holder, and nothing is overwritten', () => {
    acquireLock(cfg, ctx, '20261122-030000-aaaa');
    const err = (() => { try { acquireLock(cfg, ctx, '20261122-030001-bbbb'); } catch (e) { return e; } return null; })() as WoosooError;
    expect(err.errorId).toBe('DeployLocked');
    expect(err.category).toBe('ResourceBusy');
    expect(err.message).toContain('20261122-030000-aaaa');
    expect(JSON.parse(readFileSync(lockPath(cfg), 'utf8')).deployId).toBe('20261122-030000-aaaa');
    releaseLock(cfg, '20261122-030001-bbbb'); // not the holder: must not release
    expect(existsSync(lockPath(cfg))).toBe(true);
    releaseLock(cfg, '20261122-030000-aaaa');
    expect(existsSync(lockPath(cfg))).toBe(false);
  });

  it('a lock whose process is gone on this host is taken over with a warning', () => {
    acquireLock(cfg, ctx, '20261122-030000-aaaa');
    const stale = { ...JSON.parse(readFileSync(lockPath(cfg), 'utf8')), pid: 999_999 };
    writeFileSync(lockPath(cfg), JSON.stringify(stale));
    const taken = acquireLock(cfg, ctx, '20261122-030002-cccc');
    expect(taken?.pid).toBe(999_999);
    expect(logs.join('\n')).toMatch(/Took over a stale deploy lock .*999999.*is gone/);
    expect(JSON.parse(readFileSync(lockPath(cfg), 'utf8')).deployId).toBe('20261122-030002-cccc');
  });

  it('a lock from another host is stale only after DEPLOY_LOCK_STALE_MINUTES', () => {
    cfg = project(['DEPLOY_LOCK_STALE_MINUTES=30']);
    const lock = { host: 'other-server', pid: 1, user: 'x', deployId: 'd' };
    expect(staleReason(cfg, { ...lock, startedAt: new Date(Date.now() - 10 * 60_000).toISOString() })).toBeNull();
    expect(staleReason(cfg, { ...lock, startedAt: new Date(Date.now() - 31 * 60_000).toISOString() })).toContain('DEPLOY_LOCK_STALE_MINUTES');
  });
});

describe('the journal', () => {
  it('is written atomically (no temp file left), masks secrets, and reads back', () => {
    registerSecret(SECRET);
    const j = newJournal(cfg, newDeployId(), OPTIONS, env);
    j.error = `connect failed for password ${SECRET}`;
    writeJournal(cfg, j);
    const text = readFileSync(journalPath(cfg, j.id), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(readdirSync(join(dir, 'deployments', j.id))).toEqual(['journal.json']);
    expect(readJournal(cfg, j.id).id).toBe(j.id);
  });

  it('a Running journal whose process is gone is Interrupted; bad ids are refused', () => {
    const j = { ...newJournal(cfg, newDeployId(), OPTIONS, env), pid: 999_999 };
    expect(effectiveStatus(j)).toBe('Interrupted');
    expect(effectiveStatus({ ...j, host: 'elsewhere' })).toBe('Running');
    expect(effectiveStatus({ ...j, status: 'RolledBack' })).toBe('RolledBack');
    expect(() => checkDeployId('../../etc')).toThrow(/not a deployment id/);
    expect(newDeployId()).toMatch(DEPLOY_ID_RE);
  });

  it('sends durations as ISO-8601 "PT<seconds>S" (the module makes any such string a [timespan]), the nested steps\' too', () => {
    expect([duration(12_345.4), duration(0), duration(-5), duration(Number.NaN), duration(7_200_000)]).toEqual(['PT12.345S', 'PT0.000S', 'PT0.000S', 'PT0.000S', 'PT7200.000S']);
    const j = newJournal(cfg, newDeployId(), OPTIONS, env);
    const step = startStep(j, 'Preflight');
    endStep(step, 'Succeeded', 'ok');
    j.status = 'Succeeded';
    j.endedAt = new Date(Date.parse(j.startedAt) + 1500).toISOString();
    const d = toDeployment(j);
    expect(d.Duration).toBe('PT1.500S');
    expect(d.Steps.map((s) => s.Duration).every((x) => DURATION_RE.test(x))).toBe(true);
  });
});

describe('the HTML report', () => {
  it('escapes every value and is self-contained (no script, no external resource)', () => {
    const j = newJournal(cfg, '20261122-030000-abcd', OPTIONS, env);
    j.status = 'RolledBack';
    j.error = '<script>alert("x")</script> & \'quotes\'';
    j.steps.push({ name: 'Build', status: 'Failed', startedAt: j.startedAt, endedAt: j.startedAt, durationMs: 0, message: '<img src=x onerror=alert(1)>', outputLog: '/logs/"a"' });
    const html = renderHtml(j);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).toContain('Failed — rolled back');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });
  it('lists the health results of the journal, as written now (camelCase) and by journals from before (PascalCase)', () => {
    const j = newJournal(cfg, '20261122-030000-abce', OPTIONS, env);
    j.details.health = [
      { category: 'Service', name: 'Service woosoo-backend', status: 'Healthy', message: 'up <1 s>', time: new Date() },
      { Category: 'Resource', Name: 'Port HTTP_PORT', Status: 'Unhealthy', Message: 'nothing listens' },
    ];
    const html = renderHtml(j);
    expect(html).toContain('<tr><td>Service woosoo-backend</td><td>Healthy</td><td>up &lt;1 s&gt;</td></tr>');
    expect(html).toContain('<tr><td>Port HTTP_PORT</td><td>Unhealthy</td><td>nothing listens</td></tr>');
  });
  it('shows its own Report step with its real outcome, not Running', async () => {
    const j = newJournal(cfg, '20261122-030000-abcf', { ...OPTIONS, reportPath: join(dir, 'copy', 'report.json') }, env);
    j.status = 'Succeeded';
    await reportStep(cfg, new RequestContext(1, { env, cwd: dir }, new AbortController().signal, () => {}), j);
    const step = j.steps.find((s) => s.name === 'Report')!;
    expect(step).toMatchObject({ status: 'Succeeded', message: `Report ${j.htmlReportPath}.` });
    for (const file of [j.reportPath!, join(dir, 'copy', 'report.json')]) {
      expect(JSON.parse(readFileSync(file, 'utf8')).steps).toEqual([JSON.parse(JSON.stringify(step))]);
    }
    const html = readFileSync(j.htmlReportPath!, 'utf8');
    expect(html).not.toContain('Running');
    expect(html).toContain(`<td>Report</td><td style="color:#2e7d32">Succeeded</td>`);
  });
  it('is written whole (temp file + rename): the report folder holds <id>.json and <id>.html and nothing else', () => {
    const j = newJournal(cfg, '20261122-030000-abce', OPTIONS, env);
    const paths = writeReport(cfg, j);
    expect(readdirSync(join(dir, 'logs', 'deployment')).sort()).toEqual(['20261122-030000-abce.html', '20261122-030000-abce.json']);
    expect(JSON.parse(readFileSync(paths.json, 'utf8')).id).toBe(j.id);
  });
});

describe('the webhook', () => {
  it('POSTs the outcome as JSON without secrets; a failing URL is a warning that does not show the URL', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push(body); res.end('ok'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    cfg = project([`DEPLOY_WEBHOOK_URL=http://127.0.0.1:${port}/hook?token=tok-123456`]);
    registerSecret(SECRET);
    const j = newJournal(cfg, '20261122-030000-abcd', OPTIONS, env);
    j.status = 'RolledBack';
    j.error = `db said ${SECRET}`;
    expect(await notifyWebhook(cfg, ctx, j)).toBe(true);
    server.close();
    const payload = JSON.parse(received[0]);
    expect(payload).toMatchObject({ event: 'woosoo.deployment', id: j.id, status: 'RolledBack', scope: 'Full' });
    expect(received[0]).not.toContain(SECRET);

    cfg = project([`DEPLOY_WEBHOOK_URL=http://127.0.0.1:${port}/hook?token=tok-123456`]);
    expect(await notifyWebhook(cfg, ctx, j)).toBe(false); // server closed
    expect(logs.join('\n')).toContain('DEPLOY_WEBHOOK_URL');
    expect(logs.join('\n')).not.toContain('tok-123456');
  });
});

describe('the plan (-WhatIf)', () => {
  it('blue/green (the default): twelve steps for Full, Backend and Pwa, the idle colour started on its ports and the live one stopped; Relay builds in place', () => {
    for (const scope of ['Full', 'Backend', 'Pwa'] as const) {
      expect(deployPlan(cfg, { ...OPTIONS, scope }, env).map((s) => s.name)).toEqual(
        ['Preflight', 'Lock', 'Backup', 'Release', 'Sync', 'Build', 'StartRelease', 'CheckRelease', 'Cutover', 'Health', 'StopPrevious', 'Report']);
    }
    expect(deployPlan(cfg, { ...OPTIONS, scope: 'Relay' }, env).map((s) => s.name)).toContain('PlaceArtifacts');
    // An app folder missing is said as it is (the old plan rewrote the path in the message to the release's).
    const blocked = deployPlan(cfg, OPTIONS, env).find((s) => s.name === 'Build')!.commands.join('\n');
    expect(blocked).toContain(`blocked: BACKEND_PATH points to ${join(dir, 'apps', 'woosoo-nexus')}, which does not exist`);
    // The apps checked out (the builds are planned on their folders, then run in the release).
    mkdirSync(join(dir, 'apps', 'woosoo-nexus'), { recursive: true });
    mkdirSync(join(dir, 'apps', 'tablet-ordering-pwa'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'tablet-ordering-pwa', 'package.json'), '{"scripts":{"build":"nuxt build"}}');
    const plan = deployPlan(cfg, OPTIONS, env);
    const step = (n: string) => plan.find((s) => s.name === n)!;
    // Nothing deployed yet: blue (the app folders) is live, so green is built and started on 8100/8180.
    expect(step('StartRelease').commands).toEqual(['start woosoo-queue-worker-green', 'start woosoo-backend-green', 'start woosoo-reverb-green']);
    expect(step('StartRelease').description).toContain('backend 8100, Reverb 8180');
    expect(step('StopPrevious').commands).toEqual(['stop woosoo-queue-worker', 'stop woosoo-backend', 'stop woosoo-reverb']);
    expect(step('Build').commands.join('\n')).toContain(join('releases', '<id>', 'backend'));
    // Every build runs in the release, none in the app folders (which stay the live blue's).
    const ran = step('Build').commands.filter((l) => l.includes('(in '));
    expect(ran.length).toBeGreaterThan(1);
    for (const l of ran) expect(l).toMatch(new RegExp(`\\(in ${join(dir, 'releases', '<id>').replace(/[\\/.]/g, '.')}.(backend|pwa)\\) `));
    expect(existsSync(join(dir, 'deployments'))).toBe(false);
    expect(existsSync(join(dir, 'releases'))).toBe(false);
  });

  it('in place: the ten steps for every scope; Relay stops no service and checks no health; -SkipBackup says no rollback', () => {
    cfg = project(['DEPLOY_STRATEGY=InPlace']);
    for (const scope of ['Full', 'Backend', 'Pwa', 'Relay'] as const) {
      const plan = deployPlan(cfg, { ...OPTIONS, scope }, env);
      expect(plan.map((s) => s.name)).toEqual(['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report']);
    }
    const relay = deployPlan(cfg, { ...OPTIONS, scope: 'Relay' }, env);
    expect(relay.find((s) => s.name === 'StopServices')!.commands).toEqual([]);
    const backend = deployPlan(cfg, { ...OPTIONS, scope: 'Backend' }, env);
    expect(backend.find((s) => s.name === 'StopServices')!.commands.join('\n')).toMatch(/queue:restart[\s\S]*stop woosoo-reverb\nstop woosoo-backend\nstop woosoo-queue-worker$/);
    expect(deployPlan(cfg, { ...OPTIONS, skipBackup: true }, env).find((s) => s.name === 'Backup')!.description).toContain('no rollback');
    expect(existsSync(join(dir, 'deployments'))).toBe(false);
  });
});

/** A journal of an engine that is gone (PID 999999), with these steps (the last one as given, the others Succeeded). */
function goneJournal(steps: string[], last: 'Running' | 'Failed' = 'Running', status: Journal['status'] = 'Running'): Journal {
  const j = { ...newJournal(cfg, newDeployId(), OPTIONS, env), pid: 999_999, status };
  for (const [i, name] of steps.entries()) {
    const s = startStep(j, name as never);
    if (i < steps.length - 1) endStep(s, 'Succeeded', 'ok');
    else if (last === 'Failed') endStep(s, 'Failed', 'it failed');
  }
  writeJournal(cfg, j);
  return j;
}

describe('what an interrupted or failed deploy left to undo', () => {
  it('Preflight, Lock and Backup change nothing; from Sync on (a skipped step does not count) the project may have changed', () => {
    expect(changedProject(goneJournal(['Preflight', 'Lock']))).toBe(false);
    expect(changedProject(goneJournal(['Preflight', 'Lock', 'Backup']))).toBe(false);
    expect(changedProject(goneJournal(['Preflight', 'Lock', 'Backup', 'Sync']))).toBe(true);
    const skipped = goneJournal(['Preflight', 'Lock', 'Backup', 'Sync']);
    skipped.steps[3].status = 'Skipped';
    expect(changedProject(skipped)).toBe(false);
    expect(needsRollback(goneJournal(['Preflight', 'Lock', 'Backup', 'Sync', 'Build']))).toBe(true);
    expect(needsRollback(goneJournal(['Preflight'], 'Failed', 'Failed'))).toBe(false);
  });

  it('deploy.get shows a gone engine\'s Running step as Failed (interrupted) and says whether there is anything to roll back', () => {
    const early = toDeployment(goneJournal(['Preflight', 'Lock']));
    expect(early).toMatchObject({ Status: 'Interrupted', FailedStep: 'Lock' });
    expect(early.Error).toContain('It had changed nothing');
    expect(early.Steps[1]).toMatchObject({ Name: 'Lock', Status: 'Failed', Message: expect.stringContaining('Interrupted') });
    const late = goneJournal(['Preflight', 'Lock', 'Backup', 'Sync', 'Build']);
    late.backupId = '2026-11-22_0500-01';
    expect(toDeployment(late).Error).toContain(`Undo-WoosooDeploy -Id ${late.id} completes the rollback from backup 2026-11-22_0500-01`);
    // A succeeded deploy killed while writing its report keeps its outcome.
    const reported = toDeployment(goneJournal(['Preflight', 'Lock', 'Backup', 'Sync', 'Build', 'StopServices', 'PlaceArtifacts', 'StartServices', 'Health', 'Report'], 'Running', 'Succeeded'));
    expect(reported).toMatchObject({ Status: 'Succeeded', Error: '' });
    expect(reported.Steps[9]).toMatchObject({ Name: 'Report', Status: 'Failed' });
  });

  it('a failed deploy that changed nothing is not undoable (no service is touched); an interrupted one that changed nothing is only closed', async () => {
    const failed = goneJournal(['Preflight'], 'Failed', 'Failed');
    expect(() => checkUndoable(failed)).toThrow(/before it changed anything: there is nothing to roll back/);
    const j = goneJournal(['Preflight', 'Lock', 'Backup']);
    writeFileSync(lockPath(cfg), JSON.stringify({ host: j.host, pid: 999_999, user: 'ghost', startedAt: j.startedAt, deployId: j.id }));
    const c = new RequestContext(1, { env, cwd: dir }, new AbortController().signal, () => {});
    const undone = await undoDeploy(cfg, c, j.id);
    expect(undone.status).toBe('RolledBack');
    expect(undone.steps.map((s) => [s.name, s.status])).toEqual([['Preflight', 'Succeeded'], ['Lock', 'Succeeded'], ['Backup', 'Failed'], ['Rollback', 'Succeeded']]);
    expect(undone.error).toContain('Interrupted during step Backup');
    expect(readJournal(cfg, j.id).status).toBe('RolledBack');
    expect(existsSync(undone.htmlReportPath!)).toBe(true);
    expect(existsSync(lockPath(cfg))).toBe(false);
    expect(() => checkUndoable(undone)).toThrow(WoosooError);
    expect(closeUnchanged(cfg, goneJournal(['Preflight', 'Lock']), 'a test').steps.at(-1)?.message).toContain('Nothing to roll back: the deploy was interrupted during Lock');
  });
});

describe('the step runner', () => {
  it('journal: false (Preflight) writes no journal; the test seam does nothing unless both variables are set', async () => {
    const j = newJournal(cfg, newDeployId(), OPTIONS, env);
    const c = new RequestContext(1, { env, cwd: dir }, new AbortController().signal, () => {});
    await runStep(cfg, c, j, 'Preflight', async () => ({ message: 'ok' }), { journal: false });
    expect(existsSync(journalPath(cfg, j.id))).toBe(false);
    await runStep(cfg, c, j, 'Lock', async () => ({ message: 'ok' }));
    expect(readJournal(cfg, j.id).steps.map((s) => s.name)).toEqual(['Preflight', 'Lock']);
    const saved = process.env.WOOSOO_TEST_HOLD_AT_STEP;
    process.env.WOOSOO_TEST_HOLD_AT_STEP = 'Sync'; // without WOOSOO_ENGINE_TEST_METHODS=1: no hold
    const testMethods = process.env.WOOSOO_ENGINE_TEST_METHODS;
    delete process.env.WOOSOO_ENGINE_TEST_METHODS;
    try {
      await expect(holdAtCrashPoint(c, 'Sync')).resolves.toBeUndefined();
      // With both, it holds until cancelled.
      process.env.WOOSOO_ENGINE_TEST_METHODS = '1';
      const abort = new AbortController();
      const held = holdAtCrashPoint(new RequestContext(2, { env, cwd: dir }, abort.signal, () => {}), 'Sync');
      abort.abort(new Error('cancelled by the test'));
      await expect(held).rejects.toThrow('cancelled by the test');
    } finally {
      if (saved === undefined) delete process.env.WOOSOO_TEST_HOLD_AT_STEP;
      else process.env.WOOSOO_TEST_HOLD_AT_STEP = saved;
      if (testMethods === undefined) delete process.env.WOOSOO_ENGINE_TEST_METHODS;
      else process.env.WOOSOO_ENGINE_TEST_METHODS = testMethods;
    }
  });
});
