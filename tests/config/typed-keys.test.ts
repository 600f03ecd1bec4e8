/**
 * The configuration accessors are typed from the key declarations (core/config/keys/): a misspelled key does not
 * compile (the @ts-expect-error lines below fail `tsc --noEmit` in scripts/test.sh the day the name is accepted), and
 * get() returns the type the key's zod schema produces.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { readConfig } from '../../core/config/load';
import { isKeyName, KEYS, type KeyName } from '../../core/config/keys';

const dir = mkdtempSync(join(tmpdir(), 'wstyped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'deployment.config.env'), 'APP_IP=192.168.1.10\nHTTP_PORT=8080\nHTTPS_ENABLED=yes\nENVIRONMENT=Production\nMY_OWN_NOTE=kept\n');
const cfg = readConfig({ projectDir: dir, file: join(dir, 'deployment.config.env') });

describe('typed configuration keys', () => {
  it('get() returns the value its schema gives, typed: a number for a port, a boolean for a flag, the choice for a list', () => {
    expectTypeOf(cfg.get('HTTP_PORT')).toEqualTypeOf<number | undefined>();
    expectTypeOf(cfg.get('HTTPS_ENABLED')).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(cfg.get('APP_IP')).toEqualTypeOf<string | undefined>();
    expect(cfg.get('HTTP_PORT')).toBe(8080);
    expect(cfg.get('HTTPS_ENABLED')).toBe(true);
    expect(cfg.get('ENVIRONMENT')).toBe('production');
  });

  it('a misspelled key does not compile in any accessor', () => {
    // @ts-expect-error HTTP_PROT is not a declared key
    expect(cfg.str('HTTP_PROT')).toBe('');
    // @ts-expect-error HTTP_PROT is not a declared key
    expect(cfg.get('HTTP_PROT')).toBeUndefined();
    // @ts-expect-error BACKEND_PTH is not a declared key
    expect(cfg.path('BACKEND_PTH')).toBe(dir);
  });

  it('names read at run time go through isKeyName or text(): an undeclared entry is still readable as text', () => {
    expect(isKeyName('HTTP_PORT')).toBe(true);
    expect(isKeyName('MY_OWN_NOTE')).toBe(false);
    expect(cfg.text('MY_OWN_NOTE')).toBe('kept');
    expect(cfg.text('HTTP_PORT')).toBe('8080');
    expect(cfg.text('NOT_IN_THE_FILE')).toBe('');
    expectTypeOf<KeyName>().toMatchTypeOf<string>();
    expect(KEYS.size).toBeGreaterThan(50);
  });
});
