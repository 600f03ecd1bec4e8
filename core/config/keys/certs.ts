/** Keys of the certificate commands (New/Get/Test-WoosooCertificate). */
import { z } from 'zod';
import { isIP } from 'node:net';
import { key, t, type KeyTable } from './define';

/** Host names or IP addresses, comma-separated (may be empty). */
const domainList = () => ({
  kind: 'comma-separated host names or IP addresses',
  schema: z.string().refine(
    (s) => s.split(',').map((d) => d.trim()).filter(Boolean)
      .every((d) => isIP(d) !== 0 || /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(d)),
    'must be host names or IP addresses separated by commas (e.g. woosoo.local,192.168.1.50)',
  ),
});

export const certsKeys = {
  CERTS_PATH: key(t.path(), { group: 'Certificates', default: 'certs', help: 'Folder of the HTTPS certificate (woosoo.pem) and its key (woosoo-key.pem), relative to the project folder.' }),
  CERT_DOMAINS: key(domainList(), { group: 'Certificates', default: '', help: 'Extra names the certificate must cover besides APP_IP, localhost, 127.0.0.1 and ::1 (comma-separated).' }),
  CERT_WARN_DAYS: key(t.int(1, 3650), { group: 'Certificates', default: '30', help: 'Test-WoosooCertificate and preflight warn when the certificate expires within this many days.' }),
} satisfies KeyTable;
