// config.set with several changes (core/sync/set.ts, setConfigValues), as Edit-WoosooConfig saves its answers: the
// values are validated together (a pair that only works together passes, a pair that clashes is refused), one bad
// value refuses them all with the file byte-identical and no backup, and a save is one backup and one write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups } from '../../core/backup';
import { readProject } from '../../core/config';
import { WoosooError } from '../../core/kernel/errors';
import { setConfigValues, type KeyChange } from '../../core/sync/set';
import { makeProject, testContext, type Project } from './fixtures';

describe('config.set with several changes', () => {
  let p: Project;
  const file = () => join(p.dir, 'deployment.config.env');
  const backups = () => listBackups(readProject(p.dir, testContext(p.dir)));
  const set = (changes: KeyChange[], whatIf = false) => {
    const ctx = testContext(p.dir);
    return setConfigValues(readProject(p.dir, ctx), ctx, changes, whatIf);
  };
  const refusal = (changes: KeyChange[]) => set(changes).then(() => null, (e: unknown) => e as WoosooError);
  beforeEach(() => {
    p = makeProject();
    writeFileSync(file(), `# the master file\n\n${readFileSync(file(), 'utf8')}`);
  });
  afterEach(() => p.cleanup());

  it('sets them all in one write with one backup; the combined diff masks the secret', async () => {
    const before = readFileSync(file(), 'utf8');
    const c = await set([{ name: 'HTTP_PORT', value: '8090' }, { name: 'DB_PASSWORD', value: 'Many-Secret-4417' }, { name: 'DEPLOY_KEEP_RELEASES', value: '4' }]);
    expect(readFileSync(file(), 'utf8')).toBe(
      `${before.replace('HTTP_PORT=8088', 'HTTP_PORT=8090').replace("DB_PASSWORD='Sync-Pa55 #word'", "DB_PASSWORD='Many-Secret-4417'")}DEPLOY_KEEP_RELEASES=4\n`);
    expect(c).toMatchObject({ action: 'Update', linesAdded: 3, linesRemoved: 2, whatIf: false, check: 'validated with the new values' });
    expect(c.diff).toContain('+HTTP_PORT=8090');
    expect(c.diff).toContain('+DB_PASSWORD=********');
    expect(c.diff).toContain('+DEPLOY_KEEP_RELEASES=4');
    expect(c.diff).not.toContain('Many-Secret');
    const all = backups();
    expect(all.map((b) => b.id)).toEqual([c.backupId]);
    expect(all[0].description).toBe('Before Set-WoosooConfig HTTP_PORT, DB_PASSWORD, DEPLOY_KEEP_RELEASES');
  });

  it('validates the values together: a swap that only works as a pair passes, a pair that clashes is refused', async () => {
    // Each alone takes the other service's port; together they swap.
    const swapped = await set([{ name: 'HTTP_PORT', value: '8001' }, { name: 'BACKEND_PORT', value: '8088' }], true);
    expect(swapped.diff).toContain('+HTTP_PORT=8001');
    expect(swapped.diff).toContain('+BACKEND_PORT=8088');
    expect(await refusal([{ name: 'HTTP_PORT', value: '8001' }])).toBeInstanceOf(WoosooError);
    // Each alone is free; together they take the same port.
    const before = readFileSync(file(), 'utf8');
    expect(await refusal([{ name: 'HTTP_PORT', value: '9100' }])).toBeNull();
    writeFileSync(file(), before);
    const clash = await refusal([{ name: 'HTTP_PORT', value: '9100' }, { name: 'REVERB_PORT', value: '9100' }]);
    expect(clash?.errorId).toBe('ConfigValueInvalid');
    expect(clash?.message).toMatch(/^HTTP_PORT=9100, REVERB_PORT=9100 were refused; .* was not changed:\n {2}- /);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('one bad value refuses them all: the file byte-identical, no backup, the secret never in the message', async () => {
    const before = readFileSync(file(), 'utf8');
    const good = [{ name: 'HTTP_PORT', value: '8090' }, { name: 'DB_PASSWORD', value: 'Good-Secret-5521' }];
    const cases: [KeyChange, string][] = [
      [{ name: 'BACKEND_PORT', value: '70000' }, 'ConfigValueInvalid'],
      [{ name: 'APP_DEBUG', value: 'maybe' }, 'ConfigValueInvalid'],
      [{ name: 'REVERB_APP_SECRET', value: 'x' }, 'ConfigValueInvalid'],
      [{ name: 'NO_SUCH_KEY', value: '1' }, 'ConfigKeyUnknown'],
      [{ name: 'APP_NAME', value: `it's "both"\nlines` }, 'ConfigValueUnwritable'],
    ];
    for (const [bad, id] of cases) {
      for (const order of [[...good, bad], [bad, ...good]]) {
        const err = await refusal(order);
        expect(err?.errorId, `${bad.name}=${bad.value}`).toBe(id);
        expect(err?.message).toContain('not changed');
        expect(err?.message).not.toContain('Good-Secret');
        expect(readFileSync(file(), 'utf8')).toBe(before);
      }
    }
    expect(backups()).toEqual([]);
  });

  it('whatIf writes nothing; the same key twice takes the last value', async () => {
    const before = readFileSync(file(), 'utf8');
    const c = await set([{ name: 'HTTP_PORT', value: '8090' }, { name: 'HTTP_PORT', value: '8091' }], true);
    expect(c).toMatchObject({ action: 'Update', whatIf: true, linesAdded: 1, linesRemoved: 1 });
    expect(c.diff).toContain('+HTTP_PORT=8091');
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(backups()).toEqual([]);
    const same = await set([{ name: 'HTTP_PORT', value: '8088' }, { name: 'APP_IP', value: '127.0.0.1' }]);
    expect(same).toMatchObject({ action: 'Unchanged', diff: '' });
    expect(same.backupId).toBeUndefined();
  });
});
