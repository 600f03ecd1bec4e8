/** logs.list over the real wire: the services that have logs (what Get-WoosooLog -Service completes), with their files. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { local, makeProject, makeStackProject, type Project } from './fixtures';

describe('logs.list', () => {
  let p: Project;
  let empty: Project;
  let c: EngineClient;
  beforeAll(async () => {
    p = makeStackProject();
    p.write('logs/woosoo-reverb/output.log', 'started\n', local(2026, 2, 15, 14, 0, 0));
    p.write('logs/woosoo-reverb/output.log.1', 'older\n', local(2026, 2, 14, 14, 0, 0));
    p.write('logs/deployment/20261122-031500-a1b2/backend.log', 'composer install\n');
    empty = makeProject();
    c = await EngineClient.start();
  });
  afterAll(async () => {
    await c.close();
    p.cleanup();
    empty.cleanup();
  });

  it('names each service with logs once, with its file count, size and newest write', async () => {
    const reply = await c.request('logs.list', { path: p.dir });
    expect(reply.error).toBeUndefined();
    const value = reply.result!.value as { Service: string; Files: number; SizeBytes: number; LastWriteTime: string | null }[];
    expect(value.map((s) => s.Service)).toEqual(['nginx', 'woosoo-reverb', 'deployment', 'laravel']);
    const reverb = value.find((s) => s.Service === 'woosoo-reverb')!;
    expect(reverb).toMatchObject({ Files: 2, SizeBytes: 'started\n'.length + 'older\n'.length });
    expect(Date.parse(reverb.LastWriteTime!)).toBe(local(2026, 2, 15, 14, 0, 0));
    expect(value.find((s) => s.Service === 'nginx')!.Files).toBe(2);
  });

  it('is empty where nothing has logged yet (a laravel folder without files still counts, with none)', async () => {
    const reply = await c.request('logs.list', { path: empty.dir });
    expect(reply.result!.value).toEqual([{ Service: 'laravel', Files: 0, SizeBytes: 0, LastWriteTime: null }]);
  });

  it('fails like logs.get where there is no project', async () => {
    const reply = await c.request('logs.list', { path: `${p.dir}/no-such-folder` });
    expect(reply.error?.data?.errorId).toBe('ConfigNotFound');
  });
});
