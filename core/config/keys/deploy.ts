/** Keys of Invoke-WoosooDeploy: health deadline, lock staleness, where journals and reports go, the webhook. */
import { key, t, type KeyTable } from './define';

export const deployKeys = {
  DEPLOY_STRATEGY: key(t.oneOf(['BlueGreen', 'InPlace']), {
    group: 'Deploy', default: 'BlueGreen',
    help: 'BlueGreen: each deploy builds a release in DEPLOY_RELEASES_PATH/<id>/, starts its backend, queue worker and Reverb on the idle colour\'s ports (BACKEND_GREEN_PORT, REVERB_GREEN_PORT), health-checks them, then switches nginx (nginx -t, graceful reload): no request fails. InPlace: the old way, building in the app folders with the services stopped (a few seconds down).',
  }),
  DEPLOY_KEEP_RELEASES: key(t.int(2, 100), {
    group: 'Deploy', default: '5', help: 'BlueGreen: how many release folders a successful deploy keeps (the live one and the one before it always are). Undo-WoosooDeploy switches back to the one before.',
  }),
  DEPLOY_RELEASES_PATH: key(t.path(), {
    group: 'Deploy', default: 'releases', help: 'BlueGreen: folder of the release folders (releases/<deployment-id>/backend and /pwa), relative to the project folder.',
  }),
  DEPLOY_HEALTH_DEADLINE_SECONDS: key(t.int(1, 3600), {
    group: 'Deploy', default: '60', help: 'How long the deploy\'s health step (and the rollback\'s) retries the health checks before the deploy fails.',
  }),
  DEPLOY_HEALTH_INTERVAL_SECONDS: key(t.int(1, 600), {
    group: 'Deploy', default: '3', help: 'Pause between two rounds of health checks during the deploy\'s health step.',
  }),
  DEPLOY_HEALTH_CHECKS: key(t.string(), {
    group: 'Deploy', default: 'Service *,Port *,Reverb WebSocket,Database,Queue *,HTTP *',
    help: 'Health checks (names as Get-WoosooHealth shows them, wildcards * and ?, comma-separated) that must be Healthy or Degraded after the deploy. CPU, memory and disk are left out by default: a busy machine is no reason to roll back.',
  }),
  DEPLOY_LOCK_STALE_MINUTES: key(t.int(1, 100_000), {
    group: 'Deploy', default: '240',
    help: 'A deploy lock taken on another host (whose process Woosoo cannot check) is taken over after this many minutes. On this host a lock is stale as soon as its process is gone.',
  }),
  DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS: key(t.bool(), {
    group: 'Deploy', default: 'false',
    help: 'Before a migrate command runs (deploy or Invoke-WoosooBuild), `php artisan migrate --pretend` shows its SQL; a statement that drops or renames a table or column stops the build before anything is migrated, unless this is true.',
  }),
  DEPLOY_PATH: key(t.path(), {
    group: 'Deploy', default: 'deployments', help: 'Folder of the deploy lock and of one journal folder per deployment (deployments/<id>/journal.json), relative to the project folder.',
  }),
  DEPLOY_REPORT_PATH: key(t.path(), {
    group: 'Deploy', default: 'logs/deployment', help: 'Folder of the deploy reports (<id>.json and <id>.html) and build logs (<id>/), relative to the project folder.',
  }),
  DEPLOY_SNAPSHOT_PATHS: key(t.string(), {
    group: 'Deploy', default: '',
    help: 'Extra build outputs (project-relative files or folders, comma-separated) saved with the deploy\'s backup and put back on rollback. The backend\'s bootstrap/cache and the PWA\'s .output/public always are.',
  }),
  DEPLOY_WEBHOOK_URL: key(t.url(), {
    group: 'Deploy', default: '', secret: true,
    help: 'When set, the deploy POSTs its outcome (JSON: id, status, scope, duration, failed step, report path) to this URL. Treated as a secret: it often carries a token.',
  }),
} satisfies KeyTable;
