// The real phpdotenv (Debian's php-vlucas-phpdotenv 5.4, what Laravel loads), run through php on many texts in one
// process, read as Laravel reads its .env: the file loader (which drops a byte order mark) into an immutable
// repository of the file's own values only (no process environment). And the describe() for suites that need it:
// skipped with the reason where php or phpdotenv is missing, failed with it under CI=true (setup.sh installs both).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { IN_CI } from '../support/winpwsh';
import { hasTool, skipUnless } from './tools';

const AUTOLOAD = '/usr/share/php/Dotenv/autoload.php';

export const phpdotenvMissing = !hasTool('php') ? 'php missing (run bash scripts/setup.sh)'
  : !existsSync(AUTOLOAD) ? 'phpdotenv missing: php-vlucas-phpdotenv (run bash scripts/setup.sh)' : undefined;

export function describePhpdotenv(title: string, body: () => void): void {
  if (phpdotenvMissing && IN_CI) {
    describe(title, () => {
      it('has php and phpdotenv, which CI=true requires', () => {
        throw new Error(phpdotenvMissing);
      });
    });
    return;
  }
  describe.skipIf(skipUnless(!phpdotenvMissing, phpdotenvMissing ?? ''))(title, body);
}

const PHP = `require '${AUTOLOAD}';
$dir = sys_get_temp_dir() . '/woosoo-phpdotenv-' . getmypid(); @mkdir($dir); $out = [];
foreach (json_decode(stream_get_contents(STDIN)) as $text) {
  file_put_contents("$dir/.env", $text);
  $repo = Dotenv\\Repository\\RepositoryBuilder::createWithNoAdapters()->addAdapter(Dotenv\\Repository\\Adapter\\ArrayAdapter::class)->immutable()->make();
  try { $out[] = ['values' => (object) Dotenv\\Dotenv::create($repo, $dir)->load()]; } catch (Dotenv\\Exception\\InvalidFileException $e) { $out[] = ['error' => $e->getMessage()]; }
}
@unlink("$dir/.env"); @rmdir($dir); echo json_encode($out, JSON_UNESCAPED_UNICODE);`;

export type PhpdotenvResult = { values: Record<string, string | null> } | { error: string };

/** phpdotenv's reading of each text (one php process for all): its values (null: unset), or its refusal. */
export function readWithPhpdotenv(texts: string[]): PhpdotenvResult[] {
  return JSON.parse(execFileSync('php', ['-r', PHP], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 << 20 })) as PhpdotenvResult[];
}
