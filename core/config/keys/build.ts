/** Keys of the builds (Invoke-WoosooBuild and the build step of Invoke-WoosooDeploy): command overrides, timeout, logs. */
import { z } from 'zod';
import { parseCommandList } from '../../process/commandline';
import { key, t, type KeyTable } from './define';

const SYNTAX = 'Commands separated by ";", each split into words without a shell ("…" or \'…\' quote a word); php, composer, npm, '
  + 'node and flutter come from their *_PATH key, else the PATH (docs/build.md). Empty = the defaults; none = no command.';

const commands = () => ({
  kind: 'command list',
  schema: z.string().superRefine((s, ctx) => {
    const r = parseCommandList(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `is not a valid command list: ${r.error}` });
  }),
});

const cmd = (app: string, defaults: string, example: string) =>
  key(commands(), { group: 'Builds', default: '', example, help: `${app} (default: ${defaults}). ${SYNTAX}` });

export const buildKeys = {
  BUILD_BACKEND_COMMANDS: cmd('Build commands of the Laravel backend, run in BACKEND_PATH',
    'composer install --no-dev --optimize-autoloader --no-interaction; php artisan migrate --force; php artisan config:cache; php artisan route:cache; php artisan view:cache',
    'composer install --no-dev --optimize-autoloader --no-interaction; php artisan migrate --force; php artisan optimize'),
  BUILD_PWA_COMMANDS: cmd('Build commands of the PWA, run in PWA_PATH', 'npm ci; npm run build', 'npm ci; npm run generate'),
  BUILD_RELAY_COMMANDS: cmd('Build commands of the Flutter relay app, run in RELAY_PATH', 'flutter pub get; flutter build apk', 'flutter pub get; flutter build apk --release'),
  TEST_BACKEND_COMMAND: cmd('Test commands of the backend, run after its build unless -SkipTests', 'php artisan app:selftest', 'php artisan test'),
  TEST_PWA_COMMAND: cmd('Test commands of the PWA, run after its build unless -SkipTests', 'npm test', 'npm run test:unit'),
  TEST_RELAY_COMMAND: cmd('Test commands of the relay app, run after its build unless -SkipTests', 'flutter test', 'none'),
  BUILD_TIMEOUT_MINUTES: key(t.int(1, 1440), {
    group: 'Builds', default: '30', help: 'Longest time one build or test command may run before it is stopped (with its child processes) and the build fails.',
  }),
  BUILD_LOG_PATH: key(t.path(), {
    group: 'Builds', default: 'logs/build', help: 'Folder of Invoke-WoosooBuild\'s logs (a sub-folder per run, one <app>.log per app), relative to the project folder.',
  }),
} satisfies KeyTable;
