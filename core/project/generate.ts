/**
 * New-WoosooProject's configuration: only the services and build steps the detected apps have, ports from ports.ts,
 * secrets from a cryptographic RNG (or the backend's own .env, never its .env.example placeholders), and each key's
 * help text as a comment above it. The text is returned; methods.ts writes it.
 */
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { KEYS, type KeyName } from '../config/keys';
import type { DetectedApp } from './detect';
import { BUILD_ARTISAN } from './laravel';
import { allocatePorts, type AllocateOptions } from './ports';

/** A random string of letters and digits (no quoting needed), from the CSPRNG. */
export function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 4 * alphabet.length) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    const a = list?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  return '127.0.0.1';
}

export interface Generated {
  values: Partial<Record<KeyName, string>>;
  /** The secret values written, by key (shown only with -Reveal; registered by the caller before anything is shown). */
  secrets: Record<string, string>;
  notes: string[];
}

/** Whether the PWA's package.json has the script (a static site has none). */
const script = (app: DetectedApp | undefined, name: string) => Boolean(app?.node?.scripts.includes(name));

export async function generateValues(apps: DetectedApp[], projectName: string, portOptions: AllocateOptions = {}): Promise<Generated> {
  const backend = apps.find((a) => a.kind === 'laravel');
  const pwas = apps.filter((a) => a.kind === 'nuxt' || a.kind === 'node' || a.kind === 'static');
  const pwa = pwas[0];
  const relay = apps.find((a) => a.kind === 'flutter');
  const facts = backend?.laravel;
  const env = facts?.env ?? {};
  const real = facts?.realEnv ?? {};
  const notes: string[] = [];
  const secrets: Record<string, string> = {};
  const secret = (key: string, v: string) => { secrets[key] = v; return v; };
  const reuse = (key: string, min: number) => (real[key] && real[key].length >= min ? real[key] : '');
  const reverb = Boolean(facts?.reverb);
  const dbPort = env.DB_PORT || '3306';
  const ports = await allocatePorts({
    HTTP_PORT: [80, 8088], BACKEND_PORT: 8000, BACKEND_GREEN_PORT: 8100, ...(reverb ? { REVERB_PORT: 8080, REVERB_GREEN_PORT: 8180 } : {}),
  }, { ...portOptions, taken: [Number(dbPort), ...(portOptions.taken ?? [])] });
  const values: Partial<Record<KeyName, string>> = {
    ENVIRONMENT: 'production', APP_NAME: env.APP_NAME || projectName, APP_IP: lanAddress(),
    HTTP_PORT: String(ports.HTTP_PORT), BACKEND_PORT: String(ports.BACKEND_PORT),
    DB_HOST: env.DB_HOST || '127.0.0.1', DB_PORT: dbPort, DB_DATABASE: env.DB_DATABASE || 'woosoo', DB_USERNAME: env.DB_USERNAME || 'woosoo',
    DB_PASSWORD: secret('DB_PASSWORD', reuse('DB_PASSWORD', 8) || randomToken(32)),
    BACKEND_PATH: backend?.rel ?? 'apps/backend',
    BACKEND_GREEN_PORT: String(ports.BACKEND_GREEN_PORT),
  };
  if (!reuse('DB_PASSWORD', 8)) {
    notes.push(`DB_PASSWORD is new (32 random characters, in the file only): create the database user ${values.DB_USERNAME} with it, or set the one it has (Set-WoosooConfig -Name DB_PASSWORD -SecureValue ...).`);
  }
  if (reverb) {
    Object.assign(values, {
      REVERB_ENABLED: 'true', REVERB_PORT: String(ports.REVERB_PORT), REVERB_GREEN_PORT: String(ports.REVERB_GREEN_PORT),
      REVERB_APP_ID: secret('REVERB_APP_ID', reuse('REVERB_APP_ID', 8) || `woosoo-${randomToken(16).toLowerCase()}`),
      REVERB_APP_KEY: secret('REVERB_APP_KEY', reuse('REVERB_APP_KEY', 16) || randomToken(32).toLowerCase()),
      REVERB_APP_SECRET: secret('REVERB_APP_SECRET', reuse('REVERB_APP_SECRET', 16) || randomToken(40)),
    });
  } else if (facts) {
    values.REVERB_ENABLED = 'false';
    notes.push('No Reverb in the backend (no reverb:start command): REVERB_ENABLED=false.');
  }
  if (facts && facts.test !== 'default') values.TEST_BACKEND_COMMAND = facts.test;
  if (facts && facts.missingBuild.length > 0) {
    const kept = BUILD_ARTISAN.filter((c) => !facts.missingBuild.includes(c)).map((c) => `php artisan ${c}`);
    values.BUILD_BACKEND_COMMANDS = ['composer install --no-dev --optimize-autoloader --no-interaction', ...kept].join('; ');
  }
  if (facts?.horizon) notes.push('The backend has Horizon: Woosoo runs the queue with php artisan queue:work (the queue-worker service), not horizon.');
  if (facts?.queue === 'sync') notes.push('QUEUE_CONNECTION is sync: jobs run inside the request and the queue worker has nothing to do.');
  if (facts?.commands && !facts.commands.includes('queue:work')) notes.push('php artisan list has no queue:work: the queue-worker service will fail to start.');
  if (pwa) {
    values.PWA_PATH = pwa.rel;
    if (pwa.kind === 'static') Object.assign(values, { BUILD_PWA_COMMANDS: 'none', TEST_PWA_COMMAND: 'none' });
    else {
      const build = [pwa.node?.lock ? 'npm ci' : 'npm install', ...(script(pwa, 'build') ? ['npm run build'] : [])].join('; ');
      if (build !== 'npm ci; npm run build') values.BUILD_PWA_COMMANDS = build;
      if (!script(pwa, 'test')) values.TEST_PWA_COMMAND = 'none';
    }
    for (const other of pwas.slice(1)) {
      notes.push(`Another ${other.kind} app in ${other.rel}: Woosoo deploys one PWA (PWA_PATH=${pwa.rel}), so ${other.rel} is left out; name the one you mean with -App.`);
    }
  } else {
    values.PWA_ENABLED = 'false';
    notes.push('No PWA found (package.json or index.html): PWA_ENABLED=false.');
  }
  if (relay) {
    values.RELAY_PATH = relay.rel;
    values.RELAY_ENABLED = 'false';
    notes.push(`A Flutter app in ${relay.rel}: RELAY_ENABLED=false until Flutter is installed here (then set it to true).`);
  }
  if (facts && facts.emptyRequired.length > 0) {
    const listed = facts.emptyRequired.map((e) => (e.help ? `${e.key} (${e.help})` : e.key)).join(', ');
    notes.push(`${backend!.rel}/.env.example leaves these empty and they look required: ${listed} (Woosoo manages DB_* and REVERB_*; set the others in the app's .env).`);
  }
  return { values, secrets, notes };
}

/** The file: a header, then each key under its group with its help text as comments. */
export function configText(values: Partial<Record<KeyName, string>>, apps: DetectedApp[], quote: (v: string) => string): string {
  const lines = [
    '# deployment.config.env — written by New-WoosooProject. Edit with Set-WoosooConfig (it validates and backs up),',
    '# check with Test-WoosooConfig; every key is described in docs/configuration.md.',
    `# Detected: ${apps.map((a) => `${a.kind} in ${a.rel} (${Math.round(a.confidence * 100)} %)`).join('; ') || 'nothing'}.`,
  ];
  let group = '';
  for (const [name, def] of KEYS) {
    const value = values[name];
    if (value === undefined) continue;
    if (def.group !== group) {
      group = def.group;
      lines.push('', `# ── ${group} ──`);
    }
    let line = '#';
    for (const w of def.help.split(/\s+/)) {
      if (`${line} ${w}`.length > 118) {
        lines.push(line);
        line = '#';
      }
      line += ` ${w}`;
    }
    lines.push(line, `${name}=${quote(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
