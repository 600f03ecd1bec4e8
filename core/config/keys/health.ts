/** Keys of Get-WoosooHealth: which endpoints to probe, how long to wait, and the thresholds that turn values into Degraded. */
import { z } from 'zod';
import { key, t, type KeyTable } from './define';

/** A comma-separated list of http(s) URLs (may be empty). */
const urlList = () => ({
  kind: 'comma-separated URLs',
  schema: z.string().refine(
    (s) => s.split(',').map((u) => u.trim()).filter(Boolean).every((u) => /^https?:\/\/[^\s,]+$/i.test(u)),
    'must be http(s) URLs separated by commas (e.g. http://127.0.0.1:3000/,http://127.0.0.1:8088/up)',
  ),
});

export const healthKeys = {
  HEALTH_ENDPOINT: key(t.urlPath(), {
    group: 'Health', default: '/api/health',
    help: 'Path of the backend\'s health endpoint, probed through nginx (APP_IP:HTTP_PORT) and directly (BACKEND_PORT). A JSON body with "db": false counts as Unhealthy even with status 200.',
  }),
  HEALTH_TIMEOUT_SECONDS: key(t.int(1, 300), { group: 'Health', default: '5', help: 'Seconds each health check may take before it counts as Unhealthy (timed out). All checks run in parallel.' }),
  HEALTH_URLS: key(urlList(), { group: 'Health', default: '', help: 'Extra URLs Get-WoosooHealth fetches (comma-separated); any 2xx answer is Healthy.' }),
  HEALTH_CPU_WARN_PERCENT: key(t.int(1, 100), { group: 'Health', default: '90', help: 'Total CPU load (%) above which the CPU check is Degraded, when it stays there for HEALTH_CPU_SAMPLES samples.' }),
  HEALTH_CPU_SAMPLES: key(t.int(1, 100), {
    group: 'Health', default: '3',
    help: 'The CPU check is Degraded only when this many consecutive samples (one per Get-WoosooHealth round: each -Watch interval, each run of the scheduled health job; samples over an hour apart do not count as consecutive) are all over HEALTH_CPU_WARN_PERCENT. One busy sample (a spike) stays Healthy. 1 = every sample counts on its own.',
  }),
  HEALTH_WEBHOOK_URL: key(t.url(), {
    group: 'Health', default: '', secret: true,
    help: 'Where Get-WoosooHealth -Watch, -Alert and the scheduled health job POST an alert (JSON) when a check turns Unhealthy or recovers: one message per change. Empty: DEPLOY_WEBHOOK_URL. Treated as a secret: it often carries a token.',
  }),
  HEALTH_ALERT_STATUS: key(t.oneOf(['Unhealthy', 'Degraded']), {
    group: 'Health', default: 'Unhealthy',
    help: 'The status from which a check alerts: Unhealthy, or Degraded (Degraded or Unhealthy; CPU, memory and disk are never worse than Degraded, except disk under half of HEALTH_DISK_MIN_GB).',
  }),
  HEALTH_MEMORY_WARN_PERCENT: key(t.int(1, 100), { group: 'Health', default: '90', help: 'Memory in use (%) above which the memory check is Degraded.' }),
  HEALTH_DISK_MIN_GB: key(t.int(0, 1_000_000), { group: 'Health', default: '5', help: 'Free space (GB) on the project\'s drive below which the disk check is Degraded (Unhealthy below half of it).' }),
  HEALTH_QUEUE_PENDING_WARN: key(t.int(0, 100_000_000), { group: 'Health', default: '100', help: 'Pending jobs in the Laravel jobs table above which the queue check is Degraded (a stuck worker).' }),
  HEALTH_QUEUE_FAILED_WARN: key(t.int(0, 100_000_000), { group: 'Health', default: '0', help: 'Failed jobs (failed_jobs table) above which the failed-jobs check is Degraded; 0 = any failed job.' }),
} satisfies KeyTable;
