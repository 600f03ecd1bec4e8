// config.set over the wire with `changes` (what Edit-WoosooConfig sends): one Woosoo.ConfigChange with the combined
// diff and one backup; one bad value refuses them all (file byte-identical, no backup); name/value still works; the
// params take either name and value or changes, never both or neither.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { makeProject, type Project } from './fixtures';

let p: Project;
let c: EngineClient;
const file = () => join(p.dir, 'deployment.config.env');
const backups = async () => (await c.call('backup.list', { path: p.dir })).items ?? [];

beforeAll(async () => {
  c = await EngineClient.start();
});
afterAll(async () => {
  await c?.close();
  p?.cleanup();
});
beforeEach(() => {
  p?.cleanup();
  p = makeProject();
});

describe('config.set with changes, over the wire', () => {
  it('sets several keys at once: one ConfigChange, one backup, the secret masked', async () => {
    const r = await c.call('config.set', { path: p.dir, changes: [{ name: 'HTTP_PORT', value: '8090' }, { name: 'REVERB_APP_SECRET', value: 'wire-secret-value-8812' }] });
    expect(r.items).toHaveLength(1);
    const change = r.items![0];
    expect(change).toMatchObject({ $type: 'ConfigChange', Action: 'Update', LinesAdded: 2, LinesRemoved: 2, WhatIf: false });
    expect(change.Diff).toContain('+REVERB_APP_SECRET=********');
    expect(JSON.stringify(r)).not.toContain('wire-secret-value');
    expect(readFileSync(file(), 'utf8')).toContain('REVERB_APP_SECRET=wire-secret-value-8812\n');
    expect((await backups()).map((b) => b.Id)).toEqual([change.BackupId]);
  });

  it('one bad value among good ones: Woosoo.ConfigValueInvalid naming the rule and the fix, nothing written, no backup', async () => {
    const before = readFileSync(file(), 'utf8');
    const r = await c.request('config.set', { path: p.dir, changes: [{ name: 'HTTP_PORT', value: '8090' }, { name: 'BACKEND_PORT', value: '70000' }, { name: 'DB_PASSWORD', value: 'fine-Secret-3390' }] });
    expect(r.error?.data?.errorId).toBe('ConfigValueInvalid');
    expect(r.error?.data?.targetObject).toBe('BACKEND_PORT');
    expect(r.error?.message).toContain('BACKEND_PORT');
    expect(r.error?.message).toContain('Fix:');
    expect(r.error?.data?.recommendedAction).toBeTruthy();
    expect(JSON.stringify(r)).not.toContain('fine-Secret');
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(await backups()).toEqual([]);
  });

  it('name and value still work; either name and value or changes, never both or neither', async () => {
    const one = await c.call('config.set', { path: p.dir, name: 'HTTP_PORT', value: '8095', whatIf: true });
    expect(one.items![0].Diff).toContain('+HTTP_PORT=8095');
    for (const params of [{}, { name: 'HTTP_PORT' }, { value: '1' }, { name: 'HTTP_PORT', value: '8095', changes: [{ name: 'APP_IP', value: '127.0.0.1' }] }, { changes: [] }]) {
      const r = await c.request('config.set', { path: p.dir, whatIf: true, ...params });
      expect(r.error?.code, JSON.stringify(params)).toBe(-32602);
    }
  });
});
