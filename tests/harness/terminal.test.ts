/**
 * The test terminal itself (tests/support/terminal.ts: a tmux pane that the interactive e2e tests type into), with a
 * plain sh that prints a PowerShell-like prompt standing in for PowerShell (what is tested here is the terminal, not
 * PowerShell). A shell that ends before its first prompt is started once more; CI saw `wine pwsh.exe` end at once
 * and take the tmux server with it ("server exited unexpectedly"). A shell that ends again fails with its exit status
 * and what it printed, at once rather than after the 60 s wait for a prompt.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminal, TERMINAL_MISSING, type Terminal } from '../support/terminal';

const dir = mkdtempSync(join(tmpdir(), 'woosoo-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell that answers each line after a `PS /t>` prompt (and exits 4 on `quit`); it counts its starts in `<name>.starts`. */
function shell(name: string, dies: 'never' | 'once' | 'always'): { command: string; cleanup: () => void } {
  const starts = join(dir, `${name}.starts`);
  const script = join(dir, `${name}.sh`);
  const die = {
    never: '',
    once: `[ "$(wc -l < '${starts}')" -gt 1 ] || { echo "ended at once"; exit 0; }`,
    always: 'echo "could not start: no kernel32"; exit 3',
  }[dies];
  writeFileSync(script, `echo x >> '${starts}'\n${die}\nwhile printf 'PS /t> '; read -r l; do [ "$l" = quit ] && exit 4; echo "got: $l"; done\n`);
  return { command: `sh '${script}'`, cleanup: () => {} };
}
const startsOf = (name: string) => readFileSync(join(dir, `${name}.starts`), 'utf8').split('\n').filter(Boolean).length;

/** Runs `body` in a terminal with the shell `name` (see shell()), closing it afterwards; then says how often it started. */
async function inTerminal(name: string, dies: 'never' | 'once' | 'always', body: (t: Terminal) => Promise<void>): Promise<number> {
  if (TERMINAL_MISSING) throw new Error(TERMINAL_MISSING);
  const t = await terminal(`woosoo-term-${process.pid}-${name}`, shell(name, dies));
  try {
    await body(t);
  } finally {
    t.close();
  }
  return startsOf(name);
}

describe('the test terminal (tmux)', () => {
  const it_ = TERMINAL_MISSING && !process.env.CI ? it.skip : it;

  it_('starts a shell that ended before its first prompt once more, then types into it', async () => {
    const starts = await inTerminal('once', 'once', async (t) => {
      await t.type('hello');
      await t.see('got: hello');
    });
    expect(starts).toBe(2);
  });

  it_('fails with the exit status and the output of a shell that ends again, without waiting for a prompt', async () => {
    const began = Date.now();
    const starts = await inTerminal('always', 'always', async (t) => {
      await expect(t.type('hello')).rejects.toThrow(/^the shell ended \(exit 3\):\n(.*\n)*could not start: no kernel32/);
    });
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(starts).toBe(2);
  });

  it_('a shell that ends after it was used is not started again: the next wait says how it ended', async () => {
    const starts = await inTerminal('used', 'never', async (t) => {
      await t.type('first');
      await t.see('got: first');
      await t.type('quit');
      await expect(t.see('never printed', 30_000)).rejects.toThrow(/^the screen does not show never printed: the shell ended \(exit 4\)/);
    });
    expect(starts).toBe(1);
  });
});
