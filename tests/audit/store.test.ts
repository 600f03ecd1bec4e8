/**
 * The audit trail's writer and the engine log's rotation, as units: four processes append 200 lines each through the
 * real writer at once and every line parses, the count exact (no torn lines); lines that do not parse are reported
 * with file and line; the engine log rotates by size and keeps ENGINE_LOG_KEEP files; which calls get a line, and the
 * parameters' masking (secret names, a secret key's value, registered secrets).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEntry, maskParameters } from '../../core/audit/entry';
import { appendEntry, auditFiles, readEntries } from '../../core/audit/store';
import { appendLogLine, engineLogFiles } from '../../core/engine/log';
import { WoosooError } from '../../core/kernel/errors';
import type { CallRecord } from '../../core/kernel/call';
import { MASK, registerSecret } from '../../core/util/redact';

const dir = mkdtempSync(join(tmpdir(), 'woosoo-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (command: string, i: number, pad = '') => ({
  time: new Date(Date.UTC(2026, 1, 15, 14, 30, 0, i)).toISOString(), user: 'admin', host: 'h', command, method: 'config.set',
  parameters: { Index: i, Pad: pad }, whatIf: false, outcome: 'Succeeded' as const, durationMs: 1, pid: 1,
});

describe('the audit writer', () => {
  it('keeps lines whole when four processes append 200 lines each at once', async () => {
    const bundle = join(dir, 'store.cjs');
    buildSync({ entryPoints: [join(__dirname, '../../core/audit/store.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const root = join(dir, 'concurrent');
    // Lines of ~6 KB: well past a pipe's atomic size, so a writer that split its line would show torn ones.
    const child = (n: number) => `const { appendEntry } = require(${JSON.stringify(bundle)});
      for (let i = 0; i < 200; i++) appendEntry(${JSON.stringify(root)}, { time: '2026-02-15T14:30:00.000Z', user: 'u', host: 'h', command: 'W${n}',
        method: 'm', parameters: { i, pad: '${String(n).repeat(6000)}' }, whatIf: false, outcome: 'Succeeded', durationMs: 0, pid: process.pid });`;
    await Promise.all([1, 2, 3, 4].map((n) => new Promise<void>((resolve, reject) => {
      const p = spawn(process.execPath, ['-e', child(n)], { stdio: 'inherit' });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${n} exited ${code}`))));
    })));
    const files = auditFiles(root);
    expect(files.map((f) => f.slice(-19))).toEqual(['audit-2026-02.jsonl']);
    const { entries, bad } = readEntries(files);
    expect(bad).toEqual([]);
    expect(entries).toHaveLength(800);
    for (const n of [1, 2, 3, 4]) {
      const mine = entries.filter((e) => e.command === `W${n}`);
      expect(mine.map((e) => e.parameters.i)).toEqual([...Array(200).keys()]);
      expect(mine.every((e) => e.parameters.pad === String(n).repeat(6000))).toBe(true);
    }
  });

  it('files by UTC month, reads across months, and reports a bad line with its file and number', () => {
    const root = join(dir, 'months');
    appendEntry(root, entry('A', 1));
    appendEntry(root, { ...entry('B', 2), time: '2026-03-01T00:00:00.000Z' });
    const march = auditFiles(root)[1];
    writeFileSync(march, `${readFileSync(march, 'utf8')}not json\n{"time":"2026-03-02T00:00:00Z"}\n`);
    expect(auditFiles(root).map((f) => f.slice(-19))).toEqual(['audit-2026-02.jsonl', 'audit-2026-03.jsonl']);
    expect(auditFiles(root, new Date('2026-03-01T00:00:00Z'))).toEqual([march]);
    const { entries, bad } = readEntries(auditFiles(root));
    expect(entries.map((e) => e.command)).toEqual(['A', 'B']);
    expect(bad).toEqual([
      { file: march, line: 2, reason: 'is not JSON' },
      { file: march, line: 3, reason: 'is not an audit entry (time, command, outcome missing)' },
    ]);
  });
});

describe('the engine log rotation', () => {
  it('rotates by size and keeps only `keep` old files, newest first', () => {
    const file = join(dir, 'rot', 'logs', 'woosoo', 'engine.log');
    for (let i = 0; i < 60; i++) appendLogLine(file, `line ${String(i).padStart(3, '0')} ${'x'.repeat(80)}`, { maxBytes: 1000, keep: 2 });
    expect(readdirSync(join(dir, 'rot', 'logs', 'woosoo')).sort()).toEqual(['engine.1.log', 'engine.2.log', 'engine.log']);
    const files = engineLogFiles(file, 2);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(1000);
    expect(readFileSync(files[0], 'utf8').trim().split('\n').pop()).toMatch(/^line 059 /);
    const numbers = files.reverse().flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => Number(l.slice(5, 8))));
    expect(numbers).toEqual([...Array(numbers.length).keys()].map((k) => 60 - numbers.length + k));
    // A smaller keep later drops the older files.
    for (let i = 0; i < 10; i++) appendLogLine(file, `more ${'y'.repeat(90)}`, { maxBytes: 1000, keep: 1 });
    expect(readdirSync(join(dir, 'rot', 'logs', 'woosoo')).sort()).toEqual(['engine.1.log', 'engine.log']);
  });
});

describe('which calls get a line, and the masking', () => {
  const call = (over: Partial<CallRecord>): CallRecord => ({
    method: 'config.set', params: {}, caller: { command: 'Set-WoosooConfig', parameters: {}, whatIf: false },
    session: { env: {}, cwd: dir }, startedAt: Date.now(), durationMs: 5, ...over,
  });

  it('audits state-changing calls with a caller; not readers, callerless calls or the plan of a real run', () => {
    expect(auditEntry(call({}))?.outcome).toBe('Succeeded');
    expect(auditEntry(call({ caller: undefined }))).toBeUndefined();
    expect(auditEntry(call({ method: 'backup.list' }))).toBeUndefined();
    expect(auditEntry(call({ params: { whatIf: true } }))).toBeUndefined();
    expect(auditEntry(call({ method: 'cert.new', params: { plan: true } }))).toBeUndefined(); // the certificates' plan flag
    expect(auditEntry(call({ params: { whatIf: true }, caller: { command: 'Set-WoosooConfig', whatIf: true } }))).toMatchObject({ whatIf: true, outcome: 'Succeeded' });
    const refused = new WoosooError('ConfigValueInvalid', 'BACKEND_PORT must be a port', { category: 'InvalidData' });
    expect(auditEntry(call({ params: { whatIf: true }, error: refused }))).toMatchObject({ whatIf: false, outcome: 'Refused', errorId: 'ConfigValueInvalid' });
    expect(auditEntry(call({ error: new WoosooError('DeployFailed', 'composer failed', { category: 'InvalidResult' }) }))?.outcome).toBe('Failed');
    expect(auditEntry(call({ result: { items: [{ $type: 'Deployment', Id: '20260215-143000-a1b2', BackupId: '2026-02-15_14-30-00' }] } })))
      .toMatchObject({ deploymentId: '20260215-143000-a1b2', backupId: '2026-02-15_14-30-00' });
    expect(auditEntry(call({ method: 'audit.write', params: { outcome: 'Declined' } }))).toMatchObject({ outcome: 'Declined', method: '' });
  });

  it('masks secret names, the value of a secret key and every registered secret', () => {
    expect(maskParameters({ Name: 'DB_PASSWORD', Value: 'plain-Secret-1', Path: 'p' })).toEqual({ Name: 'DB_PASSWORD', Value: MASK, Path: 'p' });
    expect(maskParameters({ Name: 'HTTP_PORT', Value: '8090' })).toEqual({ Name: 'HTTP_PORT', Value: '8090' });
    expect(maskParameters({ Passphrase: 'x', ApiToken: 'y', Description: '' })).toEqual({ Passphrase: MASK, ApiToken: MASK, Description: '' });
    registerSecret('registered-Secret-8812');
    const e = auditEntry(call({ caller: { command: 'New-WoosooBackup', parameters: { Description: 'before registered-Secret-8812 rotation' } } }));
    expect(JSON.stringify(e)).not.toContain('registered-Secret-8812');
    expect(e?.parameters.Description).toBe(`before ${MASK} rotation`);
  });
});
