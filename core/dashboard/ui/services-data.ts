/// <reference lib="dom" />
/**
 * The services as pages show them: the list of services.get (GET /api/services, or the overview's part on a server
 * without that route), kept current by the socket's {type:'services'} messages.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { onLive } from './live';
import type { Row } from './ui';

interface Part { items?: Row[]; errors?: unknown[]; error?: string }

export async function loadServices(): Promise<Row[]> {
  try {
    return (await api<{ items: Row[] }>('GET', '/api/services')).items ?? [];
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    const o = await api<{ services: Part }>('GET', '/api/overview');
    if (o.services.error) throw new Error(o.services.error);
    return o.services.items ?? [];
  }
}

/** The live list: starts from initial (null until loaded) and follows the socket. */
export function useLiveServices(initial: Row[] | null): Row[] | null {
  const [items, setItems] = useState<Row[] | null>(initial);
  useEffect(() => setItems(initial), [initial]);
  useEffect(() => onLive((m) => { if (m.type === 'services' && Array.isArray(m.items)) setItems(m.items); }), []);
  return items;
}

/** CPU % and memory of a running service, as services.get with usage gives them (CpuPercent, MemoryBytes); '—' when not read. */
export function usage(service: Row): { cpu: string; memory: string } {
  return {
    cpu: typeof service.CpuPercent === 'number' ? `${service.CpuPercent}%` : '—',
    memory: typeof service.MemoryBytes === 'number' ? `${Math.round(service.MemoryBytes / 1048576)} MB` : '—',
  };
}
