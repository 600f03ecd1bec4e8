/**
 * PowerShell-style wildcard (* and ?) to a case-insensitive, whole-string RegExp; every other character is literal.
 * Two replacements, kept by hand: a glob library (picomatch) brings path rules ('/', brace and extglob syntax) that
 * a service or check name must not have.
 */
export function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
