// Certificates with the real mkcert and a temporary CAROOT (never `mkcert -install`, never the machine's trust
// store); expired, expiring and mismatched certificates signed for the test with the real openssl CLI.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type ProjectConfig } from '../../core/config';
import {
  certificateChecks, getCertificates, installTrust, newCertificate, planNewCertificate, testCertificates,
} from '../../core/certs';
import { findMkcert } from '../../core/certs/mkcert';
import { WoosooError } from '../../core/kernel/errors';
import { makeProject, type Project } from '../health/fixtures';
import { hasTool, missingTools, skipUnless, which } from '../harness/tools';
import { selfSigned, signWithCa } from './openssl';

const DAY = 86_400_000;

describe.skipIf(skipUnless(hasTool('mkcert', 'openssl'), missingTools('mkcert', 'openssl') ?? ''))('certificates', () => {
  let project: Project;
  let caRoot: string;
  let env: Record<string, string>;
  const ctx = () => ({ env, signal: new AbortController().signal });
  const load = (values: Record<string, string | number> = {}): ProjectConfig => {
    project.write({ APP_IP: '127.0.0.1', ...values });
    return loadProject(project.dir, { env, cwd: project.dir });
  };
  const certsDir = () => join(project.dir, 'certs');
  const rowsOf = (rows: { check: string; result: string }[]) => Object.fromEntries(rows.map((r) => [r.check, r.result]));

  beforeAll(() => {
    project = makeProject('wscerts-');
    caRoot = mkdtempSync(join(tmpdir(), 'wscaroot-'));
    env = { ...(process.env as Record<string, string>), CAROOT: caRoot };
  });
  afterAll(() => {
    project?.cleanup();
    if (caRoot) rmSync(caRoot, { recursive: true, force: true });
  });

  it('plans without running mkcert: the command, the default domains, nothing written', async () => {
    const cfg = load({ CERT_DOMAINS: 'woosoo.local' });
    const { plan } = await planNewCertificate(cfg, ctx(), {});
    expect(plan.action).toBe('Create');
    expect(plan.domains).toEqual(['127.0.0.1', 'localhost', '::1', 'woosoo.local']);
    expect(plan.command).toMatch(/mkcert -cert-file \S+woosoo\.pem -key-file \S+woosoo-key\.pem 127\.0\.0\.1 localhost ::1 woosoo\.local$/);
    expect(plan.caRoot).toBe(caRoot);
    expect(existsSync(certsDir())).toBe(false);
    expect(readdirSync(caRoot)).toEqual([]);
  });

  it('creates the certificate with the real mkcert and reads it with X509', async () => {
    const cfg = load({ APP_IP: '10.20.30.40' });
    const cert = await newCertificate(cfg, ctx(), {});
    expect(cert.path).toBe(join(certsDir(), 'woosoo.pem'));
    expect(cert.keyPath).toBe(join(certsDir(), 'woosoo-key.pem'));
    expect(cert.dnsNames).toEqual(['localhost']);
    expect(cert.ipAddresses).toEqual(['10.20.30.40', '127.0.0.1', '::1']);
    expect(cert.trusted).toBe(true);
    expect(cert.issuer).toMatch(/mkcert development CA/);
    expect(cert.daysLeft).toBeGreaterThan(700);
    expect(cert.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{64}$/);
    expect(existsSync(join(caRoot, 'rootCA.pem'))).toBe(true);
    expect(readdirSync(certsDir()).sort()).toEqual(['woosoo-key.pem', 'woosoo.pem']);
    const rows = await testCertificates(cfg, ctx());
    expect(rowsOf(rows)).toEqual({ Domain: 'Passed', Expiry: 'Passed', Key: 'Passed', Trust: 'Passed' });
  });

  it('refuses to overwrite without force; with force keeps the old pair in previous/', async () => {
    const cfg = load({ APP_IP: '10.20.30.40' });
    const before = readFileSync(join(certsDir(), 'woosoo.pem'), 'utf8');
    const err = await newCertificate(cfg, ctx(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect((err as WoosooError).errorId).toBe('CertificateExists');
    expect((err as WoosooError).recommendedAction).toMatch(/-Force/);
    expect(readFileSync(join(certsDir(), 'woosoo.pem'), 'utf8')).toBe(before);

    const cert = await newCertificate(cfg, ctx(), { force: true, domains: ['10.20.30.40', 'pos.example'] });
    expect(cert.dnsNames).toEqual(['pos.example']);
    const previous = readdirSync(join(certsDir(), 'previous'));
    expect(previous).toHaveLength(1);
    expect(readFileSync(join(certsDir(), 'previous', previous[0], 'woosoo.pem'), 'utf8')).toBe(before);
    expect(existsSync(join(certsDir(), 'previous', previous[0], 'woosoo-key.pem'))).toBe(true);
    const listed = await getCertificates(cfg, ctx());
    expect(listed.items.map((c) => c.path)).toEqual([join(certsDir(), 'woosoo.pem')]);
  });

  it('fails a certificate that does not cover APP_IP or CERT_DOMAINS', async () => {
    const cfg = load({ APP_IP: '192.168.77.5', CERT_DOMAINS: 'pos.example,kitchen.example' });
    const rows = await testCertificates(cfg, ctx());
    const domain = rows.find((r) => r.check === 'Domain')!;
    expect(domain.result).toBe('Failed');
    expect(domain.message).toMatch(/does not cover 192\.168\.77\.5, kitchen\.example/);
    expect(domain.fix).toMatch(/New-WoosooCertificate -Force/);
  });

  it('fails an expired certificate, warns about one expiring within CERT_WARN_DAYS', async () => {
    const dir = join(project.dir, 'other');
    mkdirSync(dir, { recursive: true });
    signWithCa({ caRoot, san: 'IP:127.0.0.1,DNS:localhost', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z'), certFile: join(dir, 'expired.pem'), keyFile: join(dir, 'expired-key.pem') });
    signWithCa({ caRoot, san: 'IP:127.0.0.1', start: new Date(Date.now() - DAY), end: new Date(Date.now() + 10 * DAY + 3_600_000), certFile: join(dir, 'soon.pem'), keyFile: join(dir, 'soon-key.pem') });
    const cfg = load({ CERT_WARN_DAYS: 30 });
    const got = await getCertificates(cfg, ctx(), ['other/expired.pem', 'other/soon.pem']);
    expect(got.items.map((c) => c.daysLeft)).toEqual([expect.any(Number), 10]);
    expect(got.items[0].daysLeft).toBeLessThan(0);
    expect(got.items.every((c) => c.trusted)).toBe(true);
    const rows = await testCertificates(cfg, ctx(), ['other/expired.pem', 'other/soon.pem']);
    const expired = rows.filter((r) => r.path.endsWith('expired.pem'));
    const soon = rows.filter((r) => r.path.endsWith('soon.pem'));
    expect(rowsOf(expired)).toMatchObject({ Expiry: 'Failed', Domain: 'Passed', Key: 'Passed' });
    expect(expired.find((r) => r.check === 'Expiry')!.message).toMatch(/Expired on 2021-01-01/);
    expect(rowsOf(soon)).toMatchObject({ Expiry: 'Warning', Domain: 'Passed' });
    expect(soon.find((r) => r.check === 'Expiry')!.message).toMatch(/Expires in 10 days .*CERT_WARN_DAYS=30/);
  });

  it('flags a foreign (self-signed) certificate as untrusted and a wrong key as Failed', async () => {
    const dir = join(project.dir, 'other');
    selfSigned({ san: 'DNS:other.example', days: 365, certFile: join(dir, 'foreign.pem'), keyFile: join(dir, 'foreign-key.pem') });
    copyFileSync(join(dir, 'soon-key.pem'), join(dir, 'foreign-key.pem'));
    const rows = await testCertificates(load(), ctx(), [join(dir, 'foreign.pem')]);
    expect(rowsOf(rows)).toEqual({ Domain: 'Failed', Expiry: 'Passed', Key: 'Failed', Trust: 'Warning' });
    expect(rows.find((r) => r.check === 'Key')!.message).toMatch(/is not the key of this certificate/);
    expect(JSON.stringify(rows)).not.toMatch(/PRIVATE KEY/);
  });

  it('reports a file that is not a certificate, and keeps going with the others', async () => {
    writeFileSync(join(project.dir, 'other', 'junk.pem'), 'not a certificate\n');
    const got = await getCertificates(load(), ctx(), ['other/junk.pem', 'other/soon.pem']);
    expect(got.items).toHaveLength(1);
    expect(got.errors[0].data.errorId).toBe('CertificateUnreadable');
    expect(got.errors[0].message).toMatch(/junk\.pem is not a PEM certificate/);
    const rows = await testCertificates(load(), ctx(), ['other/junk.pem']);
    expect(rows).toMatchObject([{ check: 'Readable', result: 'Failed' }]);
  });

  it('certificateChecks (preflight): nothing without HTTPS and certificates, problems only otherwise', async () => {
    const empty = makeProject('wscerts-empty-');
    try {
      empty.write({ APP_IP: '127.0.0.1' });
      const cfgOff = loadProject(empty.dir, { env, cwd: empty.dir });
      expect(await certificateChecks(cfgOff, ctx())).toEqual([]);
      empty.write({ APP_IP: '127.0.0.1', HTTPS_ENABLED: 'true' });
      const cfgOn = loadProject(empty.dir, { env, cwd: empty.dir });
      expect(await certificateChecks(cfgOn, ctx())).toMatchObject([{ check: 'Present', result: 'Failed' }]);
    } finally {
      empty.cleanup();
    }
    // The project's own certificate covers 10.20.30.40, not APP_IP=127.0.0.1 → only the Domain problem.
    const problems = await certificateChecks(load(), ctx());
    expect(problems.map((p) => `${p.check}:${p.result}`)).toEqual(['Domain:Failed']);
  });

  it('Install-WoosooCertificateTrust plan: the command it would run, nothing run', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'wscaroot-'));
    try {
      const t = await installTrust(load(), { env: { ...env, CAROOT: fresh }, signal: new AbortController().signal }, { plan: true });
      expect(t).toMatchObject({ caRoot: fresh, installed: false, output: '' });
      expect(t.command).toBe(`${which('mkcert')} -install`);
      expect(readdirSync(fresh)).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('finds mkcert through MKCERT_PATH, bin/mkcert/ and PATH, and says what to do when it is missing', () => {
    const real = which('mkcert')!;
    expect(findMkcert(load({ MKCERT_PATH: real }), env)).toBe(real);
    expect(() => findMkcert(load({ MKCERT_PATH: '/nowhere/mkcert' }), env)).toThrow(/MKCERT_PATH=\/nowhere\/mkcert does not exist \(in .*deployment.config.env\)/);
    const noPath = { ...env, PATH: '/nonexistent' };
    expect(() => findMkcert(load(), noPath)).toThrowError(expect.objectContaining({ errorId: 'MkcertNotFound', recommendedAction: expect.stringMatching(/bin\/mkcert/) }));
    mkdirSync(join(project.dir, 'bin', 'mkcert'), { recursive: true });
    symlinkSync(real, join(project.dir, 'bin', 'mkcert', 'mkcert-v1.4.4-linux-amd64'));
    expect(findMkcert(load(), noPath)).toBe(join(project.dir, 'bin', 'mkcert', 'mkcert-v1.4.4-linux-amd64'));
  });
});
