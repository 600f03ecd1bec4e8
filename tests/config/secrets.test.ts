/**
 * Secrets found while loading are returned by the configuration (ProjectConfig.secretValues) and registered at the
 * request boundary (config/index.ts readProject): the declared secret keys, keys named like secrets, and the password
 * of any URL in a value (HEALTH_URLS=http://admin:pw@host/...), as written and percent-decoded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProject } from '../../core/config';
import { parseConfig } from '../../core/config/load';
import { redact } from '../../core/util/redact';

const dir = mkdtempSync(join(tmpdir(), 'wssecrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const location = { projectDir: dir, file: join(dir, 'deployment.config.env') };
const TEXT = [
  'DB_PASSWORD=Db-pass-0001-long', 'MY_API_TOKEN=tok-0002-abcdefgh', 'APP_IP=192.168.1.10',
  'HEALTH_URLS=http://admin:Url%2Fpass-0003@127.0.0.1:9/status,https://ops:plain-0004-pw@10.0.0.2/ok',
].join('\n');

describe('secrets of the configuration', () => {
  it('are returned by the loaded configuration: declared, named like one, and URL passwords (raw and decoded)', () => {
    const values = parseConfig(location, TEXT).secretValues();
    expect(values).toEqual(expect.arrayContaining(['Db-pass-0001-long', 'tok-0002-abcdefgh', 'Url%2Fpass-0003', 'Url/pass-0003', 'plain-0004-pw']));
    expect(values).not.toContain('192.168.1.10');
  });

  it('loading registers nothing; the request that reads the project does (readProject), and masking starts there', () => {
    parseConfig(location, TEXT.replace(/0001/, '0101'));
    expect(redact('Db-pass-0101-long')).toBe('Db-pass-0101-long');
    writeFileSync(location.file, TEXT.replace(/0001/, '0101'));
    const registered: string[] = [];
    readProject(dir, { env: {}, cwd: dir, registerSecrets: (v) => registered.push(...v) });
    expect(registered).toEqual(expect.arrayContaining(['Db-pass-0101-long', 'Url/pass-0003', 'plain-0004-pw']));
  });
});
