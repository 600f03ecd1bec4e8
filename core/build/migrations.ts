/**
 * Destructive migrations, found before they run: `php artisan migrate --pretend` prints the SQL the pending
 * migrations would run, and a statement that drops or renames a table or a column (or truncates one) is flagged.
 * The release still serving may use what it removes; the expand/contract way is to stop using it first and remove it
 * in a later deploy. DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true accepts them.
 */

/** Statements that drop, rename or empty a table or a column; index, key and constraint changes are not among them. */
const DESTRUCTIVE: RegExp[] = [
  /\bdrop\s+table\b/i,
  /\brename\s+table\b/i,
  /\btruncate\b/i,
  /\balter\s+table\b.*\bdrop\s+(?!(?:index|key|foreign|primary|unique|constraint|check|default)\b)/i,
  /\balter\s+table\b.*\brename\s+(?:column\s+|to\s+|as\s+)?[`"[\w]/i,
  /\balter\s+table\b.*\bchange\s+(?:column\s+)?[`"\w]+\s+[`"\w]+/i,
];

/** The destructive statements in `migrate --pretend` output (one per line, as Laravel prints them, trimmed). */
export function destructiveStatements(pretendOutput: string): string[] {
  return pretendStatements(pretendOutput).filter((l) => /^(alter|drop|rename|truncate)\b/i.test(l) && DESTRUCTIVE.some((re) => re.test(l)));
}

/** The SQL statements in `migrate --pretend` output, one per line as Laravel prints them, trimmed. */
export function pretendStatements(pretendOutput: string): string[] {
  return pretendOutput
    .split(/\r?\n/)
    // Laravel 10+ prints "⇂ alter table …" under each migration; before, "MigrationClass: alter table …".
    .map((l) => l.replace(/^[\s⇂>\-*]+/u, '').replace(/^[A-Za-z0-9_\\]+:\s+/, '').trim())
    .filter((l) => /^(create|alter|drop|rename|truncate|insert|update|delete)\b/i.test(l));
}

/** The `migrate --pretend` form of a migrate command's arguments. */
export function pretendArgs(args: readonly string[]): string[] {
  return [...args.filter((a) => a !== '--pretend'), '--pretend'];
}

/** Why a build stops before a destructive migration, and the two ways on. */
export function destructiveMessage(statements: string[]): string {
  const shown = statements.slice(0, 10).map((s) => `  ${s.length > 200 ? `${s.slice(0, 200)}…` : s}`).join('\n');
  return `the pending migrations drop or rename what the running release may still use (migrate --pretend):\n${shown}${statements.length > 10 ? `\n  … and ${statements.length - 10} more` : ''}\n`
    + 'Nothing was migrated. Expand/contract: first deploy code that no longer uses the column or table, then remove it in a later deploy; '
    + 'or, when the running release does not use it, set DEPLOY_ALLOW_DESTRUCTIVE_MIGRATIONS=true and deploy again.';
}
