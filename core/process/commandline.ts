/**
 * The syntax of the BUILD_*_COMMANDS / TEST_*_COMMAND keys: a ';'-separated list of commands, each split into
 * an argument array without a shell. Words are separated by spaces or tabs; "double" or 'single' quotes group a
 * word that holds spaces or ';' (no escapes inside: backslashes stay as written, so Windows paths work).
 * No pipes, redirections, variables or globbing: the words go to the program as they are.
 * An empty value means "the defaults"; the single word `none` means "no command".
 * Kept by hand, not shell-quote or string-argv: both follow a shell's rules (backslash escapes, which would eat
 * Windows paths; shell-quote also parses operators), and neither reports where a quote is left open.
 */

export type ParsedCommands = { ok: true; commands: string[][] } | { ok: false; error: string };

export const NONE = 'none';

export function parseCommandList(text: string): ParsedCommands {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  let quoteAt = 0;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteAt = i + 1;
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      endWord();
    } else if (c === ';') {
      endCommand();
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `the ${quote} quote at character ${quoteAt} is never closed` };
  endCommand();
  return { ok: true, commands };
}

/** True when the value asks for no command at all. */
export function isNone(text: string): boolean {
  return text.trim().toLowerCase() === NONE;
}
