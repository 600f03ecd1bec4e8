/**
 * Reads certificate files with Node's own X509 parser (never by parsing a tool's output) into
 * Woosoo.Certificate objects. Trusted means: issued and signed by the mkcert CA of this session (CAROOT's
 * rootCA.pem), the CA that Install-WoosooCertificateTrust puts in the trust store.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { typedSchema } from '../kernel/method';
import { WoosooError } from '../kernel/errors';
import { CONFIG_FILE } from '../config';

export const certificateSchema = typedSchema('Certificate', {
  Path: z.string(),
  Subject: z.string(),
  DnsNames: z.array(z.string()),
  IPAddresses: z.array(z.string()),
  Issuer: z.string(),
  NotBefore: z.string(),
  NotAfter: z.string(),
  DaysLeft: z.number().int(),
  Trusted: z.boolean(),
  Thumbprint: z.string(),
  SerialNumber: z.string(),
  KeyPath: z.string().nullable(),
});
export type Certificate = z.infer<typeof certificateSchema>;

const DAY_MS = 86_400_000;

/** "IP Address:0:0:0:0:0:0:0:1" → "::1" (the shortest form, as URL hosts are written). */
function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return ip;
  }
}

export function subjectAltNames(x: X509Certificate): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of (x.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ips.push(normalizeIp(part.slice(11)));
  }
  return { dns, ips };
}

/**
 * A folder where a certificate file was expected (`-CertificatePath D:\woosoo`, or the old `-Path` meaning): said in
 * words, with the parameter that takes a folder, never Node's EISDIR.
 */
export function certificatePathIsFolder(path: string): WoosooError {
  const project = existsSync(join(path, CONFIG_FILE));
  return new WoosooError('CertificatePathIsFolder', `${path} is a folder, not a certificate file.`, {
    category: 'InvalidArgument', target: path,
    fix: project
      ? `${path} is a project folder: pass it with -Path ${path} (the certificates in its CERTS_PATH are read when -CertificatePath is left out).`
      : `-CertificatePath names certificate files, such as ${join(path, 'woosoo.pem')} (or pipe them: Get-ChildItem ${join(path, '*.pem')} | Get-WoosooCertificate); -Path names the project folder.`,
  });
}

/**
 * -Path (the project folder) given a certificate file, as it meant before: refused with the fix, instead of reading the
 * PEM as a deployment.config.env. Only a file that is not named deployment.config.env and holds a PEM block.
 */
export function refuseCertificateAsProject(path: string | undefined): void {
  if (!path || basename(path).toLowerCase() === CONFIG_FILE.toLowerCase()) return;
  let head = '';
  try {
    if (!statSync(path).isFile()) return;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // missing or unreadable: the project loader says so
  }
  if (!head.includes('-----BEGIN ')) return;
  throw new WoosooError('ProjectPathIsCertificate', `${path} is a certificate file, not the project folder: -Path names the project folder (or its ${CONFIG_FILE}).`, {
    category: 'InvalidArgument', target: path,
    fix: `Pass the certificate with -CertificatePath ${path}, and the project with -Path (or run the command from inside the project folder).`,
  });
}

/** The first certificate in a PEM file. Throws CertificateUnreadable (or CertificatePathIsFolder) naming the file. */
export function parseCertificateFile(path: string): X509Certificate {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw certificatePathIsFolder(path);
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' || code === 'EPERM' ? 'you may not read it' : (err as Error).message;
    throw new WoosooError('CertificateUnreadable', `Cannot read the certificate ${path}: ${why}.`, {
      category: 'ReadError', target: path,
      fix: 'Check the path given (-CertificatePath) and that you may read the file.',
    });
  }
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new WoosooError('CertificateUnreadable', `${path} is not a PEM certificate (${(err as Error).message}).`, {
      category: 'InvalidData', target: path, fix: 'Point to the certificate file (-----BEGIN CERTIFICATE-----), not the key; or create a new one with New-WoosooCertificate.',
    });
  }
}

/** The CA certificate of the session's mkcert CAROOT, when there is one. */
export function readCaRoot(caRoot: string | null): X509Certificate | null {
  if (!caRoot) return null;
  const file = join(caRoot, 'rootCA.pem');
  if (!existsSync(file)) return null;
  try {
    return new X509Certificate(readFileSync(file));
  } catch {
    return null;
  }
}

export function isIssuedBy(x: X509Certificate, ca: X509Certificate | null): boolean {
  if (!ca) return false;
  try {
    return x.checkIssued(ca) && x.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** The key file next to a certificate: woosoo.pem → woosoo-key.pem (mkcert's naming). */
export function keyPathFor(certPath: string): string {
  return certPath.replace(/(\.pem|\.crt)?$/i, '-key.pem');
}

/** True when the key file holds the private key of the certificate. Never reads the key into any message. */
export function keyMatches(x: X509Certificate, keyPath: string): boolean {
  try {
    return x.checkPrivateKey(createPrivateKey(readFileSync(keyPath)));
  } catch {
    return false;
  }
}

/** A certificate file as read: certs/methods.ts makes the wire's Woosoo.Certificate of it. */
export interface CertificateInfo {
  path: string;
  subject: string;
  dnsNames: string[];
  ipAddresses: string[];
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  daysLeft: number;
  /** Issued by the mkcert CA of the session's CAROOT. */
  trusted: boolean;
  thumbprint: string;
  serialNumber: string;
  /** The key file next to it (woosoo-key.pem), or null when there is none. */
  keyPath: string | null;
}

export function describeCertificate(path: string, x: X509Certificate, ca: X509Certificate | null, now = Date.now()): CertificateInfo {
  const { dns, ips } = subjectAltNames(x);
  const notAfter = new Date(x.validTo);
  const keyPath = keyPathFor(path);
  return {
    path,
    subject: x.subject.split('\n').join(', '),
    dnsNames: dns,
    ipAddresses: ips,
    issuer: x.issuer.split('\n').join(', '),
    notBefore: new Date(x.validFrom),
    notAfter,
    daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    trusted: isIssuedBy(x, ca),
    thumbprint: x.fingerprint256.replace(/:/g, ''),
    serialNumber: x.serialNumber,
    keyPath: existsSync(keyPath) ? keyPath : null,
  };
}
