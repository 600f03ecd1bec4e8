/**
 * Documentation generated from the zod declarations, so docs cannot drift from the code:
 * docs/configuration.md (every key) and the method table of docs/protocol.md. `npm run docs` writes them;
 * tests/docs.test.ts fails when they are stale.
 */
import { z } from 'zod';
import { KEYS } from './config/keys';
import type { MethodDef } from './kernel/method';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderConfigDoc(): string {
  const groups = new Map<string, string[]>();
  for (const k of KEYS.values()) {
    const rows = groups.get(k.group) ?? [];
    const flags = [k.required ? 'required' : '', k.secret ? 'secret' : ''].filter(Boolean).join(', ');
    const def = k.default === undefined ? '—' : k.default === '' ? '(empty)' : `\`${k.default}\``;
    rows.push(`| \`${k.name}\` | ${cell(k.kind)} | ${def} | ${flags || '—'} | ${cell(k.help)} |`);
    groups.set(k.group, rows);
  }
  const sections = [...groups].map(([group, rows]) =>
    [`## ${group}`, '', '| Key | Type | Default | | Meaning |', '|---|---|---|---|---|', ...rows].join('\n'));
  return [
    '<!-- Generated from core/config/keys/*.ts by `npm run docs`; do not edit by hand. -->',
    '# Configuration: deployment.config.env',
    '',
    'The master configuration lives in `deployment.config.env` at the project root (the folder that also holds',
    '`apps/`, `logs/`, `backups/`, `configs/` and `certs/`). Cmdlets find it from `-Path` (the folder or the file),',
    'else `$env:WOOSOO_PROJECT`, else by walking up from the current location.',
    '',
    'Syntax is dotenv: `KEY=value`, `# comments`, blank lines, an optional `export ` prefix, single quotes',
    '(literal), double quotes (escapes `\\n \\r \\t \\" \\\\ \\$`, may span lines), inline ` # comments` after unquoted',
    'values, `${KEY}` references to keys defined above, CRLF line endings and a UTF-8 BOM. A syntax error or a',
    'value of the wrong type (`HTTP_PORT=80x88`) is refused by every cmdlet that needs the configuration, the',
    'getters too, with `Woosoo.ConfigInvalid` naming the file, key, line and fix; nothing is written.',
    '`Test-WoosooConfig` and `Test-WoosooPreflight` list it instead, and a restore works anyway (docs/backups.md).',
    '',
    '`Get-WoosooConfig` shows the typed values (secrets masked unless `-Reveal`); `Test-WoosooConfig` lists every',
    'problem with its fix. Rules beyond the types: application ports 1024–65535 (HTTP/HTTPS may use 80/443), no two',
    'services on one port (the database port too when the database is local), `DB_PASSWORD` at least 8',
    'characters, `APP_DEBUG` not true in production (warning), app folders that exist (warning), unknown keys',
    '(warning, with a suggestion).',
    '',
    'Keys marked *secret* are masked in all output, logs, reports and journals; so is any unknown key whose',
    'name contains PASSWORD, SECRET, TOKEN, PRIVATE, WEBHOOK or ends in _KEY. A secret shorter than 8 characters',
    'cannot be masked safely (it would mask parts of ordinary words): it is an Error (`SecretLength`).',
    '',
    'A tool key (`PHP_PATH`, `MYSQL_PATH`, `NSSM_PATH`, … in Tools) means one thing everywhere: a bare program name',
    '(`php8.2`) is looked up on the session\'s PATH; a path is taken as is when absolute, else relative to the project',
    'folder (`tools/php/php.exe`). Empty: the places its line names, then PATH (core/process/locate.ts).',
    '',
    '## Environments: overlay files',
    '',
    '`deployment.config.env` holds the shared values; `deployment.config.<environment>.env` beside it (development,',
    'staging, production) holds only what differs in that environment, and its keys win. Which environment applies:',
    '`-Environment` (every cmdlet that reads the project has it), else `$env:WOOSOO_ENVIRONMENT`, else `ENVIRONMENT` in',
    'the shared file. An environment named by `-Environment` or the variable must exist — its overlay, or the shared',
    'file\'s own `ENVIRONMENT` — or the cmdlet stops with `Woosoo.EnvironmentNotFound` (`Woosoo.EnvironmentInvalid` for',
    'a name that is not an environment): a typo never deploys the shared values. `ENVIRONMENT` is the environment',
    'chosen; an overlay that says another one is an Error (`EnvironmentMismatch`). Problems name the file and line',
    'they are in.',
    '',
    '- `Get-WoosooConfig -Name …` shows each value\'s `Source` (`Default`, `File` — the shared file —, `Overlay`, or',
    '  `Environment` for an `ENVIRONMENT` chosen by name) with its `File` and `Line`.',
    '- `Compare-WoosooConfig -Environment staging, production` lists the keys that differ, a column per environment',
    '  (one environment is compared with `base`, the shared file alone; `-IncludeEqual` lists every key). Secrets are',
    '  compared but shown masked.',
    '- `Set-WoosooConfig` and `Edit-WoosooConfig` write into the overlay of an environment named by `-Environment` or',
    '  `$env:WOOSOO_ENVIRONMENT` (validated together with the shared file); otherwise into the shared file, with a',
    '  warning for a key the applying overlay also sets (the overlay wins there).',
    '- Deployments record their environment (journal, `Woosoo.Deployment`, the HTML report); backups record it and',
    '  hold every overlay. `Restore-WoosooBackup` refuses a backup taken in another environment',
    '  (`Woosoo.BackupEnvironmentMismatch`) unless `-Force`.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}

function describeParams(schema: z.ZodType): string {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: unknown; description?: string }>; required?: string[] };
    const props = Object.entries(json.properties ?? {});
    if (props.length === 0) return '—';
    return props.map(([name, p]) => {
      const type = Array.isArray(p.type) ? p.type.join('/') : (p.type as string | undefined) ?? 'any';
      const req = json.required?.includes(name) ? '' : '?';
      return `\`${name}${req}\`: ${type}`;
    }).join(', ');
  } catch {
    return '(see source)';
  }
}

export function renderMethodTable(methods: MethodDef[]): string {
  const rows = [...methods].sort((a, b) => a.name.localeCompare(b.name)).map((m) =>
    `| \`${m.name}\` | ${cell(describeParams(m.params))} | ${cell(m.summary)} |`);
  return ['| Method | Params | What it does |', '|---|---|---|', ...rows].join('\n');
}

export const METHODS_BEGIN = '<!-- methods:begin (generated by `npm run docs`) -->';
export const METHODS_END = '<!-- methods:end -->';

/** docs/protocol.md with its generated method table replaced. */
export function withMethodTable(protocolDoc: string, methods: MethodDef[]): string {
  const start = protocolDoc.indexOf(METHODS_BEGIN);
  const end = protocolDoc.indexOf(METHODS_END);
  if (start < 0 || end < start) throw new Error('docs/protocol.md lacks the methods markers');
  return `${protocolDoc.slice(0, start + METHODS_BEGIN.length)}\n${renderMethodTable(methods)}\n${protocolDoc.slice(end)}`;
}
