/**
 * A value of the wrong type in deployment.config.env (HTTP_PORT=80x88) is the user's to fix: every method that
 * loads the configuration refuses it with the same Woosoo.ConfigInvalid naming the file, key and line and the fix —
 * never InvalidResult ("a bug in Woosoo") from a NaN, never a key silently missing from Get-WoosooConfig.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, ROOT } from '../support/engine';

let dir: string;
let file: string;
let c: EngineClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'woosoo-badvalue-'));
  cpSync(join(ROOT, 'examples', 'demo'), dir, { recursive: true });
  file = join(dir, 'deployment.config.env');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^HTTP_PORT=8088$/m, 'HTTP_PORT=80x88'));
  c = await EngineClient.start({ cwd: dir });
});
afterAll(async () => {
  await c?.close();
});

const line = () => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('HTTP_PORT=')) + 1;

describe('a value of the wrong type', () => {
  it.each([
    ['config.get', {}], ['config.get', { names: ['HTTP_*'] }], ['services.get', {}], ['logs.get', {}],
    ['health.get', {}], ['deploy.get', {}], ['build.run', { whatIf: true }], ['config.sync', { whatIf: true }],
  ])('%s %j fails with ConfigInvalid naming the file, key, line and fix', async (method, params) => {
    const r = await c.request(method, { path: dir, ...params });
    expect(r.result).toBeUndefined();
    expect(r.error?.data).toMatchObject({ errorId: 'ConfigInvalid', category: 'InvalidData', targetObject: file });
    expect(r.error?.message).toContain(file);
    expect(r.error?.message).toContain(`HTTP_PORT (line ${line()})`);
    expect(r.error?.message).toContain('Fix: Set HTTP_PORT to a valid value (port)');
    expect(r.error?.message).not.toMatch(/bug in Woosoo/i);
    expect(r.error?.data?.recommendedAction).toMatch(/Test-WoosooConfig/);
  });

  it('config.test and preflight.run still report it as a problem instead of failing', async () => {
    const t = await c.call('config.test', { path: dir });
    expect(t.items).toEqual(expect.arrayContaining([expect.objectContaining({ Key: 'HTTP_PORT', Rule: 'Type', Line: line() })]));
    const p = await c.call('preflight.run', { path: dir, categories: ['Configuration'] });
    expect(p.items).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'Type HTTP_PORT', Status: 'Fail' })]));
  });
});
