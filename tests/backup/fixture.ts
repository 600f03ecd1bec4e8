/** A throw-away Woosoo project for the backup tests: config, configs/, app .env files, uploads; and a context. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadValidProject, type ProjectConfig } from '../../core/config';
import { RequestContext } from '../../core/kernel/context';

export interface Project {
  dir: string;
  cfg: () => ProjectConfig;
  ctx: (signal?: AbortSignal) => RequestContext;
  notes: { method: string; params: Record<string, unknown> }[];
}

export function configText(db: { port: number; database: string; user: string; password: string } = { port: 3306, database: 'woosoo', user: 'woosoo', password: 'not-used-pw-1' }): string {
  return [
    '# test project', 'ENVIRONMENT=staging', 'APP_IP=127.0.0.1', 'DB_HOST=127.0.0.1', `DB_PORT=${db.port}`,
    `DB_DATABASE=${db.database}`, `DB_USERNAME=${db.user}`, `DB_PASSWORD='${db.password}'`,
    'REVERB_APP_KEY=test-reverb-key-1', 'REVERB_APP_SECRET=test-reverb-secret-1', '',
  ].join('\n');
}

export function makeProject(opts: { db?: Parameters<typeof configText>[0]; files?: number } = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'wsbk-'));
  writeFileSync(join(dir, 'deployment.config.env'), configText(opts.db));
  mkdirSync(join(dir, 'configs'));
  writeFileSync(join(dir, 'configs', 'nginx.conf'), 'events {}\nhttp { server { listen 8088; } }\n');
  mkdirSync(join(dir, 'apps', 'woosoo-nexus', 'storage', 'app', 'public', 'menu'), { recursive: true });
  mkdirSync(join(dir, 'apps', 'tablet-ordering-pwa'), { recursive: true });
  writeFileSync(join(dir, 'apps', 'woosoo-nexus', '.env'), 'APP_KEY=base64:c2VjcmV0LWFwcC1rZXktdGhhdC1tdXN0LXN1cnZpdmU=\nDB_PASSWORD="x y#z"\n');
  writeFileSync(join(dir, 'apps', 'tablet-ordering-pwa', '.env'), 'NUXT_PUBLIC_API=http://127.0.0.1:8088\r\n');
  for (let i = 0; i < (opts.files ?? 5); i++) {
    writeFileSync(join(dir, 'apps', 'woosoo-nexus', 'storage', 'app', 'public', 'menu', `dish-${i}.bin`), randomBytes(1000 + i * 777));
  }
  writeFileSync(join(dir, 'apps', 'woosoo-nexus', 'storage', 'app', 'ünïcode name.txt'), 'héllo\n');
  const notes: Project['notes'] = [];
  return {
    dir,
    notes,
    cfg: () => loadValidProject(dir, { env: process.env as Record<string, string>, cwd: dir }),
    ctx: (signal = new AbortController().signal) =>
      new RequestContext(1, { env: process.env as Record<string, string>, cwd: dir }, signal, (method, params) => notes.push({ method, params })),
  };
}

export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Rewrites metadata.json with `change` and fixes its line in checksums.sha256 (a "consistent" forgery). */
export function forgeMetadata(backupDir: string, change: (m: Record<string, unknown>) => void): void {
  const metaFile = join(backupDir, 'metadata.json');
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
  change(meta);
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  const sums = readFileSync(join(backupDir, 'checksums.sha256'), 'utf8').replace(/^[0-9a-f]{64}  metadata\.json$/m, `${sha(metaFile)}  metadata.json`);
  writeFileSync(join(backupDir, 'checksums.sha256'), sums);
}
