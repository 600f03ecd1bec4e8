/**
 * An interactive PowerShell of this tier in a real terminal: a detached tmux pane (a pty with a foreground process
 * group, as at a console) of 200x50, keys typed into it. For tests of what a person at a console does: Ctrl+C during
 * a call (tests/e2e/console.e2e.test.ts), answering the questions of Edit-WoosooConfig (tests/sync/edit.e2e.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { waitFor } from '../harness/tools';
import { consoleCommand } from './pwsh';

const STATUS_MARK = 'woosoo-terminal: the shell exited with';
const STATUS_LINE = new RegExp(`^\\[${STATUS_MARK} (\\d+)\\]$`, 'gm');

/** Why a terminal cannot be had here ('' when tmux is installed). */
export const TERMINAL_MISSING = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status === 0
  ? '' : 'tmux is not installed (apt-get install tmux)';

export interface Terminal {
  /** Waits for a new PowerShell prompt, then types a line and Enter (keys sent before PSReadLine reads lose their Enter). */
  type(line: string): Promise<void>;
  /** Waits until the screen's last non-empty line ends with `prompt` (a host question), then types `answer` and Enter. */
  answer(prompt: string, answer: string): Promise<void>;
  /** Sends a key such as C-c or Enter. */
  key(key: string): void;
  /** Waits until the screen shows `pattern`; fails with the screen when it does not within `timeoutMs`. */
  see(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** The pane with its scroll-back (the last 500 lines). */
  screen(): string;
  close(): void;
}

/**
 * `shell` is the shell's command line (default: this tier's PowerShell). A shell that ends before its first prompt is
 * started once more, saying so on stderr: under Wine on a busy machine `wine pwsh.exe` now and then ends at once
 * having run nothing (CI of 2026-12-03: the tmux server went with it, and the test failed on "server exited
 * unexpectedly"). Nothing was typed yet, so running it again is safe; a second death fails with its exit status and
 * whatever it printed.
 */
export async function terminal(name: string, shell: { command: string; cleanup: () => void } = consoleCommand()): Promise<Terminal> {
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', name, ...args], { encoding: 'utf8' });
  // remain-on-exit before the session exists: a shell that ends keeps its pane (its output readable) and the server,
  // instead of taking both with it. tmux 3.3 does not always learn a dead pane's exit status (#{pane_dead_status}
  // stays empty now and then, even seconds later), so the pane's command line prints it.
  const command = `${shell.command}; printf '\\n[${STATUS_MARK} %s]\\n' "$?"`;
  tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'new-session', '-d', '-s', 'w', '-x', '200', '-y', '50', command);
  const screen = () => tmux('capture-pane', '-p', '-t', 'w', '-S', '-500');
  /** '' while the shell lives, else how it ended (tmux marks the pane dead once its pty is closed). */
  const ended = () => {
    if (tmux('display-message', '-p', '-t', 'w', '#{pane_dead}').trim() !== '1') return '';
    const said = screen();
    const status = [...said.matchAll(STATUS_LINE)].pop()?.[1];
    return `the shell ended (${status === undefined ? 'no exit status' : `exit ${status}`}):\n${said.replace(STATUS_LINE, '').trimEnd()}`;
  };
  let respawned = false;
  const prompts = () => (screen().match(/^PS [^\n]*?>/gm) ?? []).length;
  const lastLine = () => screen().split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').pop() ?? '';
  const send = (line: string) => {
    tmux('send-keys', '-t', 'w', '-l', line);
    tmux('send-keys', '-t', 'w', 'Enter');
  };
  let seen = 0;
  let closed = false;
  // Wine's console: a line typed in the moment between pwsh.exe printing its prompt and reading the console is echoed
  // twice (by the terminal, then again when read) and its Enter is lost: the command never runs (seen once in CI).
  // For a few seconds after each typed line, that signature (the line twice, nothing after it, for a second) gets
  // the Enter again. A line that was read is echoed once, so this never sends a second Enter to a running command.
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const recoverLostEnter = async (line: string) => {
    const lost = () => squeeze(screen()).endsWith(squeeze(`>${line}${line}`));
    const until = Date.now() + 15_000;
    while (!closed && Date.now() < until) {
      if (lost()) {
        await new Promise((r) => setTimeout(r, 1_000));
        if (!closed && lost()) tmux('send-keys', '-t', 'w', 'Enter');
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return {
    async type(line) {
      for (;;) {
        if (!(await waitFor(() => prompts() > seen || ended() !== '', 60_000, 50))) throw new Error(`no prompt:\n${screen()}`);
        const why = ended();
        if (!why) break;
        if (seen > 0 || respawned) throw new Error(why);
        process.stderr.write(`terminal: ${why.split(':\n')[0]} before its first prompt; starting it once more\n`);
        respawned = true;
        tmux('respawn-pane', '-k', '-t', 'w');
      }
      seen = prompts();
      send(line);
      void recoverLostEnter(line).catch(() => {});
    },
    async answer(prompt, answer) {
      if (!(await waitFor(() => lastLine().endsWith(prompt.trimEnd()) || ended() !== '', 60_000, 50))) throw new Error(`no question "${prompt}":\n${screen()}`);
      if (ended()) throw new Error(`no question "${prompt}": ${ended()}`);
      send(answer);
    },
    key: (key) => void tmux('send-keys', '-t', 'w', key),
    async see(pattern, timeoutMs = 60_000) {
      const found = () => (typeof pattern === 'string' ? screen().includes(pattern) : pattern.test(screen()));
      if (!(await waitFor(() => found() || ended() !== '', timeoutMs, 50))) throw new Error(`the screen does not show ${String(pattern)}:\n${screen()}`);
      if (!found()) throw new Error(`the screen does not show ${String(pattern)}: ${ended()}`);
    },
    screen,
    close() {
      closed = true;
      spawnSync('tmux', ['-L', name, 'kill-server']);
      shell.cleanup();
    },
  };
}
