import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findProject, parseConfig, readConfig } from '../../core/config/load';
import { validateConfig } from '../../core/config/validate';
import { loadValidProject, readProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { clearSecrets, redact, registerSecrets } from '../../core/util/redact';

const VALID = [
  'ENVIRONMENT=production', 'APP_IP=192.168.1.50', 'HTTP_PORT=80', 'BACKEND_PORT=8000', 'REVERB_PORT=8080',
  'DB_HOST=127.0.0.1', 'DB_PORT=3306', 'DB_DATABASE=woosoo', 'DB_USERNAME=woosoo', 'DB_PASSWORD=correct-horse-9',
  'REVERB_APP_KEY=key-123456', 'REVERB_APP_SECRET=secret-123456',
].join('\n');

function project(text: string, withApps = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-cfg-'));
  writeFileSync(join(dir, 'deployment.config.env'), text);
  if (withApps) for (const a of ['apps/woosoo-nexus', 'apps/tablet-ordering-pwa']) mkdirSync(join(dir, a), { recursive: true });
  return dir;
}
const loc = (dir: string) => ({ projectDir: dir, file: join(dir, 'deployment.config.env') });
const problems = (text: string) => validateConfig(readConfig(loc(project(text))));

afterEach(() => clearSecrets());

describe('configuration typing', () => {
  it('types values and applies defaults', () => {
    const cfg = parseConfig(loc('/p'), VALID);
    expect(cfg.values.HTTP_PORT).toBe(80);
    expect(cfg.values.DB_PORT).toBe(3306);
    expect(cfg.values.APP_DEBUG).toBe(false);
    expect(cfg.values.APP_NAME).toBe('Woosoo');
    expect(cfg.values.BACKEND_PATH).toBe('apps/woosoo-nexus');
    expect(cfg.path('BACKEND_PATH')).toBe(join('/p', 'apps/woosoo-nexus'));
  });

  it('parsing registers nothing; it lists the secret values (declared, or named like one) for the request to register', () => {
    const cfg = parseConfig(loc('/p'), `${VALID}\nMY_API_TOKEN=tok-abcdef`);
    expect(redact('pw correct-horse-9 and tok-abcdef')).toBe('pw correct-horse-9 and tok-abcdef');
    expect(cfg.secretValues().sort()).toEqual(['correct-horse-9', 'key-123456', 'secret-123456', 'tok-abcdef']);
  });

  it('the request that loads the project registers its secrets, through its context', () => {
    const dir = project(`${VALID}\nMY_API_TOKEN=tok-abcdef`);
    const registered: string[] = [];
    readProject(dir, { env: {}, cwd: dir, registerSecrets: (v) => registered.push(...v) });
    expect(registered.sort()).toEqual(['correct-horse-9', 'key-123456', 'secret-123456', 'tok-abcdef']);
    expect(redact('correct-horse-9')).toBe('correct-horse-9'); // the context's registry, not a side effect of loading
    readProject(dir, { env: {}, cwd: dir }); // a plain session (tests, tools): the engine's registry
    expect(redact('pw correct-horse-9 and tok-abcdef')).toBe('pw ******** and ********');
  });
});

describe('secrets too short to mask', () => {
  it('are a SecretLength problem of the configuration, and never masked as substrings everywhere', () => {
    const text = VALID.replace('REVERB_APP_KEY=key-123456', 'REVERB_APP_KEY=pwa').replace('REVERB_APP_SECRET=secret-123456', 'REVERB_APP_SECRET=s3cr3t7');
    const found = problems(text).map((p) => `${p.key}:${p.rule}:${p.severity}`);
    expect(found).toEqual(['REVERB_APP_KEY:SecretLength:Error', 'REVERB_APP_SECRET:SecretLength:Error']);
    registerSecrets(parseConfig(loc('/p'), text).secretValues());
    expect(redact('apps/tablet-ordering-pwa s3cr3t7 correct-horse-9')).toBe('apps/tablet-ordering-pwa s3cr3t7 ********');
  });
});

describe('validateConfig', () => {
  it('finds nothing wrong with a valid configuration', () => {
    expect(problems(VALID)).toEqual([]);
  });

  it('reports every problem at once, each with key, rule, line and a fix', () => {
    const text = [
      'ENVIRONMENT=prod', 'APP_IP=192.168.1.300', 'HTTP_PORT=80', 'BACKEND_PORT=80', 'REVERB_PORT=abc',
      'DB_DATABASE=', 'DB_USERNAME=woosoo', 'DB_PASSWORD=tiny7', 'REVERB_APP_KEY=k', 'REVERB_APP_SECRET=s',
      'DB_HSOT=typo',
    ].join('\n');
    const found = problems(text);
    const byRule = found.map((p) => `${p.key}:${p.rule}:${p.severity}`);
    expect(byRule).toEqual(expect.arrayContaining([
      'ENVIRONMENT:Type:Error', 'APP_IP:Type:Error', 'REVERB_PORT:Type:Error', 'DB_DATABASE:Type:Error',
      'BACKEND_PORT:PortRange:Error', 'BACKEND_PORT:PortConflict:Error', 'DB_PASSWORD:PasswordLength:Error',
      'DB_HSOT:UnknownKey:Warning',
    ]));
    for (const p of found) {
      expect(p.fix.length).toBeGreaterThan(5);
      expect(p.file).toMatch(/deployment\.config\.env$/);
    }
    expect(found.find((p) => p.key === 'APP_IP')!.line).toBe(2);
    expect(found.find((p) => p.key === 'DB_HSOT')!.fix).toContain('DB_HOST');
    expect(JSON.stringify(found)).not.toContain('tiny7'); // the password itself never appears
  });

  it('allows 80/443 for HTTP/HTTPS only, and checks HTTPS only when enabled', () => {
    expect(problems(`${VALID}\nHTTPS_ENABLED=true\nHTTPS_PORT=443`)).toEqual([]);
    expect(problems(`${VALID}\nHTTPS_ENABLED=true\nHTTPS_PORT=444`).map((p) => p.rule)).toEqual(['PortRange']);
    expect(problems(VALID.replace('REVERB_PORT=8080', 'REVERB_PORT=443')).map((p) => p.rule)).toEqual(['PortRange']);
  });

  it('detects a service port colliding with a local database port', () => {
    const found = problems(VALID.replace('REVERB_PORT=8080', 'REVERB_PORT=3306'));
    expect(found.map((p) => p.rule)).toEqual(['PortConflict']);
    expect(found[0].message).toContain('REVERB_PORT and DB_PORT');
  });

  it('reports missing required keys', () => {
    const found = problems('ENVIRONMENT=staging');
    expect(found.filter((p) => p.rule === 'Required').map((p) => p.key).sort()).toEqual(
      ['APP_IP', 'DB_DATABASE', 'DB_PASSWORD', 'DB_USERNAME', 'REVERB_APP_KEY', 'REVERB_APP_SECRET'],
    );
  });

  it('warns about debug in production and missing app folders', () => {
    const dir = project(`${VALID}\nAPP_DEBUG=true`, false);
    const rules = validateConfig(readConfig(loc(dir))).map((p) => `${p.key}:${p.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['APP_DEBUG:DebugInProduction', 'BACKEND_PATH:PathMissing', 'PWA_PATH:PathMissing']));
  });

  it('reports syntax errors with their line', () => {
    const found = problems(`${VALID}\nnot a setting`);
    expect(found).toEqual([expect.objectContaining({ rule: 'Syntax', line: 13, severity: 'Error' })]);
  });
});

describe('finding the project', () => {
  it('uses -Path (folder or file), then WOOSOO_PROJECT, then walks up from the current location', () => {
    const dir = project(VALID);
    const deep = join(dir, 'apps', 'woosoo-nexus');
    expect(findProject(dir, { env: {}, cwd: '/' }).file).toBe(join(dir, 'deployment.config.env'));
    expect(findProject(join(dir, 'deployment.config.env'), { env: {}, cwd: '/' }).projectDir).toBe(dir);
    expect(findProject(undefined, { env: { WOOSOO_PROJECT: dir }, cwd: '/' }).projectDir).toBe(dir);
    expect(findProject(undefined, { env: {}, cwd: deep }).projectDir).toBe(dir);
  });

  it('fails with ConfigNotFound and a fix when there is no project', () => {
    const empty = mkdtempSync(join(tmpdir(), 'woosoo-none-'));
    try {
      findProject(undefined, { env: {}, cwd: empty });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WoosooError);
      expect((err as WoosooError).errorId).toBe('ConfigNotFound');
      expect((err as WoosooError).recommendedAction).toContain('-Path');
    }
  });

  it('loadValidProject refuses an invalid configuration and lists every error', () => {
    const dir = project('ENVIRONMENT=nope\nAPP_IP=x');
    expect(() => loadValidProject(dir, { env: {}, cwd: '/' })).toThrow(/problem\(s\); nothing was changed/);
  });
});

describe('lines Laravel would read otherwise', () => {
  it('Test-WoosooConfig warns where phpdotenv reads the master file\'s lines otherwise (here: a =" swallowing the lines after it), naming key, line and fix', () => {
    const found = problems(`${VALID}\nAPP_NAME='a="b'\nBACKUP_PATH=backups\n`).filter((p) => p.rule === 'PhpdotenvDiffers');
    expect(found.map((p) => [p.key, p.line, p.severity])).toEqual([['APP_NAME', 13, 'Warning'], ['BACKUP_PATH', 14, 'Warning']]);
    expect(found[0].message).toContain('never closed');
    expect(found[0].fix).toContain('Set-WoosooConfig APP_NAME');
    expect(problems(VALID).filter((p) => p.rule === 'PhpdotenvDiffers')).toEqual([]);
  });
});
