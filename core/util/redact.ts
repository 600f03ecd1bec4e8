/**
 * The engine-wide secret registry. Every secret value the engine learns (from the configuration, from a .env)
 * is registered here, and everything the engine sends out of the process (log notifications, errors, reports,
 * journals) passes through `redact`, so a secret cannot leak by accident even from a tool's own output.
 */
export const MASK = '********';

const secrets = new Set<string>();
let pattern: RegExp | null = null;

/**
 * Values shorter than this are not registered: a short value ("1", "admin", "woosoo") is also part of ordinary
 * words, paths and numbers, and masking it everywhere would mangle them. A secret key whose value is this short is a
 * configuration problem (Test-WoosooConfig: SecretLength, PasswordLength), not a reason to mask substrings.
 */
export const MIN_SECRET_LENGTH = 8;

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  pattern = null;
}

export function registerSecrets(values: Iterable<string>): void {
  for (const v of values) registerSecret(v);
}

export function clearSecrets(): void {
  secrets.clear();
  pattern = null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redact(text: string): string {
  if (secrets.size === 0 || !text) return text;
  if (!pattern) {
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = new RegExp(alternatives.join('|'), 'g');
  }
  return text.replace(pattern, MASK);
}

/** Deeply masks every string in a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/** Names that hold secrets by convention, for keys the schema does not know. */
export function looksSecret(name: string): boolean {
  return /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|(^|_)KEY$|APIKEY|API_KEY|WEBHOOK/i.test(name);
}
