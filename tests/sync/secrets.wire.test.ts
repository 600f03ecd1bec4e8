/**
 * What becomes a secret: values of secret keys in deployment.config.env and in the apps' real .env files — not
 * the placeholders of an app's .env.example (REVERB_APP_KEY=woosoo-key), which would mask every path and message
 * that happens to contain them (certs/woosoo-key.pem became certs/********.pem).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, ROOT } from '../support/engine';

const REAL = ['demo-Passw0rd#1', 'demo-reverb-secret-0001', 'real-mail-Pw-77'];
const PLACEHOLDERS = ['woosoo-key', 'change-me'];

let dir: string;
let c: EngineClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'woosoo-secrets-'));
  cpSync(join(ROOT, 'examples', 'demo'), dir, { recursive: true });
  // The backend has a real .env: its own secret is one, the placeholder it kept from .env.example is not; the PWA
  // has only its .env.example (placeholders).
  writeFileSync(join(dir, 'apps', 'woosoo-nexus', '.env'), 'APP_KEY=\nMAIL_PASSWORD=real-mail-Pw-77\nREVERB_APP_KEY=woosoo-key\n');
  c = await EngineClient.start({ cwd: dir });
  await c.call('config.sync', { path: dir, whatIf: true });
});
afterAll(async () => {
  await c?.close();
});

describe('secrets learnt from the apps', () => {
  it('a placeholder of .env.example is not a secret: the certificate key path shows whole', async () => {
    const plan = (await c.call('cert.new', { path: dir, plan: true })).items![0];
    expect(plan.KeyPath ?? plan.Command).toContain('woosoo-key.pem');
    expect(JSON.stringify(plan)).not.toContain('********');
  });

  it('real secrets stay masked in results, notifications and errors; placeholders do not', async () => {
    const message = [...REAL, ...PLACEHOLDERS].join(' | ');
    const r = await c.call('test.notify', { message, items: 2 });
    const logs = c.notifications.filter((n) => n.method === '$/log').map((n) => String(n.params!.message)).join('\n');
    const wire = `${JSON.stringify(r)}\n${logs}`;
    for (const s of REAL) expect(wire).not.toContain(s);
    for (const s of PLACEHOLDERS) expect(wire).toContain(s);
    const bad = await c.request('cert.get', { path: dir, files: [`missing-${REAL[2]}.pem`] });
    expect(JSON.stringify(bad)).not.toContain(REAL[2]);
    expect(c.stderr).not.toMatch(new RegExp(REAL.map((s) => s.replace(/[#]/g, '\\$&')).join('|')));
  });
});
