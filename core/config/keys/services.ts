/** Keys of the services capability: names, start/stop timeouts, crash-loop throttle, log rotation and retention. */
import { z } from 'zod';
import { key, t, type KeyTable } from './define';

const serviceName = {
  kind: 'service name prefix',
  schema: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,30}$/, 'must start with a letter and use only letters, digits, - and _ (at most 31 characters)'),
};

export const servicesKeys = {
  SERVICE_PREFIX: key(serviceName, {
    group: 'Services', default: 'woosoo', example: 'woosoo',
    help: 'Prefix of the service names: <prefix>-reverb, <prefix>-queue-worker, <prefix>-nginx.',
  }),
  SERVICE_DB_NAME: key(t.string(), {
    group: 'Services', default: '', example: 'MariaDB',
    help: 'Name of the database service the PHP services depend on (NSSM DependOnService); empty = no dependency.',
  }),
  SERVICE_START_TIMEOUT_SECONDS: key(t.int(1, 600), {
    group: 'Services', default: '30', help: 'How long Start-WoosooService waits for a service to be really running (process up, port open).',
  }),
  SERVICE_STOP_TIMEOUT_SECONDS: key(t.int(1, 600), {
    group: 'Services', default: '30', help: 'How long Stop-WoosooService waits for a service\'s processes to exit.',
  }),
  SERVICE_THROTTLE_MS: key(t.int(0, 600_000), {
    group: 'Services', default: '1500',
    help: 'A service that exits sooner than this after starting is crash-looping: NSSM AppThrottle, PM2 min_uptime and first restart delay.',
  }),
  LOG_ROTATE_BYTES: key(t.int(0, 2_147_483_647), {
    group: 'Services', default: '10485760', help: 'Rotate a service log when it grows past this many bytes (0 = never by size).',
  }),
  LOG_RETENTION_COUNT: key(t.int(0, 100_000), {
    group: 'Services', default: '10', help: 'Rotated logs kept per service log (output and error); older ones are deleted. 0 = no limit.',
  }),
  LOG_RETENTION_DAYS: key(t.int(0, 36_500), {
    group: 'Services', default: '14', help: 'Rotated service logs older than this many days are deleted. 0 = no limit.',
  }),
  PM2_PATH: key(t.string(), {
    group: 'Tools', default: '', help: 'pm2 CLI for the PM2 service backend; empty = the pm2 shipped with Woosoo, then pm2 on PATH.',
  }),
} satisfies KeyTable;
