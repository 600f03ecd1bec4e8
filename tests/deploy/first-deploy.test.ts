// Issue 15's "done when": on a fresh copy of the demo's apps with no configuration, New-WoosooProject (project.new)
// then the first deploy succeeds — with the real parts: composer, artisan (Laravel 8 from Debian), npm, nginx, PM2 and a
// private MariaDB. The one step between is the admin's (docs/getting-started.md): the database user is created with
// the password New-WoosooProject generated, and DB_PORT set to where that server listens (Set-WoosooConfig).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadValidProject, readProject } from '../../core/config';
import { RequestContext } from '../../core/kernel/context';
import { streamingSteps } from '../../core/deploy/methods';
import { runDeploy } from '../../core/deploy/orchestrator';
import { projectNew } from '../../core/project/methods';
import { openServiceSet } from '../../core/services';
import { killPm2, type Pm2Backend } from '../../core/services/pm2';
import { setConfigValue } from '../../core/sync/set';
import { startMariaDb, type MariaDb } from '../harness/mariadb';
import { missingTools, skipUnless } from '../harness/tools';
import { ROOT } from '../support/engine';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';

describe.skipIf(skipUnless(!missing, missing))('New-WoosooProject, then the first deploy', () => {
  const dir = mkdtempSync('/tmp/wsfirst-');
  const env = { ...(process.env as Record<string, string>), COMPOSER_ALLOW_SUPERUSER: '1', PM2_DISABLE_VERSION_CHECK: 'true' };
  const ctx = () => new RequestContext(1, { env, cwd: dir }, new AbortController().signal, () => {});
  let db: MariaDb | undefined;
  afterAll(async () => {
    await killPm2(openServiceSet(readProject(dir, ctx()), ctx()).backend as Pm2Backend).catch(() => {});
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('writes a configuration from the apps alone, and the deploy of it succeeds on the first attempt', async () => {
    for (const f of execFileSync('git', ['ls-files', 'examples/demo/apps'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)) {
      const to = join(dir, f.slice('examples/demo/'.length));
      mkdirSync(join(to, '..'), { recursive: true });
      copyFileSync(join(ROOT, f), to);
    }
    const made = await projectNew.handler({ path: dir, force: false, whatIf: false } as never, ctx());
    expect((made as { items: { Written: boolean }[] }).items[0].Written).toBe(true);
    const generated = readProject(dir, ctx());
    expect(readFileSync(join(dir, 'deployment.config.env'), 'utf8')).toContain('BACKEND_PATH=apps/woosoo-nexus');
    db = await startMariaDb({ database: generated.str('DB_DATABASE'), user: generated.str('DB_USERNAME'), password: generated.str('DB_PASSWORD') });
    await setConfigValue(readProject(dir, ctx()), ctx(), 'DB_PORT', String(db.port), false);
    const j = await runDeploy(loadValidProject(dir, { env, cwd: dir }), streamingSteps(ctx()), {
      scope: 'Full', skipBackup: false, skipBuild: false, skipTests: false, force: false, noRollback: false, parallel: true,
    });
    expect(j.status).toBe('Succeeded');
    expect(j.strategy).toBe('BlueGreen');
  }, 300_000);
});
