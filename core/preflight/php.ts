/**
 * The PHP extensions Laravel and Reverb need (the list `php -m` prints), with the php.ini to edit when one is missing.
 * One `php -r` prints both, once per preflight run, and serves every extension check.
 */
import { ProbeSkip, type Outcome, type ProbeContext } from './types';
import { locate } from './tools';

export const PHP_EXTENSIONS = ['mbstring', 'pdo_mysql', 'openssl', 'json', 'curl', 'bcmath', 'fileinfo', 'tokenizer'] as const;

export const PHP_INSTALL = 'Install PHP 8.2 or later (Windows: the "VS16 x64 Non Thread Safe" zip from windows.php.net unpacked to C:\\php; Debian: apt-get install php-cli).';

/** Debian package that provides an extension, when it is not part of php-cli itself. */
const DEBIAN_PACKAGE: Record<string, string> = { mbstring: 'mbstring', pdo_mysql: 'mysql', curl: 'curl', bcmath: 'bcmath' };

/** Prints "ini=<loaded php.ini or empty>", then one loaded extension per line (what `php -m` lists). */
const LIST_SCRIPT = 'echo "ini=", php_ini_loaded_file(), PHP_EOL, implode(PHP_EOL, get_loaded_extensions()), PHP_EOL;';

export interface PhpModules {
  modules: Set<string>;
  ini: string | null;
  php: string;
}

export function probePhpModules(pc: ProbeContext): Promise<PhpModules> {
  return pc.shared('php-modules', async () => {
    const located = locate(pc.cfg, pc.env, 'PHP_PATH', ['php'], 'PHP', PHP_INSTALL);
    if (located.path === null) throw new ProbeSkip(`Cannot list PHP extensions: ${located.reason}`);
    // One php start instead of `php -m` plus `php --ini`: the same lists, from PHP itself.
    const m = await pc.exec(located.path, ['-r', LIST_SCRIPT]);
    if (m.exitCode !== 0) throw new ProbeSkip(`Cannot list PHP extensions: "${m.display}" exited ${m.exitCode ?? '(did not start)'}.`);
    const lines = m.stdout.split(/\r?\n/).map((l) => l.trim());
    const ini = lines[0]?.startsWith('ini=') ? lines[0].slice(4) : '';
    const modules = new Set(lines.slice(1).map((l) => l.toLowerCase()).filter((l) => l !== ''));
    return { modules, ini: ini || null, php: located.path };
  });
}

export function evaluateExtension(ext: string, p: PhpModules): Outcome {
  const expected = 'loaded';
  if (p.modules.has(ext)) return { status: 'Pass', expected, actual: 'loaded', message: `The PHP extension ${ext} is loaded.` };
  let fix: string;
  if (process.platform === 'win32') {
    fix = p.ini
      ? `Edit ${p.ini}: remove the ";" in front of the line "extension=${ext}" (add the line if it is missing), then restart the Woosoo services.`
      : `PHP (${p.php}) has no php.ini: copy php.ini-production to php.ini next to php.exe, remove the ";" in front of "extension=${ext}" and of "extension_dir = "ext"".`;
  } else {
    const pkg = DEBIAN_PACKAGE[ext];
    const where = p.ini ? ` or enable "extension=${ext}" in ${p.ini}` : '';
    fix = pkg ? `Install php-${pkg} (Debian: apt-get install php-${pkg})${where}.` : `Use a PHP build that includes ${ext}${where}.`;
  }
  return { status: 'Fail', expected, actual: 'missing', message: `The PHP extension ${ext} is not loaded by ${p.php}; Laravel needs it.`, fix };
}
