/**
 * New-WoosooProject's port allocator: each wanted port, or the next one after it that is free on this machine
 * (binding it on every IPv4 address, on loopback and on every IPv6 address succeeds: nothing listens there) and
 * taken by nothing already configured — the deployment.config.env being replaced, Woosoo's installed services, and
 * the other ports of the same file.
 */
import { createServer } from 'node:net';
import { parseDotenv } from '../config/dotenv';
import { WoosooError } from '../kernel/errors';
import { run } from '../process/run';

/** Whether the port can be bound on this address now; an address this machine lacks (no IPv6) does not count. */
function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(!['EADDRINUSE', 'EACCES', 'EPERM'].includes(e.code ?? '')));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * True when nothing listens on the port. Windows lets a wildcard bind succeed beside another socket's 127.0.0.1 one,
 * so loopback is tried on its own too.
 */
export async function portFree(port: number): Promise<boolean> {
  for (const host of ['0.0.0.0', '127.0.0.1', '::']) if (!(await bindable(port, host))) return false;
  return true;
}

/** A key's preferred ports, tried in order, each then counted up from (HTTP_PORT: 80, else from 8088 up). */
export type Wanted = Record<string, number | readonly number[]>;

export interface AllocateOptions {
  /** Ports configured elsewhere: never chosen. */
  taken?: Iterable<number>;
  /** The free-port probe (portFree); tests may pass their own. */
  isFree?: (port: number) => Promise<boolean>;
}

/**
 * The ports, in the order of `wanted`, all distinct. A preferred port below 1024 is tried alone (81–1023 are no
 * valid ports for Woosoo's keys); the next start or the counting up takes over.
 */
export async function allocatePorts(wanted: Wanted, opts: AllocateOptions = {}): Promise<Record<string, number>> {
  const used = new Set(opts.taken ?? []);
  const isFree = opts.isFree ?? portFree;
  const out: Record<string, number> = {};
  for (const [key, pref] of Object.entries(wanted)) {
    const starts = typeof pref === 'number' ? [pref] : [...pref];
    const candidates = function* () {
      for (const [i, s] of starts.entries()) {
        if (s < 1024 || i < starts.length - 1) yield s;
        else for (let p = s; p <= 65535; p++) yield p;
      }
    };
    let chosen: number | undefined;
    for (const p of candidates()) {
      if (!used.has(p) && (await isFree(p))) {
        chosen = p;
        break;
      }
    }
    if (chosen === undefined) {
      throw new WoosooError('ProjectNoFreePort', `No free port for ${key} from ${starts.join(' or ')} up.`, {
        category: 'ResourceUnavailable', target: key, fix: 'Free a port (stop what listens on it), then run New-WoosooProject again.',
      });
    }
    used.add(chosen);
    out[key] = chosen;
  }
  return out;
}

/** Every *_PORT value of a deployment.config.env's text (the file being replaced keeps them for its services). */
export function configuredPorts(text: string): number[] {
  return parseDotenv(text).entries.filter((e) => /_PORT$/.test(e.key) && /^\d{1,5}$/.test(e.value)).map((e) => Number(e.value))
    .filter((p) => p > 0 && p <= 65535);
}

/** The --port=N arguments in `reg query` output of NSSM services' AppParameters. */
export function portsInServiceParameters(regOutput: string): number[] {
  const out: number[] = [];
  for (const line of regOutput.split(/\r?\n/)) {
    if (!/^\s+AppParameters\s+REG_/i.test(line)) continue;
    for (const m of line.matchAll(/--port[= ](\d{1,5})\b/g)) out.push(Number(m[1]));
  }
  return out;
}

/**
 * Ports of the services Woosoo installed on this machine, of any project. On Windows, NSSM keeps each service's
 * arguments in the registry: one `reg query` finds every `--port=` (the backends and Reverb, stopped ones too). PM2
 * services (elsewhere) live in each project's own PM2 home and hold their ports while they run, which portFree sees.
 * Best effort: a failure is no ports.
 */
export async function installedServicePorts(env: Record<string, string>, signal?: AbortSignal): Promise<number[]> {
  if (process.platform !== 'win32') return [];
  const r = await run('reg', ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services', '/s', '/f', 'port=', '/d'], { env, signal, timeoutMs: 15_000 });
  return r.exitCode === 0 ? portsInServiceParameters(r.stdout) : [];
}
