/**
 * Resource and port checks: total CPU load (sustained: cpu.ts) and memory in use (systeminformation), free space on the project's
 * drive (statfs, no child process), and whether each configured port accepts TCP connections.
 */
import { statfs } from 'node:fs/promises';
import { connect } from 'node:net';
import { probeSystem } from '../util/sysinfo';
import { cpuSamples, overStreak, sampleCpu } from './cpu';
import type { ProjectConfig } from '../config';
import { healthCheck, type CheckContext, type CheckSpec, type HealthResult } from './check';

const GB = 1024 ** 3;

const pct = (n: number) => Math.round(n * 10) / 10;

/** Degraded only when the last HEALTH_CPU_SAMPLES samples are all over HEALTH_CPU_WARN_PERCENT (cpu.ts). */
export function cpuCheck(cfg: ProjectConfig): CheckSpec {
  const warn = cfg.num('HEALTH_CPU_WARN_PERCENT');
  const needed = cfg.num('HEALTH_CPU_SAMPLES');
  return {
    category: 'Resource', name: 'CPU', target: 'total',
    async run(c) {
      const load = (await sampleCpu(c)).load;
      const streak = overStreak(cpuSamples(), warn).length;
      const over = streak >= needed;
      const message = over ? `CPU load ${load}% is over HEALTH_CPU_WARN_PERCENT=${warn}% (${needed} samples in a row).`
        : streak > 0 ? `CPU load ${load}% is over ${warn}% in ${streak} sample(s) in a row; Degraded from ${needed} (HEALTH_CPU_SAMPLES): a spike so far.`
          : `CPU load ${load}%.`;
      return [healthCheck('Resource', 'CPU', 'total', { status: over ? 'Degraded' : 'Healthy', value: load, threshold: warn, message })];
    },
  };
}

export function memoryCheck(cfg: ProjectConfig): CheckSpec {
  const warn = cfg.num('HEALTH_MEMORY_WARN_PERCENT');
  return {
    category: 'Resource', name: 'Memory', target: 'total',
    async run(c) {
      const m = await probeSystem('the memory probe', (si) => si.mem(), c);
      const used = pct((m.active / m.total) * 100);
      const text = `${(m.active / GB).toFixed(1)} of ${(m.total / GB).toFixed(1)} GB in use (${used}%)`;
      const over = used > warn;
      return [healthCheck('Resource', 'Memory', 'total', {
        status: over ? 'Degraded' : 'Healthy', value: used, threshold: warn,
        message: over ? `${text}, over HEALTH_MEMORY_WARN_PERCENT=${warn}%.` : `${text}.`,
      })];
    },
  };
}

export function diskCheck(cfg: ProjectConfig): CheckSpec {
  const min = cfg.num('HEALTH_DISK_MIN_GB');
  const dir = cfg.projectDir;
  return {
    category: 'Resource', name: 'Disk', target: dir,
    async run() {
      const s = await statfs(dir);
      const free = Math.round(((s.bavail * s.bsize) / GB) * 10) / 10;
      const total = Math.round(((s.blocks * s.bsize) / GB) * 10) / 10;
      const status = free < min / 2 ? 'Unhealthy' : free < min ? 'Degraded' : 'Healthy';
      const text = `${free} GB free of ${total} GB on the drive of ${dir}`;
      return [healthCheck('Resource', 'Disk', dir, {
        status, value: free, threshold: min,
        message: status === 'Healthy' ? `${text}.` : `${text}, under HEALTH_DISK_MIN_GB=${min}${status === 'Unhealthy' ? ' (less than half)' : ''}. Free space (old backups, logs) before the next deploy.`,
      })];
    },
  };
}

/** True when host:port accepts a TCP connection; false when refused; rejects on other errors. */
export function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const sock = connect({ host, port });
    const done = (v: boolean | Error) => {
      sock.destroy();
      signal.removeEventListener('abort', onAbort);
      if (v instanceof Error) reject(v);
      else resolve(v);
    };
    const onAbort = () => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => done(true));
    sock.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? done(false) : done(e)));
  });
}

const LOCAL = ['127.0.0.1', 'localhost', '::1'];

/** The ports of the stack with the hosts to try (the backend may listen on loopback or on APP_IP). */
export function configuredPorts(cfg: ProjectConfig): { key: string; port: number; hosts: string[] }[] {
  const ip = cfg.str('APP_IP');
  const uniq = (hosts: string[]) => [...new Set(hosts)];
  const ports = [
    { key: 'HTTP_PORT', port: cfg.num('HTTP_PORT'), hosts: [ip] },
    { key: 'BACKEND_PORT', port: cfg.num('BACKEND_PORT'), hosts: uniq(['127.0.0.1', ip]) },
    ...(cfg.flag('REVERB_ENABLED') ? [{ key: 'REVERB_PORT', port: cfg.num('REVERB_PORT'), hosts: uniq([ip, '127.0.0.1']) }] : []),
  ];
  if (cfg.flag('HTTPS_ENABLED')) ports.splice(1, 0, { key: 'HTTPS_PORT', port: cfg.num('HTTPS_PORT'), hosts: [ip] });
  const dbHost = cfg.str('DB_HOST');
  if (LOCAL.includes(dbHost.toLowerCase()) || dbHost === ip) ports.push({ key: 'DB_PORT', port: cfg.num('DB_PORT'), hosts: [dbHost] });
  return ports;
}

export function portCheck(p: { key: string; port: number; hosts: string[] }): CheckSpec {
  const name = `Port ${p.key}`;
  const target = p.hosts.map((h) => `${h.includes(':') ? `[${h}]` : h}:${p.port}`).join(' | ');
  return {
    category: 'Service', name, target,
    async run(c: CheckContext): Promise<HealthResult[]> {
      const started = performance.now();
      for (const host of p.hosts) {
        if (await tcpConnect(host, p.port, c.signal)) {
          return [healthCheck('Service', name, `${host}:${p.port}`, {
            status: 'Healthy', value: p.port, latencyMs: performance.now() - started, message: `${host}:${p.port} accepts connections.`,
          })];
        }
      }
      return [healthCheck('Service', name, target, {
        status: 'Unhealthy', value: p.port, latencyMs: performance.now() - started,
        message: `Nothing listens on ${target} (connection refused). Start the service that should listen there, or check ${p.key} in deployment.config.env.`,
      })];
    },
  };
}
