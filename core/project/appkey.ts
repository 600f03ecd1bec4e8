/**
 * Laravel's APP_KEY for a backend that has none: `base64:` and 32 bytes from the CSPRNG (as `php artisan
 * key:generate` makes it), written into the backend's .env only — filled into an empty APP_KEY= line, or a new .env
 * made from its .env.example (as the sync starts one). A key that is set is never replaced: data encrypted with it
 * would be lost.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withAppKey } from '../sync';

export interface AppKeyPlan {
  /** The backend's .env. */
  path: string;
  /** Its new text, or null when it keeps the key it has. */
  text: string | null;
  /** The new key ('' when none is made). */
  key: string;
}

export function planAppKey(backendDir: string): AppKeyPlan {
  const path = join(backendDir, '.env');
  const example = join(backendDir, '.env.example');
  const base = existsSync(path) ? readFileSync(path, 'utf8') : existsSync(example) ? readFileSync(example, 'utf8') : '';
  const keyed = withAppKey(base);
  if (keyed.generated === null) return { path, text: null, key: '' };
  return { path, text: keyed.text.endsWith('\n') || keyed.text === '' ? keyed.text : `${keyed.text}\n`, key: keyed.generated };
}
