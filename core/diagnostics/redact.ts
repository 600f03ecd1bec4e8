/**
 * The bundle's own mask. Everything written into the zip passes through it: the engine's registry (util/redact) masks
 * the secrets as written; a support bundle also holds tools' logs, where a secret shows up encoded (a password in a
 * URL is percent-encoded, an APP_KEY's key is the base64 after "base64:", a token in JSON is escaped, a basic-auth
 * header is base64). Those forms are masked here too, without registering them engine-wide.
 */
import { MASK, MIN_SECRET_LENGTH, redact } from '../util/redact';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A URL's parts that are tokens by themselves: its password, query values and long mixed path segments. */
function urlTokens(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  const found = [url.password, ...[...url.searchParams.values()]];
  found.push(...url.pathname.split('/').filter((s) => s.length >= 12 && /\d/.test(s) && /[A-Za-z]/.test(s)));
  return found.flatMap((s) => { try { return [s, decodeURIComponent(s)]; } catch { return [s]; } });
}

/** The forms a secret takes in logs and files, each at least MIN_SECRET_LENGTH long (shorter ones mangle words). */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')]);
  if (value.startsWith('base64:')) forms.add(value.slice(7));
  for (const t of urlTokens(value)) forms.add(t);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export class BundleRedactor {
  private readonly forms = new Set<string>();
  private pattern: RegExp | null = null;
  /** Secret values too short to mask inside free text (the summary says how many). */
  short = 0;

  add(values: Iterable<string>): void {
    for (const v of values) {
      if (!v) continue;
      if (v.length < MIN_SECRET_LENGTH) {
        this.short++;
        continue;
      }
      for (const f of secretForms(v)) this.forms.add(f);
      this.pattern = null;
    }
  }

  /** The text with every known secret, in every form, replaced by ********. */
  text(s: string): string {
    let out = redact(s);
    if (this.forms.size === 0) return out;
    if (!this.pattern) {
      const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    out = out.replace(this.pattern, MASK);
    return out;
  }
}
