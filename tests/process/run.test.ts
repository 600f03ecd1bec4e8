import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOutput } from '../../core/process/decode';
import { quoteWindowsArg, windowsCommandLine } from '../../core/process/quote';
import { run } from '../../core/process/run';
import { which } from '../../core/process/which';
import { clearSecrets, registerSecret } from '../../core/util/redact';

const env = process.env as Record<string, string>;
const node = process.execPath;

describe('run', () => {
  it('passes arguments verbatim, without a shell', async () => {
    const args = ['a b', '$HOME', '`x`', '; echo pwned', '"quoted"', "it's", '&|<>'];
    const r = await run(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args], { env });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(args);
  });

  it('runs with the given environment only', async () => {
    const r = await run(node, ['-e', 'process.stdout.write(String(process.env.WOOSOO_X) + "," + String(process.env.HOME))'], { env: { WOOSOO_X: 'set', PATH: env.PATH } });
    expect(r.stdout).toBe('set,undefined');
  });

  it('reports exit codes and stderr', async () => {
    const r = await run(node, ['-e', 'process.stderr.write("bad\\n"); process.exit(3)'], { env });
    expect(r).toMatchObject({ exitCode: 3, stderr: 'bad\n', timedOut: false, cancelled: false, notFound: false });
  });

  it('reports a program that does not exist instead of throwing', async () => {
    const r = await run('/nonexistent/tool', ['--version'], { env });
    expect(r.notFound).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('kills the whole process tree on timeout, even a grandchild holding the pipes', async () => {
    const script = 'require("child_process").spawn(process.execPath, ["-e", "setTimeout(()=>{}, 60000)"], {stdio: "inherit"}); setTimeout(()=>{}, 60000)';
    const r = await run(node, ['-e', script], { env, timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('stops the child when the signal aborts (cancellation)', async () => {
    const ctl = new AbortController();
    const p = run(node, ['-e', 'setTimeout(()=>{}, 60000)'], { env, signal: ctl.signal, timeoutMs: 0 });
    setTimeout(() => ctl.abort(), 200);
    const r = await p;
    expect(r.cancelled).toBe(true);
  });

  it('streams lines as they come and masks secrets in them and in the display', async () => {
    registerSecret('s3cr3t-value');
    try {
      const lines: string[] = [];
      const r = await run(node, ['-e', 'console.log("one"); console.log("pw s3cr3t-value"); console.error("err")', 's3cr3t-value'], {
        env, onLine: (stream, line) => lines.push(`${stream}:${line}`),
      });
      expect(lines).toEqual(expect.arrayContaining(['stdout:one', 'stdout:pw ********', 'stderr:err']));
      expect(r.display).toContain('********');
      expect(r.display).not.toContain('s3cr3t-value');
    } finally {
      clearSecrets();
    }
  });
});

describe('decodeOutput', () => {
  it('decodes UTF-16LE without BOM (NSSM 2.23) and normalises CR CR LF', () => {
    expect(decodeOutput(Buffer.from('SERVICE_RUNNING\r\r\n', 'utf16le'))).toBe('SERVICE_RUNNING\n');
  });
  it('decodes UTF-8 with and without BOM, and UTF-16LE with BOM', () => {
    expect(decodeOutput(Buffer.from('\uFEFFcafé\r\n', 'utf8'))).toBe('café\n');
    expect(decodeOutput(Buffer.from('plain', 'utf8'))).toBe('plain');
    expect(decodeOutput(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x', 'utf16le')]))).toBe('x');
  });
});

describe('Windows quoting (for .cmd/.bat through cmd.exe)', () => {
  it('quotes per CommandLineToArgvW', () => {
    expect(quoteWindowsArg('simple')).toBe('simple');
    expect(quoteWindowsArg('C:\\Program Files\\x')).toBe('"C:\\Program Files\\x"');
    expect(quoteWindowsArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWindowsArg('trailing\\')).toBe('trailing\\');
    expect(quoteWindowsArg('a b\\')).toBe('"a b\\\\"');
    expect(quoteWindowsArg('')).toBe('""');
  });
  it('escapes cmd metacharacters so they reach the program', () => {
    expect(windowsCommandLine(['npm.cmd', 'run', 'a&b'])).toBe('npm.cmd run ^"a^&b^"');
  });
});

describe('which', () => {
  it('finds programs on the given PATH only', () => {
    const found = which('node', env);
    expect(found).toMatch(/[\\/]node(\.exe)?$/);
    expect(existsSync(found!)).toBe(true);
    expect(which('node', { PATH: '/nonexistent' })).toBeNull();
    expect(which(node, {})).toBe(node);
  });
});
