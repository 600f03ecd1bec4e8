/**
 * Certificates of the stack, made with mkcert: create (New-WoosooCertificate), list (Get-), test (Test-, and
 * certificateChecks for preflight) and trust (Install-WoosooCertificateTrust). The certificate lives in
 * CERTS_PATH as woosoo.pem with its key woosoo-key.pem; a replaced pair is kept in CERTS_PATH/previous/.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { ProjectConfig } from '../config';
import { run } from '../process/run';
import type { RequestContext } from '../kernel/context';
import { WoosooError, toItemError, type ItemError } from '../kernel/errors';
import { typedSchema } from '../kernel/method';
import { findCaRoot, findMkcert } from './mkcert';
import { certificatePathIsFolder, describeCertificate, keyMatches, parseCertificateFile, readCaRoot, type CertificateInfo } from './read';

type Ctx = Pick<RequestContext, 'env' | 'signal'> & Partial<Pick<RequestContext, 'log' | 'progress'>>;

export const CERT_FILE = 'woosoo.pem';
export const KEY_FILE = 'woosoo-key.pem';

export function certPaths(cfg: ProjectConfig): { dir: string; cert: string; key: string } {
  const dir = cfg.path('CERTS_PATH');
  return { dir, cert: join(dir, CERT_FILE), key: join(dir, KEY_FILE) };
}

/** APP_IP, localhost, 127.0.0.1, ::1 and CERT_DOMAINS, without repeats. */
export function defaultDomains(cfg: ProjectConfig): string[] {
  const extra = cfg.str('CERT_DOMAINS').split(',').map((d) => d.trim()).filter(Boolean);
  return [...new Set([cfg.str('APP_IP'), 'localhost', '127.0.0.1', '::1', ...extra])];
}

/** The names a certificate must cover to pass: APP_IP and every CERT_DOMAINS entry. */
export function requiredDomains(cfg: ProjectConfig): string[] {
  const extra = cfg.str('CERT_DOMAINS').split(',').map((d) => d.trim()).filter(Boolean);
  return [...new Set([cfg.str('APP_IP'), ...extra])];
}

// ---- New-WoosooCertificate ---------------------------------------------------------------------------------------

export const certificatePlanSchema = typedSchema('CertificatePlan', {
  Action: z.string(), Command: z.string(), Domains: z.array(z.string()), CertificatePath: z.string(), KeyPath: z.string(),
  CARoot: z.string().nullable(), Replaces: z.boolean(), BackupPath: z.string().nullable(),
});
export type CertificatePlan = z.infer<typeof certificatePlanSchema>;

/** What New-WoosooCertificate would do: certs/methods.ts makes the wire's Woosoo.CertificatePlan of it. */
export interface CertPlan {
  action: 'Create' | 'Replace';
  command: string;
  domains: string[];
  certificatePath: string;
  keyPath: string;
  caRoot: string | null;
  replaces: boolean;
  /** Where the pair it replaces goes (previous/<time>), or null. */
  backupPath: string | null;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** What New-WoosooCertificate would do (its -WhatIf), without running anything but `mkcert -CAROOT`. */
export async function planNewCertificate(cfg: ProjectConfig, ctx: Ctx, opts: { domains?: string[]; force?: boolean }): Promise<{ plan: CertPlan; mkcert: string; args: string[] }> {
  const domains = opts.domains?.length ? [...new Set(opts.domains.map((d) => d.trim()).filter(Boolean))] : defaultDomains(cfg);
  const p = certPaths(cfg);
  const exists = existsSync(p.cert) || existsSync(p.key);
  if (exists && !opts.force) {
    throw new WoosooError('CertificateExists', `${p.cert} already exists; nothing was changed.`, {
      category: 'ResourceExists', target: p.cert,
      fix: 'Add -Force to replace it (the old pair is kept in the previous/ folder next to it), or check it with Get-WoosooCertificate.',
    });
  }
  const mkcert = findMkcert(cfg, ctx.env);
  const caRoot = await findCaRoot(mkcert, ctx.env, ctx.signal);
  const args = ['-cert-file', p.cert, '-key-file', p.key, ...domains];
  const plan: CertPlan = {
    action: exists ? 'Replace' : 'Create',
    command: [mkcert, ...args].map((a) => (/[\s"]/.test(a) ? `"${a}"` : a)).join(' '),
    domains, certificatePath: p.cert, keyPath: p.key, caRoot, replaces: exists,
    backupPath: exists ? join(p.dir, 'previous', stamp()) : null,
  };
  return { plan, mkcert, args };
}

/**
 * Creates the certificate with the real mkcert (the session's CAROOT). mkcert writes to temporary names in the
 * same folder; only when it succeeded is an existing pair moved to previous/<time>/ and the new pair put in place.
 */
export async function newCertificate(cfg: ProjectConfig, ctx: Ctx, opts: { domains?: string[]; force?: boolean }): Promise<CertificateInfo> {
  const { plan, mkcert } = await planNewCertificate(cfg, ctx, opts);
  const p = certPaths(cfg);
  mkdirSync(p.dir, { recursive: true });
  const tmpCert = join(p.dir, `.new-${process.pid}-${CERT_FILE}`);
  const tmpKey = join(p.dir, `.new-${process.pid}-${KEY_FILE}`);
  ctx.progress?.({ activity: 'Creating certificate', status: plan.domains.join(', ') });
  try {
    const r = await run(mkcert, ['-cert-file', tmpCert, '-key-file', tmpKey, ...plan.domains], { env: ctx.env, signal: ctx.signal, timeoutMs: 120_000 });
    if (r.cancelled) throw ctx.signal.reason;
    if (r.exitCode !== 0 || !existsSync(tmpCert) || !existsSync(tmpKey)) {
      const why = r.notFound ? r.spawnError : r.timedOut ? 'it timed out' : (r.stderr.trim().split(/\r?\n/).slice(-3).join(' ') || `exit code ${r.exitCode}`);
      throw new WoosooError('MkcertFailed', `mkcert could not create the certificate (${r.display}): ${why}`, {
        category: 'InvalidResult', target: p.cert,
        fix: 'Check that the CAROOT folder is writable (mkcert -CAROOT shows it) and that the domains are valid host names or IP addresses.',
      });
    }
    ctx.log?.('verbose', r.stderr.trim());
    if (plan.backupPath) {
      mkdirSync(plan.backupPath, { recursive: true });
      for (const f of [p.cert, p.key]) if (existsSync(f)) renameSync(f, join(plan.backupPath, f === p.cert ? CERT_FILE : KEY_FILE));
      ctx.log?.('info', `The previous certificate and key were moved to ${plan.backupPath}.`);
    }
    renameSync(tmpKey, p.key);
    renameSync(tmpCert, p.cert);
  } finally {
    rmSync(tmpCert, { force: true });
    rmSync(tmpKey, { force: true });
    ctx.progress?.({ activity: 'Creating certificate', completed: true });
  }
  const cert = describeCertificate(p.cert, parseCertificateFile(p.cert), readCaRoot(plan.caRoot));
  if (!cert.trusted) ctx.log?.('warning', 'The certificate is not trusted yet on this machine: run Install-WoosooCertificateTrust (and install rootCA.pem on the tablets).');
  return cert;
}

// ---- Get-WoosooCertificate ---------------------------------------------------------------------------------------

/** Certificate files of CERTS_PATH (*.pem, *.crt; not keys, not the previous/ folder). */
export function certificateFiles(cfg: ProjectConfig): string[] {
  const { dir } = certPaths(cfg);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(pem|crt)$/i.test(e.name) && !/-key\.pem$|^\.new-|^rootCA/i.test(e.name))
    .map((e) => join(dir, e.name))
    .sort((a, b) => Number(b.endsWith(CERT_FILE)) - Number(a.endsWith(CERT_FILE)) || a.localeCompare(b));
}

async function caFor(cfg: ProjectConfig, ctx: Ctx) {
  let mkcert: string | null = null;
  try {
    mkcert = findMkcert(cfg, ctx.env);
  } catch {
    /* without mkcert, Trusted is judged against $env:CAROOT only */
  }
  return readCaRoot(await findCaRoot(mkcert, ctx.env, ctx.signal));
}

/**
 * The given files (absolute, or relative to the project), or every certificate file of CERTS_PATH. A folder among them
 * refuses the whole call (CertificatePathIsFolder): it is a mix-up of -CertificatePath and -Path, not a bad file.
 */
export function certificateFilesOf(cfg: ProjectConfig, paths?: string[]): string[] {
  if (!paths?.length) return certificateFiles(cfg);
  const files = paths.map((f) => resolve(cfg.projectDir, f));
  for (const f of files) {
    if (isFolder(f)) throw certificatePathIsFolder(f);
  }
  return files;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the given files (absolute, or relative to the project), or every certificate file of CERTS_PATH. */
export async function getCertificates(cfg: ProjectConfig, ctx: Ctx, paths?: string[]): Promise<{ items: CertificateInfo[]; errors: ItemError[] }> {
  const files = certificateFilesOf(cfg, paths);
  const ca = await caFor(cfg, ctx);
  const items: CertificateInfo[] = [];
  const errors: ItemError[] = [];
  for (const f of files) {
    try {
      items.push(describeCertificate(f, parseCertificateFile(f), ca));
    } catch (err) {
      errors.push(toItemError(err));
    }
  }
  return { items, errors };
}

// ---- Test-WoosooCertificate and preflight ----------------------------------------------------------------------

export const certificateTestSchema = typedSchema('CertificateTest', {
  Path: z.string(), Check: z.enum(['Present', 'Readable', 'Domain', 'Expiry', 'Key', 'Trust']),
  Result: z.enum(['Passed', 'Warning', 'Failed']), Message: z.string(), Fix: z.string(),
});
export type CertificateTest = z.infer<typeof certificateTestSchema>;

/** One check of one certificate file: certs/methods.ts makes the wire's Woosoo.CertificateTest of it. */
export interface CertCheck {
  path: string;
  check: CertificateTest['Check'];
  result: CertificateTest['Result'];
  message: string;
  /** '' when it passed. */
  fix: string;
}
type Row = CertCheck;

function judge(cfg: ProjectConfig, file: string, cert: CertificateInfo, x: ReturnType<typeof parseCertificateFile>, now: number): Row[] {
  const warnDays = cfg.num('CERT_WARN_DAYS');
  const renew = 'Create a new one with New-WoosooCertificate -Force (the old pair is kept in previous/).';
  const rows: Row[] = [];
  const missing = requiredDomains(cfg).filter((d) => (isIP(d) ? x.checkIP(d) === undefined : x.checkHost(d) === undefined));
  rows.push(missing.length
    ? { path: file, check: 'Domain', result: 'Failed', message: `The certificate does not cover ${missing.join(', ')} (it covers ${[...cert.dnsNames, ...cert.ipAddresses].join(', ') || 'nothing'}).`, fix: `${renew} APP_IP and CERT_DOMAINS are added by default.` }
    : { path: file, check: 'Domain', result: 'Passed', message: `Covers ${requiredDomains(cfg).join(', ')}.`, fix: '' });
  const notBefore = cert.notBefore.getTime();
  if (cert.notAfter.getTime() <= now) rows.push({ path: file, check: 'Expiry', result: 'Failed', message: `Expired on ${cert.notAfter.toISOString()}.`, fix: renew });
  else if (notBefore > now) rows.push({ path: file, check: 'Expiry', result: 'Failed', message: `Not valid before ${cert.notBefore.toISOString()}: check the server's clock.`, fix: 'Set the correct date and time, or create a new certificate.' });
  else if (cert.daysLeft < warnDays) rows.push({ path: file, check: 'Expiry', result: 'Warning', message: `Expires in ${cert.daysLeft} days (${cert.notAfter.toISOString()}), within CERT_WARN_DAYS=${warnDays}.`, fix: renew });
  else rows.push({ path: file, check: 'Expiry', result: 'Passed', message: `Valid for ${cert.daysLeft} more days (until ${cert.notAfter.toISOString()}).`, fix: '' });
  if (!cert.keyPath) rows.push({ path: file, check: 'Key', result: 'Failed', message: `The key file ${file.replace(/(\.pem|\.crt)?$/i, '-key.pem')} is missing: nginx cannot serve HTTPS without it.`, fix: renew });
  else if (!keyMatches(x, cert.keyPath)) rows.push({ path: file, check: 'Key', result: 'Failed', message: `${cert.keyPath} is not the key of this certificate.`, fix: renew });
  else rows.push({ path: file, check: 'Key', result: 'Passed', message: `${cert.keyPath} matches.`, fix: '' });
  rows.push(cert.trusted
    ? { path: file, check: 'Trust', result: 'Passed', message: 'Issued by the mkcert CA of this machine (CAROOT).', fix: '' }
    : { path: file, check: 'Trust', result: 'Warning', message: `Not issued by the mkcert CA in CAROOT (issuer: ${cert.issuer}): browsers and tablets will warn.`, fix: 'Run Install-WoosooCertificateTrust, or create the certificate with New-WoosooCertificate from this machine\'s CA.' });
  return rows;
}

/** Every check of every certificate file (or of the given files); a missing certificate is one Failed row. */
export async function testCertificates(cfg: ProjectConfig, ctx: Ctx, paths?: string[], now = Date.now()): Promise<CertCheck[]> {
  const files = certificateFilesOf(cfg, paths);
  const rows: Row[] = [];
  if (files.length === 0) {
    rows.push({ path: certPaths(cfg).cert, check: 'Present', result: 'Failed', message: `There is no certificate in ${certPaths(cfg).dir}.`, fix: 'Create one with New-WoosooCertificate.' });
  }
  const ca = files.length ? await caFor(cfg, ctx) : null;
  for (const f of files) {
    try {
      const x = parseCertificateFile(f);
      rows.push(...judge(cfg, f, describeCertificate(f, x, ca, now), x, now));
    } catch (err) {
      const e = err as WoosooError;
      rows.push({ path: f, check: 'Readable', result: 'Failed', message: e.message, fix: e.recommendedAction ?? '' });
    }
  }
  return rows;
}

/**
 * For preflight: the certificate checks that are not Passed. Without HTTPS_ENABLED a missing certificate is no
 * problem (nothing is returned then).
 */
export async function certificateChecks(cfg: ProjectConfig, ctx: Ctx): Promise<CertCheck[]> {
  if (!cfg.flag('HTTPS_ENABLED') && certificateFiles(cfg).length === 0) return [];
  return (await testCertificates(cfg, ctx)).filter((r) => r.result !== 'Passed');
}

// ---- Install-WoosooCertificateTrust ------------------------------------------------------------------------------

export const certificateTrustSchema = typedSchema('CertificateTrust', {
  Mkcert: z.string(), CARoot: z.string().nullable(), Command: z.string(), Installed: z.boolean(), Output: z.string(),
});
export type CertificateTrust = z.infer<typeof certificateTrustSchema>;

/** What `mkcert -install` did (or, planned, would do): certs/methods.ts makes the wire's Woosoo.CertificateTrust. */
export interface TrustResult {
  mkcert: string;
  caRoot: string | null;
  command: string;
  installed: boolean;
  output: string;
}

/** `mkcert -install`: puts the CAROOT's CA into the system (and browsers') trust store. With plan, only says so. */
export async function installTrust(cfg: ProjectConfig, ctx: Ctx, opts: { plan: boolean }): Promise<TrustResult> {
  const mkcert = findMkcert(cfg, ctx.env);
  const caRoot = await findCaRoot(mkcert, ctx.env, ctx.signal);
  const command = `${/\s/.test(mkcert) ? `"${mkcert}"` : mkcert} -install`;
  if (opts.plan) return { mkcert, caRoot, command, installed: false, output: '' };
  const r = await run(mkcert, ['-install'], { env: ctx.env, signal: ctx.signal, timeoutMs: 300_000 });
  if (r.cancelled) throw ctx.signal.reason;
  const output = `${r.stdout}\n${r.stderr}`.trim();
  if (r.exitCode !== 0) {
    throw new WoosooError('MkcertInstallFailed', `mkcert -install failed (exit code ${r.exitCode ?? 'none'}): ${output.split(/\r?\n/).slice(-3).join(' ')}`, {
      category: 'PermissionDenied', target: caRoot ?? mkcert,
      fix: 'Run PowerShell as Administrator (Windows) or with sudo rights, and accept the security prompt, then try again.',
    });
  }
  return { mkcert, caRoot, command, installed: true, output };
}
