/**
 * The module in a real terminal: pwsh runs in a tmux pane (a pty with a foreground process group, as at a console),
 * and keys are typed into it. Ctrl+C during a long call must cancel the call through the module ($/cancel: the
 * build's child process is ended in order) while the engine lives on and serves the next cmdlet of the session.
 * Before the engine ignored the terminal's SIGINT, it died with the keystroke and the next call started a new one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { alive, makeBuildProject } from '../build/fixture';
import { waitFor } from '../harness/tools';
import { describePwsh, MODULE_MANIFEST, TIER } from '../support/pwsh';
import { terminal, TERMINAL_MISSING } from '../support/terminal';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function processesWith(marker: string): number[] {
  const r = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number).filter((p) => p !== process.pid);
}

describePwsh('the module at a real console (tmux)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    // maxRetries: the engine of the closed test terminal's pwsh.exe (Windows tier) may still write its log here.
    for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('Ctrl+C during a long build cancels it in order and keeps the engine for the next cmdlet', async () => {
    const p = makeBuildProject();
    dirs.push(p.dir);
    const marker = `woosoo-ctrlc-${process.pid}-${Date.now()}`;
    p.configure(`BUILD_PWA_COMMANDS='node -e "setTimeout(() => {}, 120000)" ${marker}'`);
    const out = mkdtempSync(join(tmpdir(), 'woosoo-console-'));
    dirs.push(out);
    const t = await terminal(`woosoo-${process.pid}`);
    try {
      await t.type(`Import-Module ${q(MODULE_MANIFEST)}; $m = Get-Module Woosoo; $null = Get-WoosooConfig -Path ${q(p.dir)}; ` +
        `Set-Content -LiteralPath ${q(join(out, 'pid1'))} -Value (& $m { $script:WoosooEngine.Process.Id })`);
      // Set-Content creates the file before it writes: wait for the content, not the file.
      const written = (name: string) => (existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8').trim() : '');
      expect(await waitFor(() => written('pid1') !== '', 60_000, 50), t.screen()).toBe(true);
      const enginePid = Number(written('pid1'));
      // A Linux PID can be checked from here; under Wine it is a Windows PID, and the same PID after Ctrl+C proves it.
      const engineAlive = () => TIER !== 'linux' || alive(enginePid);
      expect(engineAlive()).toBe(true);

      await t.type(`Invoke-WoosooBuild -Path ${q(p.dir)} -App Pwa -SkipTests -Confirm:$false`);
      expect(await waitFor(() => processesWith(marker).length > 0, 60_000, 50), t.screen()).toBe(true);
      const child = processesWith(marker);
      t.key('C-c');

      // The module cancelled the request: the build's process is ended by the engine, and the prompt is back.
      expect(await waitFor(() => child.every((pid) => !alive(pid)), 15_000, 50), `the build's process lives on after Ctrl+C\n${t.screen()}`).toBe(true);
      await t.type(`Set-Content -LiteralPath ${q(join(out, 'after'))} -Value ((& $m { $script:WoosooEngine.Process.Id }), (Get-WoosooConfig -Path ${q(p.dir)}).ENVIRONMENT)`);
      expect(await waitFor(() => written('after').split(/\r?\n/).length === 2, 60_000, 50), t.screen()).toBe(true);
      const [pidAfter, environment] = written('after').split(/\r?\n/);
      expect(engineAlive(), t.screen()).toBe(true);
      expect(Number(pidAfter), t.screen()).toBe(enginePid);
      expect(environment).toBe('production');
    } finally {
      t.close();
    }
  }, 180_000);
}, { missing: TERMINAL_MISSING || undefined });
