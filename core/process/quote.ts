/**
 * Windows command-line quoting for the one case where the engine must build a command line itself:
 * .cmd/.bat files run through `cmd.exe /d /s /c "…"`. Arguments are quoted for CommandLineToArgvW and
 * cmd.exe's metacharacters are escaped with ^ so a path with spaces or a value with & stays one argument.
 */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"&|<>^()%!]/.test(arg)) return arg;
  // CommandLineToArgvW rules: backslashes before a quote are doubled, the quote is escaped.
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  out += '\\'.repeat(backslashes * 2) + '"';
  return out;
}

/** The command line for cmd.exe: every cmd metacharacter escaped so it reaches the program verbatim. */
export function windowsCommandLine(argv: readonly string[]): string {
  return argv.map((a) => quoteWindowsArg(a).replace(/[&|<>^()%!"]/g, '^$&')).join(' ');
}
