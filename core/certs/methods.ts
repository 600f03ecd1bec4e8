/** RPC methods of the certificate cmdlets: cert.new, cert.get, cert.test, cert.trust. Thin: load, call, return. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadValidProject } from '../config';
import { defineMethod, projectParams, typed } from '../kernel/method';
import {
  certificatePlanSchema, certificateTestSchema, certificateTrustSchema, getCertificates, installTrust, newCertificate,
  planNewCertificate, testCertificates, type CertCheck, type CertPlan, type TrustResult,
} from './index';
import { certificateSchema, refuseCertificateAsProject, type CertificateInfo } from './read';

// The wire's objects of the domain's results.
const certificateObject = (c: CertificateInfo) => typed('Certificate', {
  Path: c.path, Subject: c.subject, DnsNames: c.dnsNames, IPAddresses: c.ipAddresses, Issuer: c.issuer,
  NotBefore: c.notBefore.toISOString(), NotAfter: c.notAfter.toISOString(), DaysLeft: c.daysLeft, Trusted: c.trusted,
  Thumbprint: c.thumbprint, SerialNumber: c.serialNumber, KeyPath: c.keyPath,
});
const planObject = (p: CertPlan) => typed('CertificatePlan', {
  Action: p.action, Command: p.command, Domains: p.domains, CertificatePath: p.certificatePath, KeyPath: p.keyPath,
  CARoot: p.caRoot, Replaces: p.replaces, BackupPath: p.backupPath,
});
const testObject = (r: CertCheck) => typed('CertificateTest', { Path: r.path, Check: r.check, Result: r.result, Message: r.message, Fix: r.fix });
const trustObject = (t: TrustResult) => typed('CertificateTrust', {
  Mkcert: t.mkcert, CARoot: t.caRoot, Command: t.command, Installed: t.installed, Output: t.output,
});

const files = z.array(z.string().min(1)).optional().describe('Certificate files (absolute or relative to the project; -CertificatePath); default: every certificate in CERTS_PATH');

/** The project of a certificate call; a certificate file given as the project (-Path's old meaning) is refused with the fix. */
function project(ref: { path?: string; environment?: string }, ctx: Parameters<typeof loadValidProject>[1]) {
  refuseCertificateAsProject(ref.path === undefined ? undefined : resolve(ctx.cwd, ref.path));
  return loadValidProject(ref, ctx);
}

export const certNew = defineMethod({
  name: 'cert.new',
  summary: 'Creates CERTS_PATH/woosoo.pem and woosoo-key.pem with mkcert (session CAROOT); plan returns the Woosoo.CertificatePlan instead.',
  params: z.object({
    ...projectParams,
    domains: z.array(z.string().min(1).max(253).regex(/^[A-Za-z0-9*.:-]+$/, 'must be a host name or an IP address')).optional()
      .describe('Names and addresses; default APP_IP, localhost, 127.0.0.1, ::1 and CERT_DOMAINS'),
    force: z.boolean().default(false).describe('Replace an existing certificate (the old pair is moved to previous/)'),
    plan: z.boolean().default(false).describe('Only say what would be done (-WhatIf)'),
  }),
  item: z.union([certificateSchema, certificatePlanSchema]),
  async handler(p, ctx) {
    const cfg = project(p, ctx);
    if (p.plan) return { items: [planObject((await planNewCertificate(cfg, ctx, p)).plan)] };
    return { items: [certificateObject(await newCertificate(cfg, ctx, p))] };
  },
});

export const certGet = defineMethod({
  name: 'cert.get',
  summary: 'Reads certificate files into Woosoo.Certificate objects (names, addresses, validity, days left, trusted by the session CAROOT).',
  params: z.object({ ...projectParams, files }),
  item: certificateSchema,
  async handler(p, ctx) {
    const { items, errors } = await getCertificates(project(p, ctx), ctx, p.files);
    return { items: items.map(certificateObject), errors };
  },
});

export const certTest = defineMethod({
  name: 'cert.test',
  summary: 'Checks each certificate (covers APP_IP and CERT_DOMAINS, not expired, CERT_WARN_DAYS, key matches, trusted): Woosoo.CertificateTest rows; quiet returns true when none Failed.',
  params: z.object({
    ...projectParams, files,
    quiet: z.boolean().default(false).describe('Return only true (no check Failed) or false'),
  }),
  item: certificateTestSchema,
  async handler(p, ctx) {
    const rows = await testCertificates(project(p, ctx), ctx, p.files);
    if (p.quiet) return { value: !rows.some((r) => r.result === 'Failed') };
    return { items: rows.map(testObject) };
  },
});

export const certTrust = defineMethod({
  name: 'cert.trust',
  summary: 'Runs `mkcert -install` (the CAROOT CA into the trust store); plan returns the command without running it.',
  params: z.object({ ...projectParams, plan: z.boolean().default(false).describe('Only say what would be run (-WhatIf)') }),
  item: certificateTrustSchema,
  async handler(p, ctx) {
    return { items: [trustObject(await installTrust(project(p, ctx), ctx, { plan: p.plan }))] };
  },
});
