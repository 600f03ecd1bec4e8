// -Service of Get-WoosooLog takes the names -Name of the service cmdlets takes (issue 11): a service's full name or its
// short name without SERVICE_PREFIX-, with wildcards. Checked against the services domain's own selectDefinitions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProject } from '../../core/config';
import { pickSources } from '../../core/logs/query';
import { discoverSources, selectSources } from '../../core/logs/sources';
import { selectDefinitions, stackDefinitions } from '../../core/services/definitions';
import { BASE_CONFIG } from '../health/fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project whose every service has written its log under logs/<service name>/, as NSSM and PM2 do. */
function stack(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), 'wslognames-'));
  dirs.push(dir);
  const values = { ...BASE_CONFIG, SERVICE_PREFIX: prefix };
  writeFileSync(join(dir, 'deployment.config.env'), `${Object.entries(values).map(([k, v]) => `${k}='${v}'`).join('\n')}\n`);
  const env = process.env as Record<string, string>;
  const cfg = readProject(dir, { env, cwd: dir });
  const defs = stackDefinitions(cfg, env);
  for (const d of defs) {
    mkdirSync(join(dir, 'logs', d.name), { recursive: true });
    writeFileSync(join(dir, 'logs', d.name, 'output.log'), `[2026-02-15 14:30:00] ${d.name} started\n`);
  }
  return { dir, cfg, defs, sources: discoverSources(dir, cfg.path('BACKEND_PATH')) };
}

describe('Get-WoosooLog -Service names = Get-WoosooService -Name names', () => {
  for (const prefix of ['woosoo', 'my-shop']) {
    it(`every name selectDefinitions accepts selects that service's logs (SERVICE_PREFIX=${prefix})`, () => {
      const s = stack(prefix);
      const names = s.defs.flatMap((d) => [d.name, d.key, d.key.toUpperCase(), `${d.key.slice(0, 3)}*`]).concat(['*', '*e*', 'queue*']);
      for (const name of names) {
        const services = selectDefinitions(s.defs, [name]).map((d) => d.name).sort();
        const logs = [...new Set(selectSources(s.sources, [name], prefix).sources.map((src) => src.service))].sort();
        expect({ name, logs }).toEqual({ name, logs: services });
      }
    });
  }

  it('a short name needs the prefix to match; a name of no service still matches nothing', () => {
    const s = stack('woosoo');
    expect(selectSources(s.sources, ['backend'], 'woosoo').unmatched).toEqual([]);
    expect(selectSources(s.sources, ['backend'], 'other').unmatched).toEqual(['backend']);
    expect(selectSources(s.sources, ['woosoo'], 'woosoo').unmatched).toEqual(['woosoo']);
    expect(selectSources(s.sources, ['backend', 'nope'], 'woosoo').unmatched).toEqual(['nope']);
  });

  it('pickSources, as logs.get calls it with SERVICE_PREFIX, reads backend as woosoo-backend and names the unmatched', () => {
    const s = stack('woosoo');
    const picked = pickSources(s.dir, s.cfg.path('BACKEND_PATH'), ['backend', 'laravel'], undefined, s.cfg.str('SERVICE_PREFIX'));
    expect(picked.sources.map((src) => src.service)).toEqual(['woosoo-backend', 'woosoo-backend']);
    expect(picked.errors.map((e) => [e.data.errorId, e.data.targetObject])).toEqual([['LogServiceNotFound', 'laravel']]);
  });
});
