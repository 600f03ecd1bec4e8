/**
 * The Network category: who holds each configured port (nobody, our own service, or a foreign process with its
 * name and PID), and whether APP_IP is assigned to a local interface and accepts a socket.
 * Listeners come from systeminformation (netstat/ss underneath); where it cannot name the process (Linux without
 * the right to see it), the owner of that one port is found through /proc/net/tcp and the socket inodes in
 * /proc/<pid>/fd.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, relative, isAbsolute } from 'node:path';
import { probeSystem, processList } from '../util/sysinfo';
import type { KeyName, ProjectConfig } from '../config';
import type { Outcome, ProbeContext } from './types';

export interface Listener {
  port: number;
  address: string;
  pid: number | null;
  process: string;
  /** Full command line when it could be read. */
  command: string;
}

/** Every TCP listener of the machine (shared by the port checks of one run). */
export function listeners(pc: ProbeContext): Promise<Listener[]> {
  return pc.shared('listeners', async () => {
    const conns = await probeSystem('the listening ports probe (netstat/ss)', (si) => si.networkConnections(), pc);
    const out: Listener[] = conns
      .filter((c) => c.state === 'LISTEN' && c.protocol.startsWith('tcp'))
      .map((c) => ({ port: Number(c.localPort), address: c.localAddress, pid: c.pid ?? null, process: c.process ?? '', command: '' }));
    // Linux: listeners the tool did not show (another network namespace view, no permission) are still in /proc.
    if (process.platform === 'linux') {
      for (const port of procListeners().keys()) {
        if (!out.some((l) => l.port === port)) out.push({ port, address: '', pid: null, process: '', command: '' });
      }
    }
    return out;
  });
}

/** Linux: listening TCP ports and their socket inodes, from /proc/net/tcp and tcp6. */
function procListeners(): Map<number, string> {
  const byPort = new Map<number, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // 0A = LISTEN
      byPort.set(parseInt(f[1].split(':')[1], 16), f[9]);
    }
  }
  return byPort;
}

/** Linux: the lowest PID holding the listening socket of this port (its inode in /proc/<pid>/fd), or null. */
function procOwner(port: number): number | null {
  const inode = procListeners().get(port);
  if (!inode) return null;
  const wanted = `socket:[${inode}]`;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return pid;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null;
}

/** The command line of a process: /proc on Linux, systeminformation's process list elsewhere. */
async function commandLine(pc: ProbeContext, pid: number): Promise<{ command: string; cwd: string }> {
  if (process.platform === 'linux') {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        /* not permitted */
      }
      return { command, cwd };
    } catch {
      return { command: '', cwd: '' };
    }
  }
  const all = await pc.shared('si.processes', () => probeSystem('the process list probe', processList, pc));
  const p = all.find((x) => x.pid === pid);
  return { command: p ? `${p.path ? `${p.path}/` : ''}${p.command} ${p.params}`.trim() : '', cwd: '' };
}

/** What "our own service" looks like on each port: the stack's command lines. */
const OWN: Record<string, { label: string; match: RegExp; inProject: boolean }> = {
  HTTP_PORT: { label: 'nginx with this project\'s configuration', match: /nginx/i, inProject: true },
  HTTPS_PORT: { label: 'nginx with this project\'s configuration', match: /nginx/i, inProject: true },
  BACKEND_PORT: { label: 'the Laravel backend (php artisan serve / php-fpm)', match: /artisan\S*\s+serve\b|php-fpm|php\S*\s.*-S\s/i, inProject: true },
  REVERB_PORT: { label: 'Reverb (php artisan reverb:start)', match: /artisan\S*\s+reverb:start\b/i, inProject: true },
  BACKEND_GREEN_PORT: { label: 'the green colour\'s Laravel backend (php artisan serve / php-fpm)', match: /artisan\S*\s+serve\b|php-fpm|php\S*\s.*-S\s/i, inProject: true },
  REVERB_GREEN_PORT: { label: 'the green colour\'s Reverb (php artisan reverb:start)', match: /artisan\S*\s+reverb:start\b/i, inProject: true },
  DB_PORT: { label: 'the database server', match: /mariadbd|mysqld/i, inProject: false },
};

const within = (dir: string, p: string) => {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export interface PortProbe {
  key: string;
  port: number;
  holder?: Listener;
  own?: string;
}

export async function probePort(pc: ProbeContext, key: KeyName): Promise<PortProbe> {
  const port = pc.cfg.num(key);
  const all = await listeners(pc);
  const held = all.filter((l) => l.port === port).sort((a, b) => (a.pid ?? Infinity) - (b.pid ?? Infinity));
  if (held.length === 0) return { key, port };
  const holder = { ...(held.find((l) => l.pid) ?? held[0]) };
  if (!holder.pid && process.platform === 'linux') holder.pid = procOwner(port);
  if (!holder.pid) return { key, port, holder };
  const { command, cwd } = await commandLine(pc, holder.pid);
  holder.command = command;
  if (!holder.process) holder.process = basename(command.split(' ')[0] ?? '');
  const rule = OWN[key];
  const projectDir = pc.cfg.projectDir;
  const ours = rule && rule.match.test(command) && (!rule.inProject || command.includes(projectDir) || (cwd !== '' && within(projectDir, cwd)));
  return { key, port, holder, own: ours ? rule.label : undefined };
}

export function evaluatePort(p: PortProbe): Outcome {
  const what = `${p.key}=${p.port}`;
  const isDb = p.key === 'DB_PORT';
  const expected = isDb ? 'the database server listens' : 'free, or held by our own service';
  if (!p.holder) {
    if (isDb) {
      return { status: 'Warn', expected, actual: 'nothing listens', message: `Nothing listens on ${what}: the local database server is not running.`, fix: 'Start MariaDB/MySQL (Windows: Start-Service MariaDB), or correct DB_PORT.' };
    }
    return { status: 'Pass', expected, actual: 'free', message: `Port ${p.port} (${p.key}) is free.` };
  }
  const who = p.holder.pid ? `${p.holder.process || 'a process'} (PID ${p.holder.pid})` : 'a process Woosoo may not see (no PID)';
  if (p.own) return { status: 'Pass', expected, actual: `held by ${who}`, message: `Port ${p.port} (${p.key}) is held by our own service: ${p.own}, ${who}.` };
  if (!p.holder.pid || !p.holder.command) {
    // Without elevation Windows hides the owner of a service's socket (and Linux hides other users' processes): the
    // holder may well be our own service, so this is a warning to look, not a failure that blocks a deploy.
    return {
      status: 'Warn', expected, actual: `held by ${who}, not identified`,
      message: `Port ${p.port} (${p.key}) is held by ${who} whose command line Woosoo cannot read, so it cannot tell whether it is our own service.`,
      fix: p.holder.pid
        ? `Run the command again as Administrator to identify it, or look it up: Get-Process -Id ${p.holder.pid}. If it is not this stack's, stop it or choose another port for ${p.key}.`
        : `Run the command again as Administrator (or "netstat -ano" as Administrator) to see which program holds it. If it is not this stack's, stop it or choose another port for ${p.key}.`,
    };
  }
  const command = `: ${p.holder.command.slice(0, 200)}`;
  return {
    status: 'Fail', expected, actual: `held by ${who}`,
    message: `Port ${p.port} (${p.key}) is held by another program, ${who}${command}.`,
    fix: `Stop that program (Stop-Process -Id ${p.holder.pid}, or stop its service), or choose another port for ${p.key} in deployment.config.env.`,
  };
}

/** The configured ports to check: HTTPS only when enabled, the database port only when the database is local. */
export function portApplies(key: string, cfg: ProjectConfig): boolean {
  if (cfg.values[key] === undefined) return false;
  if (key === 'HTTPS_PORT') return cfg.flag('HTTPS_ENABLED');
  if (key === 'DB_PORT') return isLocalDb(cfg);
  // The green colour's ports are used only by blue/green deploys (a deploy starts the idle colour there).
  if ((key === 'REVERB_PORT' || key === 'REVERB_GREEN_PORT') && !cfg.flag('REVERB_ENABLED')) return false;
  if (key === 'BACKEND_GREEN_PORT' || key === 'REVERB_GREEN_PORT') return cfg.get('DEPLOY_STRATEGY') !== 'InPlace';
  return true;
}

export function isLocalDb(cfg: ProjectConfig): boolean {
  const host = cfg.str('DB_HOST').toLowerCase();
  return ['127.0.0.1', 'localhost', '::1'].includes(host) || host === cfg.str('APP_IP') || localAddresses().some((a) => a.address === host);
}

function localAddresses(): { iface: string; address: string }[] {
  return Object.entries(networkInterfaces()).flatMap(([iface, addrs]) => (addrs ?? []).map((a) => ({ iface, address: a.address })));
}

export interface AppIpProbe {
  ip: string;
  iface?: string;
  bindError?: string;
  others: string[];
}

/** Is APP_IP on an interface, and does a socket bind to it (the address is up and usable)? */
export async function probeAppIp(pc: ProbeContext): Promise<AppIpProbe> {
  const ip = pc.cfg.str('APP_IP');
  const all = localAddresses().filter((a) => !a.address.includes(':'));
  const found = all.find((a) => a.address === ip);
  const others = all.map((a) => `${a.iface} ${a.address}`);
  if (!found) return { ip, others };
  const bindError = await new Promise<string | undefined>((resolve) => {
    const srv = createServer();
    srv.once('error', (e) => resolve(e.message));
    srv.listen({ port: 0, host: ip, exclusive: true }, () => srv.close(() => resolve(undefined)));
  });
  return { ip, iface: found.iface, bindError, others };
}

export function evaluateAppIp(p: AppIpProbe): Outcome {
  const expected = 'assigned to a local interface';
  if (!p.ip) return { status: 'Fail', expected, actual: 'not set', message: 'APP_IP is not set.', fix: 'Set APP_IP to the server\'s LAN address in deployment.config.env.' };
  if (!p.iface) {
    return {
      status: 'Fail', expected, actual: 'not assigned',
      message: `APP_IP=${p.ip} is not assigned to any interface of this machine (it has ${p.others.join(', ') || 'no IPv4 address'}).`,
      fix: 'Set APP_IP to one of the addresses above, or give the server that static address (tablets and relay devices connect to it).',
    };
  }
  if (p.bindError) {
    return { status: 'Fail', expected, actual: `on ${p.iface}, unusable`, message: `APP_IP=${p.ip} is on ${p.iface} but a socket cannot bind to it: ${p.bindError}.`, fix: 'Check that the interface is up (and not a tentative/duplicate address), then run again.' };
  }
  return { status: 'Pass', expected, actual: `on ${p.iface}`, message: `APP_IP=${p.ip} is assigned to ${p.iface} and accepts connections.` };
}
