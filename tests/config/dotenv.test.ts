import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../core/config/dotenv';

const values = (text: string) => Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]));

describe('parseDotenv', () => {
  it('reads plain, quoted and exported values, skipping comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      'A=1',
      'export B=two',
      '  C = spaced  ',
      "D='single # not a comment'",
      'E="double # not a comment"',
      'F=value # inline comment',
      'G=a=b=c',
      'H=',
      'I=#a-comment-not-a-value',
    ].join('\n');
    expect(values(text)).toEqual({
      A: '1', B: 'two', C: 'spaced', D: 'single # not a comment', E: 'double # not a comment',
      F: 'value', G: 'a=b=c', H: '', I: '',
    });
  });

  it('handles escapes in double quotes and keeps single quotes literal', () => {
    const r = values(String.raw`A="line1\nline2\t\"q\" \\ \$HOME"` + '\n' + String.raw`B='no\nescape $X'`);
    expect(r.A).toBe('line1\nline2\t"q" \\ $HOME');
    expect(r.B).toBe('no\\nescape $X');
  });

  it('reads multi-line double-quoted values and reports the right start line', () => {
    const r = parseDotenv('A=1\nKEY="first\nsecond"\nB=2\n');
    expect(r.entries.find((e) => e.key === 'KEY')).toMatchObject({ value: 'first\nsecond', line: 2 });
    expect(r.entries.find((e) => e.key === 'B')).toMatchObject({ value: '2', line: 4 });
  });

  it('accepts CRLF, lone CR and a UTF-8 BOM', () => {
    expect(values('\uFEFFA=1\r\nB="x y"\r\nC=3\rD=4')).toEqual({ A: '1', B: 'x y', C: '3', D: '4' });
  });

  it('interpolates ${KEY} of keys defined above, but not in single quotes or after a backslash', () => {
    const r = values(`HOST=db\nURL=mysql://\${HOST}:3306\nLIT='\${HOST}'\nESC="\\\${HOST}"`);
    expect(r.URL).toBe('mysql://db:3306');
    expect(r.LIT).toBe('${HOST}');
    expect(r.ESC).toBe('${HOST}');
  });

  it('reports an undefined ${KEY} with its line', () => {
    const r = parseDotenv('A=${NOPE}');
    expect(r.problems).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('NOPE') })]);
  });

  it('reports every bad line with its number and keeps reading', () => {
    const r = parseDotenv('GOOD=1\nthis line has no equals\n1BAD=x\nALSO_GOOD=2\nQ="unterminated\n');
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(r.problems[0].message).toMatch(/expected KEY=VALUE/);
    expect(r.problems[1].message).toMatch(/not a valid key name/);
    expect(r.problems[2].message).toMatch(/never closed/);
    expect(r.problems.every((p) => p.fix.length > 10)).toBe(true);
    expect(r.entries.map((e) => e.key)).toEqual(['GOOD', 'ALSO_GOOD']);
  });

  it('rejects text after a closing quote but allows a comment there', () => {
    const r = parseDotenv('A="x" trailing\nB="y" # fine');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].line).toBe(1);
    expect(r.entries.map((e) => [e.key, e.value])).toEqual([['B', 'y']]);
  });

  it('lets the last duplicate win and reports it', () => {
    const r = parseDotenv('A=1\nB=2\nA=3');
    expect(values('A=1\nB=2\nA=3')).toEqual({ A: '3', B: '2' });
    expect(r.duplicates).toEqual([{ key: 'A', line: 3, firstLine: 1 }]);
  });

  // Each of these was a silent difference from Laravel's phpdotenv (tests/config/dotenv-differential.test.ts found them).
  it('reads \\f and \\v in double quotes and ${A.B} references as phpdotenv does', () => {
    expect(values('A="x\\fy\\vz"\nA.B=1\nC=${A.B}\nD="${A.B}"\n')).toEqual({ A: 'x\fy\vz', 'A.B': '1', C: '1', D: '1' });
  });

  it('reports a line phpdotenv takes for the start of a multi-line value and the lines it swallows', () => {
    const r = parseDotenv("A='a=\"b'\nB=2\n");
    expect(values("A='a=\"b'\nB=2\n")).toEqual({ A: 'a="b', B: '2' });
    expect(r.phpdotenvDiffers.map((d) => [d.key, d.line])).toEqual([['A', 1], ['B', 2]]);
    expect(r.phpdotenvDiffers[1].why).toMatch(/ignores lines 1 to 2/);
    expect(parseDotenv('# note X="y\nB=2\nC="z"\n').phpdotenvDiffers.map((d) => d.key)).toEqual(['B', 'C']);
  });

  it('says what phpdotenv refuses, without the value, and not a byte order mark (Laravel\'s loader drops it)', () => {
    const r = parseDotenv('\uFEFFA=1\nB=secret words\nC="C:\\Users"\nexport D=1\n');
    expect(r.phpdotenvRefuses.map((x) => x.line)).toEqual([2, 3, 4]);
    expect(r.phpdotenvRefuses[0].why).toBe('the unquoted value of B contains whitespace');
    expect(r.phpdotenvRefuses[1].why).toMatch(/backslash in the double-quoted value of C/);
    expect(JSON.stringify(r.phpdotenvRefuses)).not.toMatch(/secret|Users/);
  });

  it('keeps the master file strict, saying what phpdotenv would do with a rejected line', () => {
    const r = parseDotenv('1BAD=x\nNAME_ONLY\nK=${NOPE}\n');
    expect(r.problems.map((p) => p.message)).toEqual([
      '"1BAD" is not a valid key name (Laravel\'s phpdotenv would accept it and set 1BAD)',
      'expected KEY=VALUE but found "NAME_ONLY" (Laravel\'s phpdotenv would read it as unsetting NAME_ONLY)',
      '${NOPE} in K refers to a key that is not defined above it (Laravel\'s phpdotenv would accept it and set K)',
    ]);
  });

  it('reads an app\'s .env as Laravel does: what phpdotenv accepts is accepted, with its values', () => {
    const text = '1BAD=x\n"QK"=q\nexport AB=1\nA=1\nA\nB=${A}\nC=\'a="b\'\nD=2\n';
    const r = parseDotenv(text, { as: 'laravel' });
    expect(Object.fromEntries(r.entries.map((e) => [e.key, e.value]))).toEqual({ '1BAD': 'x', QK: 'q', AB: '1', B: '${A}' });
    expect(r.problems).toEqual([expect.objectContaining({ line: 7, message: expect.stringMatching(/ignores lines 7 to 8/) })]);
    expect(r.phpdotenvRefuses).toEqual([]);
  });
});
