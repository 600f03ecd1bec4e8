/**
 * The rules of Test-WoosooConfig, carried over from the old manager, applied to a loaded configuration.
 * All problems are reported at once; nothing here throws.
 */
import { existsSync } from 'node:fs';
import { MIN_SECRET_LENGTH } from '../util/redact';
import { KEYS, isKeyName, type KeyName } from './keys';
import { CONFIG_FILE, type ProjectConfig } from './load';
import type { ConfigIssue } from './problems';

/** Ports of the stack's services: no two may share one. HTTP/HTTPS may also use the well-known 80/443. */
const SERVICE_PORTS: Partial<Record<KeyName, number | undefined>> = {
  HTTP_PORT: 80,
  HTTPS_PORT: 443,
  BACKEND_PORT: undefined,
  REVERB_PORT: undefined,
  BACKEND_GREEN_PORT: undefined,
  REVERB_GREEN_PORT: undefined,
};
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);
export const MIN_PASSWORD_LENGTH = 8;

export function validateConfig(cfg: ProjectConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [...cfg.problems];
  const add = (p: Omit<ConfigIssue, 'file' | 'line'>) => out.push({ file: cfg.fileOf(p.key), line: cfg.entries.get(p.key)?.line, ...p });
  const failedType = new Set(out.filter((p) => p.rule === 'Type').map((p) => p.key));

  for (const def of KEYS.values()) {
    const entry = cfg.entries.get(def.name);
    const unused = def.name.startsWith('REVERB_APP_') && cfg.get('REVERB_ENABLED') === false;
    if (def.required && !entry && def.default === undefined && !unused) {
      add({ key: def.name, rule: 'Required', severity: 'Error', message: `${def.name} is required but not set in ${CONFIG_FILE}.`, fix: `Add a line ${def.name}=${def.secret ? '<value>' : def.example ?? '<value>'}. ${def.help}` });
    }
  }

  // HTTPS_PORT only with HTTPS; the green colour's ports only with blue/green deploys.
  const unused = new Set<KeyName>([
    ...(cfg.get('HTTPS_ENABLED') !== true ? ['HTTPS_PORT' as const] : []),
    ...(cfg.get('DEPLOY_STRATEGY') === 'InPlace' ? ['BACKEND_GREEN_PORT' as const, 'REVERB_GREEN_PORT' as const] : []),
    ...(cfg.get('REVERB_ENABLED') === false ? ['REVERB_PORT' as const, 'REVERB_GREEN_PORT' as const] : []),
  ]);
  const ports = (Object.keys(SERVICE_PORTS) as KeyName[]).filter((k) => !failedType.has(k) && !unused.has(k));
  for (const name of ports) {
    const port = cfg.num(name);
    const wellKnown = SERVICE_PORTS[name];
    if (port < 1024 && port !== wellKnown) {
      const allowed = wellKnown ? `${wellKnown} or 1024–65535` : '1024–65535';
      add({ key: name, rule: 'PortRange', severity: 'Error', message: `${name}=${port} is a privileged port; application ports must be ${allowed}.`, fix: `Choose ${allowed} for ${name}.` });
    }
  }
  const dbLocal = LOCAL_HOSTS.has(cfg.str('DB_HOST').toLowerCase()) || cfg.str('DB_HOST') === cfg.str('APP_IP');
  if (dbLocal && !failedType.has('DB_PORT')) ports.push('DB_PORT');
  const byPort = new Map<number, string[]>();
  for (const name of ports) byPort.set(cfg.num(name), [...(byPort.get(cfg.num(name)) ?? []), name]);
  for (const [port, names] of byPort) {
    if (names.length < 2) continue;
    add({ key: names[1], rule: 'PortConflict', severity: 'Error', message: `${names.join(' and ')} are ${names.length === 2 ? 'both' : 'all'} set to ${port}; two services cannot listen on one port.`, fix: `Give ${names.slice(1).join(' and ')} a port of its own.` });
  }

  const password = cfg.entries.get('DB_PASSWORD')?.value;
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    add({ key: 'DB_PASSWORD', rule: 'PasswordLength', severity: 'Error', message: `DB_PASSWORD is ${password.length === 0 ? 'empty' : 'shorter than 8 characters'}.`, fix: `Use a database password of at least ${MIN_PASSWORD_LENGTH} characters (and change it in the database too).` });
  }

  // Other secrets must be long enough to be masked in output (shorter values are not: they would mangle it).
  for (const def of KEYS.values()) {
    const value = cfg.entries.get(def.name)?.value;
    if (!def.secret || def.name === 'DB_PASSWORD' || !value || value.length >= MIN_SECRET_LENGTH) continue;
    add({ key: def.name, rule: 'SecretLength', severity: 'Error', message: `${def.name} is shorter than ${MIN_SECRET_LENGTH} characters: too short to be masked in output, so it would show in logs and reports.`, fix: `Use a random value of at least ${MIN_SECRET_LENGTH} characters for ${def.name} (then Sync-WoosooConfig puts it in the apps).` });
  }

  if (cfg.get('ENVIRONMENT') === 'production' && cfg.get('APP_DEBUG') === true) {
    add({ key: 'APP_DEBUG', rule: 'DebugInProduction', severity: 'Warning', message: 'APP_DEBUG is true in production: errors would show stack traces (and secrets) to users.', fix: 'Set APP_DEBUG=false.' });
  }

  for (const name of ['BACKEND_PATH', ...(cfg.get('PWA_ENABLED') === false ? [] : ['PWA_PATH']), ...(cfg.flag('RELAY_ENABLED') ? ['RELAY_PATH'] : [])] as KeyName[]) {
    if (cfg.values[name] !== undefined && !existsSync(cfg.path(name))) {
      add({ key: name, rule: 'PathMissing', severity: 'Warning', message: `${name} points to ${cfg.path(name)}, which does not exist.`, fix: `Check out the app there, or set ${name} to where it is (relative to the project folder).` });
    }
  }

  for (const [name] of cfg.entries) {
    if (isKeyName(name)) continue;
    const guess = closest(name);
    add({ key: name, rule: 'UnknownKey', severity: 'Warning', message: `${name} is not a Woosoo setting and is ignored.`, fix: guess ? `Did you mean ${guess}? Otherwise remove the line.` : 'Remove the line, or check docs/configuration.md for the key names.' });
  }
  return out;
}

function closest(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of KEYS.keys()) {
    const d = distance(name.toUpperCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
