/** Keys of Test-WoosooPreflight: the thresholds each readiness check compares against, and how long a probe may take. */
import semver from 'semver';
import { z } from 'zod';
import { key, t, type KeyTable } from './define';

/** A minimum version such as 8.2 or 18.0.0 (compared with semver after coercion). */
const minVersion = () => ({
  kind: 'version',
  schema: z.string().refine((s) => semver.coerce(s) !== null, 'must be a version such as 8.2 or 18.0.0'),
});

export const preflightKeys = {
  PREFLIGHT_MIN_DISK_GB: key(t.int(0, 1_000_000), { group: 'Preflight', default: '5', help: 'Free space (GB) the project\'s drive must have; less is a critical Fail.' }),
  PREFLIGHT_MIN_RAM_GB: key(t.int(0, 1_000_000), { group: 'Preflight', default: '4', help: 'Installed memory (GB) below which the RAM check fails.' }),
  PREFLIGHT_WARN_RAM_GB: key(t.int(0, 1_000_000), { group: 'Preflight', default: '8', help: 'Installed memory (GB) below which the RAM check warns.' }),
  PREFLIGHT_MIN_CORES: key(t.int(1, 4096), { group: 'Preflight', default: '2', help: 'Logical CPU cores below which the CPU check fails.' }),
  PREFLIGHT_WARN_CORES: key(t.int(1, 4096), { group: 'Preflight', default: '4', help: 'Logical CPU cores below which the CPU check warns.' }),
  PREFLIGHT_PROBE_TIMEOUT_SECONDS: key(t.int(1, 600), { group: 'Preflight', default: '10', help: 'Seconds each probe (a tool\'s --version, the database login, …) may take; a probe that takes longer is a Fail "timed out after N s". Probes run in parallel.' }),
  PREFLIGHT_MIN_NODE_VERSION: key(minVersion(), { group: 'Preflight', default: '18.0.0', help: 'Oldest Node.js accepted.' }),
  PREFLIGHT_MIN_PHP_VERSION: key(minVersion(), { group: 'Preflight', default: '8.2.0', help: 'Oldest PHP accepted.' }),
  PREFLIGHT_MIN_COMPOSER_VERSION: key(minVersion(), { group: 'Preflight', default: '2.0.0', help: 'Oldest Composer accepted.' }),
  PREFLIGHT_MIN_MARIADB_VERSION: key(minVersion(), { group: 'Preflight', default: '10.3.0', help: 'Oldest MariaDB client/server accepted (a MySQL client/server is compared with PREFLIGHT_MIN_MYSQL_VERSION).' }),
  PREFLIGHT_MIN_MYSQL_VERSION: key(minVersion(), { group: 'Preflight', default: '5.7.0', help: 'Oldest MySQL client/server accepted.' }),
  PREFLIGHT_MIN_NGINX_VERSION: key(minVersion(), { group: 'Preflight', default: '1.18.0', help: 'Oldest nginx accepted.' }),
} satisfies KeyTable;
