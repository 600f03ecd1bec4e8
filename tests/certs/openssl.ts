// Certificates that mkcert will not make (expired, expiring, for other names), made with the real openssl CLI
// for the tests only; the engine never uses openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CA_CONF = `[ ca ]
default_ca = testca
[ testca ]
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
`;

/** YYYYMMDDHHMMSSZ, as openssl ca wants it. */
export function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Signs a certificate for `san` ("IP:127.0.0.1,DNS:localhost") valid from `start` to `end` with the CA in caRoot
 * (mkcert's rootCA.pem / rootCA-key.pem), and writes it to certFile and its key to keyFile.
 */
export function signWithCa(opts: { caRoot: string; san: string; start: Date; end: Date; certFile: string; keyFile: string }): void {
  const dir = mkdtempSync(join(tmpdir(), 'wsossl-'));
  try {
    writeFileSync(join(dir, 'ca.cnf'), CA_CONF);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', opts.keyFile,
      '-out', 'req.csr', '-subj', '/CN=woosoo-test', '-addext', `subjectAltName=${opts.san}`], dir);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', join(opts.caRoot, 'rootCA.pem'), '-keyfile', join(opts.caRoot, 'rootCA-key.pem'),
      '-in', 'req.csr', '-out', opts.certFile, '-startdate', asn1Time(opts.start), '-enddate', asn1Time(opts.end), '-notext'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed certificate (not from the mkcert CA) for `san`, valid for `days`. */
export function selfSigned(opts: { san: string; days: number; certFile: string; keyFile: string }): void {
  const dir = mkdtempSync(join(tmpdir(), 'wsossl-'));
  try {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', opts.keyFile,
      '-out', opts.certFile, '-days', String(opts.days), '-subj', '/CN=other', '-addext', `subjectAltName=${opts.san}`], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
