// Set-WoosooConfig's engine side (core/sync/set.ts) on a real project file: the key's line replaced in place with
// everything else byte for byte, validation of the whole file first (≥ 200 bad values fuzzed: each refused, the file
// byte-identical, no backup made), the backup before a write, secrets masked, and phpdotenv (Laravel's reader)
// reading back exactly the value that was set.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups } from '../../core/backup';
import { readProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { setConfigValue } from '../../core/sync/set';
import { hasTool, skipUnless } from '../harness/tools';
import { makeProject, testContext, type Project } from './fixtures';

const phpReason = hasTool('php') && existsSync('/usr/share/php/Dotenv/autoload.php') ? '' : 'php or phpdotenv missing (run bash scripts/setup.sh)';
const HEADER = '# The master file\n# comments and blank lines stay\n\n';

describe('config.set (Set-WoosooConfig)', () => {
  let p: Project;
  const file = () => join(p.dir, 'deployment.config.env');
  const set = (name: string, value: string, whatIf = false) => {
    const ctx = testContext(p.dir);
    return setConfigValue(readProject(p.dir, ctx), ctx, name, value, whatIf);
  };
  beforeEach(() => {
    p = makeProject();
    writeFileSync(file(), `${HEADER}${readFileSync(file(), 'utf8').replace('# test project\n', '')}export   HTTP_PORT =  '8088'  \n`);
  });
  afterEach(() => p.cleanup());

  it('replaces the key\'s line only, keeping its export, spacing and quote style; appends a key the file lacks', async () => {
    const before = readFileSync(file(), 'utf8');
    const c = await set('HTTP_PORT', '8090');
    const after = readFileSync(file(), 'utf8');
    expect(after).toBe(before.replace("export   HTTP_PORT =  '8088'  \n", "export   HTTP_PORT =  '8090'\n"));
    expect(c).toMatchObject({ action: 'Update', linesAdded: 1, linesRemoved: 1, whatIf: false });
    expect(c.backupId).toBeDefined();
    await set('DEPLOY_KEEP_RELEASES', '7');
    expect(readFileSync(file(), 'utf8')).toBe(`${after}DEPLOY_KEEP_RELEASES=7\n`);
    expect(readProject(p.dir, testContext(p.dir)).num('DEPLOY_KEEP_RELEASES')).toBe(7);
  });

  it('-WhatIf: the diff with the secret masked, nothing written, no backup', async () => {
    const before = readFileSync(file(), 'utf8');
    const c = await set('DB_PASSWORD', 'a-new-Secret#42', true);
    expect(c.diff).toContain('+DB_PASSWORD=********');
    expect(c.diff).not.toContain('a-new-Secret');
    expect(c.diff).not.toContain('Sync-Pa55');
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(existsSync(join(p.dir, 'backups'))).toBe(false);
  });

  it('refuses every bad value (fuzzed) with the problem, leaving the file byte-identical and making no backup', async () => {
    const before = readFileSync(file(), 'utf8');
    const cases: [string, string][] = [];
    // Each port key: out of range, not a number, or another service's port (its own current value is valid).
    const current: Record<string, string> = { HTTP_PORT: '8088', BACKEND_PORT: '8001', REVERB_PORT: '8081', BACKEND_GREEN_PORT: '8100', DB_PORT: '3306' };
    for (const key of Object.keys(current)) {
      for (const v of ['0', '-1', '65536', '99999', 'eighty', '80.5', '1e3', ' ', '8081', '8001', '3306', '8088', '8180', '0x50', '+80', '١٢٣', '', '80 80']) {
        if (v !== current[key]) cases.push([key, v]);
      }
    }
    for (const v of ['maybe', 'ja', '2', 'yes please', 'TRUE!', '-']) for (const key of ['APP_DEBUG', 'HTTPS_ENABLED', 'RELAY_ENABLED']) cases.push([key, v]);
    for (const v of ['staging2', 'prod', '', 'Productio', 'dev']) cases.push(['ENVIRONMENT', v]);
    for (const v of ['999.1.1.1', 'localhost', '', '10.0.0', '1.2.3.4.5', '::1']) cases.push(['APP_IP', v]);
    for (const v of ['Qz7xk', '', '1234567', 'abc']) cases.push(['DB_PASSWORD', v]);
    for (const v of ['0', '1', '101', 'five', '-3']) cases.push(['DEPLOY_KEEP_RELEASES', v]);
    for (const v of ['Blue', 'rolling', '']) cases.push(['DEPLOY_STRATEGY', v]);
    for (const v of ['ftp://x', 'not a url', 'http://']) cases.push(['DEPLOY_WEBHOOK_URL', v]);
    for (const v of ['api/health', 'health', ' /x']) cases.push(['HEALTH_ENDPOINT', v]);
    for (const v of ['x', '0', '-5', '3601', '1.5']) for (const key of ['DEPLOY_HEALTH_DEADLINE_SECONDS', 'HEALTH_TIMEOUT_SECONDS']) cases.push([key, v]);
    for (const v of ['tiny', 'x']) for (const key of ['REVERB_APP_KEY', 'REVERB_APP_SECRET']) cases.push([key, v]);
    for (let i = 0; i < 60; i++) cases.push(['HTTP_PORT', String(65536 + i * 997)]);
    for (const key of ['NO_SUCH_KEY', 'http_port ', 'HTTP-PORT']) cases.push([key, '8090']);
    cases.push(['APP_NAME', `it's "both"\nlines`]);
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const accepted: string[] = [];
    for (const [key, value] of cases) {
      const err = await set(key, value).then(() => null, (e: unknown) => e);
      if (!(err instanceof WoosooError)) accepted.push(`${key}=${JSON.stringify(value)}`);
      else {
        expect(['ConfigValueInvalid', 'ConfigKeyUnknown', 'ConfigValueUnwritable']).toContain(err.errorId);
        expect(err.message).toContain('not changed');
        if (key.includes('PASSWORD') || key.includes('SECRET') || key.includes('_KEY')) {
          if (value.length >= 4) expect(err.message).not.toContain(value);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(listBackups(readProject(p.dir, testContext(p.dir)))).toEqual([]);
  }, 60_000);

  it.skipIf(skipUnless(!phpReason, phpReason))('phpdotenv (Laravel) reads back exactly the value that was set', async () => {
    const values = ['plain', 'with space', 'p@ss#1', 'a$b${c}', "it's", 'say "hi"', 'back\\slash', 'tab\there', 'x=y', '#hash', 'trailing '];
    for (const [i, v] of values.entries()) await set('APP_NAME', `${v}${i}`);
    const php = "require '/usr/share/php/Dotenv/autoload.php'; echo json_encode(Dotenv\\Dotenv::parse(file_get_contents($argv[1])));";
    for (const [i, v] of values.entries()) {
      await set('APP_NAME', `${v}${i}`);
      const read = JSON.parse(execFileSync('php', ['-r', php, file()], { encoding: 'utf8' })) as Record<string, string>;
      expect(read.APP_NAME, v).toBe(`${v}${i}`);
      expect(readProject(p.dir, testContext(p.dir)).str('APP_NAME'), v).toBe(`${v}${i}`);
    }
  });
});
