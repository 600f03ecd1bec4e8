/**
 * The database checks: the MySQL/MariaDB client and its version, and a real login to the configured server with the
 * configured credentials. The password goes to the client in its MYSQL_PWD environment variable only: never as an
 * argument (visible to every user in the process list), never in a message.
 */
import type { RunResult } from '../process/run';
import { firstLine, locate, toolRunFailure, type Located, type NotLocated } from './tools';
import { setting, type Outcome, type ProbeContext } from './types';
import { atLeast, parseDbVersion, shortVersion } from './version';

const INSTALL = 'Install the MariaDB client (Windows: the MariaDB MSI with "Client programs"; Debian: apt-get install mariadb-client).';

export const locateClient = (pc: ProbeContext) =>
  locate(pc.cfg, pc.env, 'MYSQL_PATH', ['mariadb', 'mysql'], 'The MySQL/MariaDB client', INSTALL);

function minimumFor(pc: ProbeContext, flavor: 'MariaDB' | 'MySQL'): string {
  return setting(pc.cfg, flavor === 'MariaDB' ? 'PREFLIGHT_MIN_MARIADB_VERSION' : 'PREFLIGHT_MIN_MYSQL_VERSION');
}

export interface ClientProbe {
  located: Located | NotLocated;
  result?: RunResult;
}

export async function probeClient(pc: ProbeContext): Promise<ClientProbe> {
  const located = locateClient(pc);
  if (located.path === null) return { located };
  return { located, result: await pc.exec(located.path, ['--version']) };
}

export function evaluateClient(p: ClientProbe, pc: ProbeContext): Outcome {
  const expected = 'MariaDB or MySQL client';
  if (p.located.path === null) return { status: 'Fail', expected, actual: 'not found', message: p.located.reason, fix: p.located.fix };
  const r = p.result!;
  if (r.exitCode !== 0) return toolRunFailure('The database client', p.located, r, expected, 'Repair the MariaDB/MySQL client installation, or set MYSQL_PATH to a working client.');
  const { version, flavor } = parseDbVersion(r.stdout || r.stderr);
  if (!version) return { status: 'Fail', expected, actual: firstLine(r.stdout) || 'no output', message: `"${r.display}" printed no version Woosoo can read.`, fix: 'Check that MYSQL_PATH points to the mariadb or mysql client.' };
  const min = minimumFor(pc, flavor);
  const actual = `${flavor} ${version} (${p.located.path})`;
  if (!atLeast(version, min)) {
    return { status: 'Fail', expected: `${flavor} ${shortVersion(min)} or later`, actual, message: `The ${flavor} client ${version} is older than ${shortVersion(min)}.`, fix: `Install a newer client, or set MYSQL_PATH to one (minimum: PREFLIGHT_MIN_${flavor.toUpperCase()}_VERSION).` };
  }
  return { status: 'Pass', expected: `${flavor} ${shortVersion(min)} or later`, actual, message: `${flavor} client ${version} found via ${p.located.via}.` };
}

export interface ServerProbe {
  located: Located | NotLocated;
  target: string;
  result?: RunResult;
}

/** Logs in over TCP as DB_USERNAME to DB_DATABASE and asks the server for its version. */
export async function probeServer(pc: ProbeContext): Promise<ServerProbe> {
  const { cfg } = pc;
  const target = `${cfg.str('DB_USERNAME')}@${cfg.str('DB_HOST')}:${cfg.str('DB_PORT')}/${cfg.str('DB_DATABASE')}`;
  const located = locateClient(pc);
  if (located.path === null) return { located, target };
  const password = cfg.str('DB_PASSWORD');
  const env = { ...pc.env };
  delete env.MYSQL_PWD;
  if (password) env.MYSQL_PWD = password;
  const seconds = Math.max(1, Math.floor(pc.timeoutMs / 1000));
  const args = [
    '--no-defaults', '--protocol=TCP', `--host=${cfg.str('DB_HOST')}`, `--port=${cfg.str('DB_PORT')}`,
    `--user=${cfg.str('DB_USERNAME')}`, `--database=${cfg.str('DB_DATABASE')}`, `--connect-timeout=${seconds}`,
    '--batch', '--skip-column-names', '--execute=SELECT VERSION()',
  ];
  return { located, target, result: await pc.exec(located.path, args, { env }) };
}

/** What the client's error number means, and what to do about it. */
function diagnose(text: string, target: string): { message: string; fix: string } {
  const code = /ERROR\s+(\d+)/.exec(text)?.[1];
  switch (code) {
    case '1045':
      return { message: `The database refused the login ${target}: wrong user name or password.`, fix: 'Check DB_USERNAME and DB_PASSWORD in deployment.config.env against the database (ALTER USER … IDENTIFIED BY … changes it there).' };
    case '1044':
    case '1049':
      return { message: `${target}: the database does not exist or the user may not use it.`, fix: 'Create the database and grant the user access (CREATE DATABASE …; GRANT ALL ON db.* TO user), or correct DB_DATABASE.' };
    case '1130':
      return { message: `${target}: the server does not allow this user to connect from this host.`, fix: 'Create the user for this host (e.g. \'user\'@\'127.0.0.1\' or \'user\'@\'%\') and grant it the database.' };
    case '2002':
    case '2003':
    case '2005':
    case '2013':
      return { message: `Cannot reach the database server for ${target}: ${firstLine(text)}`, fix: 'Start MariaDB/MySQL, and check DB_HOST and DB_PORT (and the firewall when the server is remote).' };
    default:
      return { message: `The login ${target} failed: ${firstLine(text) || 'no output'}`, fix: 'Run Test-WoosooPreflight -Detailed to see the client\'s output; check DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD and DB_DATABASE.' };
  }
}

export function evaluateServer(p: ServerProbe, pc: ProbeContext): Outcome {
  const expected = `login as ${p.target}`;
  if (p.located.path === null) return { status: 'Skip', expected, actual: 'no client', message: `Cannot test the login without a client: ${p.located.reason}`, fix: p.located.fix };
  const r = p.result!;
  if (r.notFound) return toolRunFailure('The database client', p.located, r, expected, 'Repair the client installation or set MYSQL_PATH.');
  if (r.exitCode !== 0) {
    const d = diagnose(`${r.stderr}\n${r.stdout}`, p.target);
    return { status: 'Fail', expected, actual: 'login failed', message: d.message, fix: d.fix };
  }
  const serverVersion = firstLine(r.stdout);
  const { version, flavor } = parseDbVersion(serverVersion);
  const min = minimumFor(pc, flavor);
  if (version && !atLeast(version, min)) {
    return { status: 'Fail', expected: `${expected}, ${flavor} ${shortVersion(min)}+`, actual: serverVersion, message: `The database server runs ${flavor} ${version}, older than ${shortVersion(min)}.`, fix: `Upgrade the database server to ${flavor} ${shortVersion(min)} or later.` };
  }
  return { status: 'Pass', expected, actual: serverVersion, message: `Logged in as ${p.target}; the server runs ${serverVersion}.` };
}
