/**
 * The woosoo command's files as Windows reads them: woosoo.ps1 in Windows PowerShell 5.1's grammar (tree-sitter-
 * powershell: `??`, `?.` and the ternary are syntax errors in it) and ASCII only (5.1 reads a script without a BOM in
 * the ANSI code page); woosoo.cmd with CRLF line ends (cmd.exe misreads labels and blocks in LF-only files).
 * tests/static/powershell.test.ts checks the module's own files; these are not module files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { ROOT } from '../support/engine';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

it('woosoo.ps1 parses in the 5.1 grammar, has no && or || chains and is ASCII', async () => {
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(join(ROOT, 'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm')));
  const source = read('woosoo.ps1');
  const bad: string[] = [];
  const walk = (n: Node) => {
    if (n.type === 'ERROR' || n.isMissing) bad.push(`line ${n.startPosition.row + 1}: ${n.text.slice(0, 40)}`);
    if (n.childCount === 0 && /^(&&|\|\|)$/.test(n.text)) bad.push(`line ${n.startPosition.row + 1}: ${n.text}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(parser.parse(source)!.rootNode);
  expect(bad).toEqual([]);
  expect(source.split('\n').filter((l) => /[^\x00-\x7f]/.test(l))).toEqual([]);
  expect(parser.parse('$a = $b ?? 1')!.rootNode.hasError).toBe(true);   // the grammar does refuse 7-only syntax
});

it('woosoo.cmd has CRLF line ends, runs woosoo.ps1 beside it with the arguments, and falls back to powershell.exe', () => {
  const cmd = read('woosoo.cmd');
  expect(cmd.split('\r\n').slice(0, -1).every((l) => !l.includes('\n'))).toBe(true);
  expect(cmd.endsWith('\r\n')).toBe(true);
  expect(cmd).toContain('-NoProfile -File "%~dp0woosoo.ps1" %*');
  expect(cmd).toMatch(/if not defined WOOSOO_PS set "WOOSOO_PS=powershell\.exe"/);
  expect(cmd).toMatch(/exit \/b %ERRORLEVEL%/);
});
