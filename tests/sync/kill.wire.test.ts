// Killing the engine in the middle of config.sync (SIGKILL at varying moments) never leaves a half-written file:
// each target is either its old content or the complete new one, and the next sync cleans up and completes.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../support/engine';
import { makeProject, type Project } from './fixtures';

const OLD = 'APP_KEY=base64:keep-me\nAPP_NAME=Old\nDB_PASSWORD=old-password-1\n';

describe('config.sync killed half-way', () => {
  let project: Project;
  let complete: string;
  beforeAll(async () => {
    project = makeProject();
    // The content a finished sync writes, to compare against.
    writeFileSync(join(project.backend, '.env'), OLD);
    const engine = await EngineClient.start({ cwd: project.dir });
    await engine.call('config.sync', { path: project.dir, apps: ['backend'] });
    await engine.close();
    complete = readFileSync(join(project.backend, '.env'), 'utf8');
    expect(complete).not.toBe(OLD);
  });
  afterAll(() => project?.cleanup());

  it('leaves each file old or new, never partial; the next sync completes', async () => {
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(project.backend, '.env'), OLD);
      const engine = await EngineClient.start({ cwd: project.dir });
      const pending = engine.request('config.sync', { path: project.dir, apps: ['backend', 'nginx'] });
      await new Promise((r) => setTimeout(r, i * 4));
      engine.child.kill('SIGKILL');
      await engine.exited;
      void pending;
      const now = readFileSync(join(project.backend, '.env'), 'utf8');
      expect([OLD, complete]).toContain(now);
    }
    const engine = await EngineClient.start({ cwd: project.dir });
    try {
      await engine.call('config.sync', { path: project.dir });
    } finally {
      await engine.close();
    }
    expect(readFileSync(join(project.backend, '.env'), 'utf8')).toBe(complete);
    expect(readdirSync(project.backend).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
