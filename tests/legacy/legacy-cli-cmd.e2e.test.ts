/**
 * woosoo.cmd as a Windows wrapper or scheduled task runs it: `cmd.exe /c woosoo.cmd <old command line>` under Wine
 * (Windows tier only), which finds pwsh.exe on PATH, runs woosoo.ps1 beside it and passes its exit code back. The
 * copy of the demo is the Windows tier's; a pty stands in for the console pwsh.exe needs under Wine.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortTmp } from '../harness/tools';
import { ROOT } from '../support/engine';
import { describePwsh, TIER } from '../support/pwsh';
import { filterWineNoise, wineEnv, winPath, winPwsh } from '../support/winpwsh';

interface Run { code: number | null; out: string; err: string }
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `cmd.exe /c woosoo.cmd <line>` in `cwd`, with pwsh.exe's folder on the Windows PATH (WINEPATH). */
function viaCmd(line: string, cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'woosoo-cmd-'));
  const file = (name: string) => join(dir, name);
  writeFileSync(file('run.sh'), `exec wine cmd /c ${q(winPath(join(ROOT, 'woosoo.cmd')))} ${line} >${q(file('out.txt'))} 2>${q(file('err.txt'))}\n`);
  const pwshDir = winPwsh.exe.replace(/\\[^\\]+$/, '');
  return new Promise((resolve) => {
    const child = spawn('timeout', ['-k', '5', '240', 'script', '-qec', `bash ${q(file('run.sh'))}`, '/dev/null'], {
      cwd, env: wineEnv({ WINEPATH: pwshDir, ...env }), stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('close', (code) => {
      const read = (name: string) => (existsSync(file(name)) ? filterWineNoise(readFileSync(file(name), 'utf8')) : '');
      resolve({ code, out: read('out.txt'), err: read('err.txt') });
      rmSync(dir, { recursive: true, force: true });
    });
  });
}

const suite = TIER === 'windows' ? describePwsh
  : (title: string, body: () => void) => describe.skip(`${title} — runs in the Windows tier only (cmd.exe under Wine)`, body);

suite('woosoo.cmd from cmd.exe', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(shortTmp(), 'wlegacy-cmd-'));
    cpSync(join(ROOT, 'examples', 'demo'), dir, { recursive: true });
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('--help exits 0; an unknown command exits 2 with the usage on stderr', async () => {
    const help = await viaCmd('--help', dir);
    const bad = await viaCmd('deploy-everything', dir);
    expect([help.code, bad.code], help.err + bad.err).toEqual([0, 2]);
    expect(help.out).toContain('Usage: woosoo');
    expect(bad.err).toContain("unknown command 'deploy-everything'");
  });

  it('version and config run the module in the project folder, with the deprecation hint on stderr', async () => {
    const version = await viaCmd('version', dir);
    const config = await viaCmd('config', dir, { WOOSOO_NO_DEPRECATION: '1' });
    expect([version.code, config.code], version.err + config.err).toEqual([0, 0]);
    expect(version.out).toMatch(/^Module: \d+\.\d+\.\d+/m);
    expect(version.err).toMatch(/^woosoo version: deprecated, use Get-Module Woosoo/m);
    expect(config.out).toMatch(/^\s+DB_PASSWORD\s+= \*{8}\r?$/m);
    expect(config.err).toBe('');
  });

  it('check --verbose lists the checks and exits 1 (no PHP for Windows in the tier)', async () => {
    const r = await viaCmd('check --verbose', dir);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^\[FAIL\] Tools\/PHP - /m);
    expect(r.err).toMatch(/^woosoo check: deprecated, use Test-WoosooPreflight/m);
  });
});
