// cert.* over the wire: the real engine, real mkcert with a temporary CAROOT sent in the session's environment.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { hasTool, missingTools, skipUnless } from '../harness/tools';
import { makeProject, type Project } from '../health/fixtures';

describe.skipIf(skipUnless(hasTool('mkcert'), missingTools('mkcert') ?? ''))('cert.* over the wire', () => {
  let engine: EngineClient;
  let project: Project;
  let caRoot: string;

  beforeAll(async () => {
    project = makeProject('wscertw-');
    project.write({ APP_IP: '127.0.0.1', CERT_DOMAINS: 'woosoo.test' });
    caRoot = mkdtempSync(join(tmpdir(), 'wscaroot-'));
    engine = await EngineClient.start({ cwd: project.dir, env: { CAROOT: caRoot } });
  });
  afterAll(async () => {
    await engine?.close();
    project?.cleanup();
    rmSync(caRoot, { recursive: true, force: true });
  });

  it('cert.new plan, then cert.new, cert.get, cert.test', async () => {
    const plan = await engine.call('cert.new', { path: project.dir, plan: true });
    expect(plan.items).toMatchObject([{ $type: 'CertificatePlan', Action: 'Create', Domains: ['127.0.0.1', 'localhost', '::1', 'woosoo.test'], CARoot: caRoot }]);
    expect(readdirSync(project.dir)).not.toContain('certs');

    const made = await engine.call('cert.new', { path: project.dir });
    expect(made.items).toMatchObject([{ $type: 'Certificate', Trusted: true, DnsNames: ['localhost', 'woosoo.test'], IPAddresses: ['127.0.0.1', '::1'] }]);
    expect(engine.stdoutLines.join('\n')).not.toMatch(/PRIVATE KEY/);

    const got = await engine.call('cert.get', {});
    expect(got.items).toHaveLength(1);
    expect(got.items![0]).toMatchObject({ Path: join(project.dir, 'certs', 'woosoo.pem'), KeyPath: join(project.dir, 'certs', 'woosoo-key.pem') });
    expect(typeof got.items![0].NotAfter).toBe('string');
    expect(String(got.items![0].NotAfter)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    expect((await engine.call('cert.test', { path: project.dir, quiet: true })).value).toBe(true);
    const rows = (await engine.call('cert.test', { path: project.dir })).items as { Check: string; Result: string }[];
    expect(rows.map((r) => `${r.Check}:${r.Result}`)).toEqual(['Domain:Passed', 'Expiry:Passed', 'Key:Passed', 'Trust:Passed']);
  });

  it('cert.new again without force: CertificateExists', async () => {
    const r = await engine.request('cert.new', { path: project.dir });
    expect(r.error?.data).toMatchObject({ errorId: 'CertificateExists', category: 'ResourceExists' });
  });

  it('cert.new rejects a domain with spaces or shell characters', async () => {
    const r = await engine.request('cert.new', { path: project.dir, domains: ['ok.test', 'bad name; rm -rf'] , force: true });
    expect(r.error?.data?.errorId).toBe('InvalidParams');
    expect(r.error?.message).toMatch(/params\.domains\.1: must be a host name or an IP address/);
  });

  it('cert.trust plan names the command and runs nothing', async () => {
    const r = await engine.call('cert.trust', { path: project.dir, plan: true });
    expect(r.items).toMatchObject([{ $type: 'CertificateTrust', Installed: false, CARoot: caRoot }]);
    expect(String(r.items![0].Command)).toMatch(/mkcert -install$/);
  });

  it('cert.get of a missing file is a per-item error', async () => {
    const r = await engine.call('cert.get', { path: project.dir, files: ['certs/woosoo.pem', 'certs/nope.pem'] });
    expect(r.items).toHaveLength(1);
    expect(r.errors).toMatchObject([{ data: { errorId: 'CertificateUnreadable', category: 'ReadError' } }]);
  });
});
