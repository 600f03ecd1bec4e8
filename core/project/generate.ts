/**
 * New-WoosooProject's configuration: only the services and build steps the detected apps have, ports free on this
 * machine and distinct, secrets from a cryptographic RNG (or the backend's own .env, never its .env.example
 * placeholders), and each key's help text as a comment above it. The text is returned; methods.ts writes it.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { KEYS, type KeyName } from '../config/keys';
import type { DetectedApp } from './detect';

/** A port nothing listens on (all addresses), tried by binding it. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false)).listen({ port, host: '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Each wanted port, or the next free one above it, all distinct. */
export async function allocatePorts(wanted: Record<string, number>, taken: Iterable<number> = []): Promise<Record<string, number>> {
  const used = new Set(taken);
  const out: Record<string, number> = {};
  for (const [key, preferred] of Object.entries(wanted)) {
    let p = preferred;
    while (used.has(p) || !(await portFree(p))) p++;
    used.add(p);
    out[key] = p;
  }
  return out;
}

/** A random string of letters and digits (no quoting needed), from the CSPRNG. */
export function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const b of bytes) {
    if (b < 4 * alphabet.length) out += alphabet[b % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : out + randomToken(length - out.length);
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
  /** The values that are secrets (registered by the caller before anything is shown). */
  secrets: string[];
  notes: string[];
}

export async function generateValues(apps: DetectedApp[], projectName: string): Promise<Generated> {
  const backend = apps.find((a) => a.kind === 'laravel');
  const pwa = apps.find((a) => a.kind === 'nuxt') ?? apps.find((a) => a.kind === 'node') ?? apps.find((a) => a.kind === 'static');
  const relay = apps.find((a) => a.kind === 'flutter');
  const facts = backend?.laravel;
  const env = facts?.env ?? {};
  const real = facts?.realEnv ?? {};
  const notes: string[] = [];
  const secrets: string[] = [];
  const secret = (v: string) => { secrets.push(v); return v; };
  const ports = await allocatePorts({ HTTP_PORT: 80, BACKEND_PORT: 8000, REVERB_PORT: 8080, BACKEND_GREEN_PORT: 8100, REVERB_GREEN_PORT: 8180 }, [Number(env.DB_PORT || 3306)]);
  const values: Partial<Record<KeyName, string>> = {
    ENVIRONMENT: 'production', APP_NAME: env.APP_NAME || projectName, APP_IP: lanAddress(),
    HTTP_PORT: String(ports.HTTP_PORT), BACKEND_PORT: String(ports.BACKEND_PORT),
    DB_HOST: env.DB_HOST || '127.0.0.1', DB_PORT: env.DB_PORT || '3306', DB_DATABASE: env.DB_DATABASE || 'woosoo', DB_USERNAME: env.DB_USERNAME || 'woosoo',
    DB_PASSWORD: secret(real.DB_PASSWORD && real.DB_PASSWORD.length >= 8 ? real.DB_PASSWORD : randomToken(32)),
    BACKEND_PATH: backend?.rel ?? 'apps/backend',
    BACKEND_GREEN_PORT: String(ports.BACKEND_GREEN_PORT),
  };
  if (!(real.DB_PASSWORD && real.DB_PASSWORD.length >= 8)) {
    notes.push(`DB_PASSWORD is new (32 random characters, in the file only): create the database user ${values.DB_USERNAME} with it, or set the one it has (Set-WoosooConfig -Name DB_PASSWORD -SecureValue ...).`);
  }
  if (facts?.reverb) {
    Object.assign(values, {
      REVERB_ENABLED: 'true', REVERB_PORT: String(ports.REVERB_PORT), REVERB_GREEN_PORT: String(ports.REVERB_GREEN_PORT),
      REVERB_APP_ID: real.REVERB_APP_ID || `woosoo-${randomToken(6).toLowerCase()}`,
      REVERB_APP_KEY: secret(real.REVERB_APP_KEY && real.REVERB_APP_KEY.length >= 16 ? real.REVERB_APP_KEY : randomToken(24).toLowerCase()),
      REVERB_APP_SECRET: secret(real.REVERB_APP_SECRET && real.REVERB_APP_SECRET.length >= 16 ? real.REVERB_APP_SECRET : randomToken(40)),
    });
  } else {
    values.REVERB_ENABLED = 'false';
    notes.push('No Reverb in the backend (no laravel/reverb, no reverb:start command): REVERB_ENABLED=false.');
  }
  if (facts && facts.test !== 'default') values.TEST_BACKEND_COMMAND = facts.test === 'none' ? 'none' : `'${facts.test}'`;
  if (pwa) values.PWA_PATH = pwa.rel;
  else {
    values.PWA_ENABLED = 'false';
    notes.push('No PWA found (package.json or index.html): PWA_ENABLED=false.');
  }
  if (relay) {
    values.RELAY_PATH = relay.rel;
    values.RELAY_ENABLED = 'false';
    notes.push(`A Flutter app in ${relay.rel}: RELAY_ENABLED=false until Flutter is installed here (then set it to true).`);
  }
  if (facts && facts.emptyRequired.length > 0) {
    notes.push(`${backend!.rel}/.env.example leaves these empty and they look required: ${facts.emptyRequired.join(', ')} (Woosoo manages DB_* and REVERB_*; set the others in the app's .env).`);
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
    const words = def.help.split(/\s+/);
    let line = '#';
    for (const w of words) {
      if (`${line} ${w}`.length > 118) {
        lines.push(line);
        line = '#';
      }
      line += ` ${w}`;
    }
    lines.push(line, `${name}=${value.startsWith("'") ? value : quote(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
