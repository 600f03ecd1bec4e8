/**
 * core/process/locate.ts and pid.ts: the one way to find a tool (one meaning of a configured *_PATH), Woosoo's own
 * folder, and whether a process lives (zombies are dead).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredMiss, describeMiss, locateTool, moduleRoot, resolveConfiguredTool, toolQuery } from '../../core/process/locate';
import { livePidFrom, pidAlive } from '../../core/process/pid';
import { ROOT } from '../support/engine';

describe('locateTool', () => {
  let dir: string;
  let project: string;
  let onPath: string;
  let env: Record<string, string>;
  const tool = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, 0o755);
    return path;
  };
  const cfg = (values: Record<string, string>) => ({ str: (k: string) => values[k] ?? '', projectDir: project });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'woosoo-locate-'));
    project = join(dir, 'project');
    onPath = join(dir, 'path');
    tool(join(onPath, 'mytool'));
    tool(join(onPath, 'mytool-alt'));
    tool(join(project, 'tools', 'mytool'));
    tool(join(dir, 'own', 'mytool'));
    writeFileSync(join(project, 'tools', 'not-executable'), 'data');
    env = { PATH: onPath };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a configured relative path is relative to the project folder, never to the engine\'s working folder', () => {
    const r = locateTool(toolQuery(cfg({ MY_PATH: 'tools/mytool' }), 'MY_PATH', ['mytool']), env);
    expect(r).toEqual({ path: join(project, 'tools', 'mytool'), via: 'MY_PATH' });
    expect(resolveConfiguredTool('tools/mytool', project)).toBe(join(project, 'tools', 'mytool'));
    expect(resolveConfiguredTool('/opt/x/mytool', project)).toBe('/opt/x/mytool');
  });

  it('a configured bare name is a program on the session\'s PATH', () => {
    expect(locateTool(toolQuery(cfg({ MY_PATH: 'mytool-alt' }), 'MY_PATH', ['mytool']), env).path).toBe(join(onPath, 'mytool-alt'));
    const miss = locateTool(toolQuery(cfg({ MY_PATH: 'nosuch' }), 'MY_PATH', ['mytool']), env);
    expect(miss.path).toBeNull();
    expect(miss.path === null && miss.configured && configuredMiss(miss.configured)).toBe('is not on PATH');
  });

  it('a configured path that is missing or not executable is a miss that says which (no fallback to PATH)', () => {
    const q1 = toolQuery(cfg({ MY_PATH: 'tools/gone' }), 'MY_PATH', ['mytool']);
    const missing = locateTool(q1, env);
    expect(missing.path).toBeNull();
    expect(describeMiss(q1, missing)).toBe(`MY_PATH=tools/gone (${join(project, 'tools', 'gone')}) does not exist`);
    const q2 = toolQuery(cfg({ MY_PATH: join(project, 'tools', 'not-executable') }), 'MY_PATH', ['mytool']);
    expect(describeMiss(q2, locateTool(q2, env))).toMatch(/not-executable is not an executable file$/);
    // 'exists' is for files handed to a launcher or to node: present is enough.
    expect(locateTool({ ...q2, check: 'exists' }, env).path).toBe(join(project, 'tools', 'not-executable'));
  });

  it('not configured: own folders first, then PATH in the order of the names, then the last resorts', () => {
    const q = toolQuery(cfg({}), 'MY_PATH', ['mytool'], { dirs: [join(dir, 'own')] });
    expect(locateTool(q, env)).toEqual({ path: join(dir, 'own', 'mytool'), via: join(dir, 'own') });
    expect(locateTool(toolQuery(cfg({}), 'MY_PATH', ['nosuch', 'mytool-alt', 'mytool']), env).path).toBe(join(onPath, 'mytool-alt'));
    const last = toolQuery(cfg({}), 'MY_PATH', ['nosuch'], { fallbacks: [join(project, 'tools', 'mytool')] });
    expect(locateTool(last, env)).toEqual({ path: join(project, 'tools', 'mytool'), via: join(project, 'tools', 'mytool') });
    const none = toolQuery(cfg({}), 'MY_PATH', ['nosuch', 'other'], { dirs: ['/no/dir'] });
    expect(describeMiss(none, locateTool(none, env))).toBe('nosuch, other: not in /no/dir, none on PATH and MY_PATH is empty');
  });

  it('moduleRoot() is the folder holding Woosoo.psd1', () => {
    expect(moduleRoot()).toBe(ROOT);
  });
});

describe('pidAlive', () => {
  it('this process lives; a PID that is not a number or not there does not', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(-1)).toBe(false);
    expect(pidAlive(Number.NaN)).toBe(false);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false);
  });

  it.runIf(process.platform === 'linux')('a zombie (exited, not yet reaped) is dead; PID 1, another user\'s process, lives', async () => {
    // The child exits after 1 s, by when its parent has become `sleep` (exec), which never reaps it. (A child that
    // exited at once could be reaped by the shell before its exec: seen once in CI on a loaded machine.)
    const parent = spawn('sh', ['-c', 'sh -c "sleep 1; exit 0" & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
    try {
      let state = '';
      for (let i = 0; i < 160 && state !== 'Z'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          const stat = (await import('node:fs')).readFileSync(`/proc/${zombie}/stat`, 'utf8');
          state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch {
          state = 'gone';
        }
      }
      expect(state).toBe('Z');
      let signalled = true;
      try {
        process.kill(zombie, 0);
      } catch {
        signalled = false;
      }
      expect(signalled).toBe(true); // kill(0) alone says "alive": the reason pidAlive reads the state
      expect(pidAlive(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
    expect(pidAlive(1)).toBe(true);
  });

  it('livePidFrom reads a pid file: the PID while it lives, else null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-pidfile-'));
    try {
      writeFileSync(join(dir, 'a.pid'), `${process.pid}\n`);
      writeFileSync(join(dir, 'b.pid'), 'garbage');
      writeFileSync(join(dir, 'c.pid'), String(2 ** 22 + 12345));
      expect(livePidFrom(join(dir, 'a.pid'))).toBe(process.pid);
      expect(livePidFrom(join(dir, 'b.pid'))).toBeNull();
      expect(livePidFrom(join(dir, 'c.pid'))).toBeNull();
      expect(livePidFrom(join(dir, 'none.pid'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
