/**
 * A project for Export-WoosooDiagnostics whose secrets are distinctive strings, with those strings (as written and
 * encoded) planted in a service log, a deploy journal, a deploy report, a build log and the engine's log: the bundle
 * must hold none of them. Also a zip reader for the tests (fflate, the library that writes the bundle).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';

const APP_KEY_B64 = Buffer.from('diag-app-key-32-bytes-Qx7Wm2Zp!!').toString('base64');

export const SECRETS = {
  dbPassword: 'Pw#Zq81/diag@SECRETdb',
  reverbKey: 'rvbkey-7Hq2LmX9diag',
  reverbSecret: 'rvbsecret-K3pW8sYtdiag',
  webhookToken: 'whTok3nAbCdEf99diag',
  webhook: 'https://hooks.example.test/services/T00X/whTok3nAbCdEf99diag?token=qTok9ZZabc123diag',
  appKey: `base64:${APP_KEY_B64}`,
  appKeyBase64: APP_KEY_B64,
  envOnly: 'mailPw-only-in-dotenv-55diag',
};

/** Every string that must not appear in any file of a bundle. */
export const FORBIDDEN = [
  SECRETS.dbPassword, encodeURIComponent(SECRETS.dbPassword), SECRETS.reverbKey, SECRETS.reverbSecret, SECRETS.webhook,
  SECRETS.webhookToken, 'qTok9ZZabc123diag', SECRETS.appKeyBase64, SECRETS.envOnly,
];

export const DEPLOY_ID = '20261201-101500-ab12';

export function makeDiagProject(extraConfig: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsdiag-'));
  const put = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put('deployment.config.env', [
    'ENVIRONMENT=staging', 'APP_IP=127.0.0.1', 'HTTP_PORT=59981', 'BACKEND_PORT=59982', 'REVERB_PORT=59983', 'DB_HOST=127.0.0.1', 'DB_PORT=59984',
    'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', `DB_PASSWORD='${SECRETS.dbPassword}'`, `REVERB_APP_KEY=${SECRETS.reverbKey}`,
    `REVERB_APP_SECRET=${SECRETS.reverbSecret}`, `DEPLOY_WEBHOOK_URL=${SECRETS.webhook}`, 'SERVICE_MANAGER=pm2',
    'PREFLIGHT_PROBE_TIMEOUT_SECONDS=3', 'HEALTH_TIMEOUT_SECONDS=2', ...extraConfig, '',
  ].join('\n'));
  put('apps/woosoo-nexus/.env', `APP_KEY=${SECRETS.appKey}\nMAIL_PASSWORD=${SECRETS.envOnly}\n`);
  put('apps/tablet-ordering-pwa/.env', 'NUXT_PUBLIC_API=http://127.0.0.1:59981\n');
  const leak = [
    `[2026-12-01 10:00:00] production.ERROR: SQLSTATE[HY000] [1045] Access denied for user 'woosoo' (using password: ${SECRETS.dbPassword})`,
    `connecting to mysql://woosoo:${encodeURIComponent(SECRETS.dbPassword)}@127.0.0.1:59984/woosoo`,
    `reverb: app key ${SECRETS.reverbKey} secret "${SECRETS.reverbSecret}"`,
    `posting to ${SECRETS.webhook}`, `token ${SECRETS.webhookToken} and qTok9ZZabc123diag`,
    `decrypting with ${SECRETS.appKeyBase64}`, `mail login ${SECRETS.envOnly}`,
  ];
  const filler = Array.from({ length: 30 }, (_, i) => `line ${i} of an ordinary log`);
  put('logs/woosoo-backend/output.log', [...filler, ...leak, 'the last line of the backend log', ''].join('\n'));
  put('logs/woosoo-backend/error.log', `${leak[0]}\n`);
  put('apps/woosoo-nexus/storage/logs/laravel.log', `${leak[0]}\n${leak[5]}\n`);
  put(`deployments/${DEPLOY_ID}/journal.json`, JSON.stringify({ format: 1, id: DEPLOY_ID, status: 'Failed', failedStep: 'Build', error: leak[1], steps: [] }, null, 2));
  put(`logs/deployment/${DEPLOY_ID}.json`, JSON.stringify({ id: DEPLOY_ID, status: 'Failed', note: leak[2] }));
  put(`logs/deployment/${DEPLOY_ID}/backend.log`, `${leak.join('\n')}\n`);
  put('logs/woosoo/engine.log', `{"level":"info","msg":"started"}\n{"level":"error","msg":"${leak[3]}"}\n`);
  put('logs/audit/audit-2026-12.jsonl', `{"command":"Set-WoosooConfig","parameters":{"Value":"${SECRETS.reverbSecret}"}}\n`);
  return dir;
}

/** The zip's files by name, as text. */
export function readZip(file: string): Map<string, string> {
  const files = unzipSync(readFileSync(file));
  return new Map(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** "name: secret" for every forbidden string found in any file of the zip (none expected). */
export function leaks(files: Map<string, string>): string[] {
  return [...files].flatMap(([name, text]) => FORBIDDEN.filter((s) => text.includes(s)).map((s) => `${name}: ${s}`));
}
