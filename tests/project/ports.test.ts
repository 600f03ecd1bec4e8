// New-WoosooProject's port allocator (core/project/ports.ts): a port something listens on is skipped, ports already
// configured are never chosen, the ports of one file are distinct, a privileged preference falls back to its next
// start, and the ports of a file being replaced or of installed NSSM services are read.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WoosooError } from '../../core/kernel/errors';
import { allocatePorts, configuredPorts, portFree, portsInServiceParameters } from '../../core/project/ports';

const listen = (host: string): Promise<Server> => new Promise((resolve) => {
  const s = createServer();
  s.listen({ port: 0, host }, () => resolve(s));
});
const portOf = (s: Server) => (s.address() as { port: number }).port;

describe('the port allocator', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('skips a port held by a listening socket, on loopback or on every address, and takes the next free one', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const held = await listen(host);
      servers.push(held);
      const port = portOf(held);
      expect(await portFree(port)).toBe(false);
      const { A } = await allocatePorts({ A: port });
      expect(A).toBeGreaterThan(port);
      expect(await portFree(A)).toBe(true);
    }
  });

  it('never chooses a configured port, and the ports of one file are distinct', async () => {
    const isFree = async () => true;
    const got = await allocatePorts({ HTTP_PORT: 8000, BACKEND_PORT: 8000, BACKEND_GREEN_PORT: 8000, REVERB_PORT: 8001, REVERB_GREEN_PORT: 8002 }, { taken: [8000, 8003], isFree });
    expect(got).toEqual({ HTTP_PORT: 8001, BACKEND_PORT: 8002, BACKEND_GREEN_PORT: 8004, REVERB_PORT: 8005, REVERB_GREEN_PORT: 8006 });
  });

  it('a port below 1024 is tried alone, then the next start counts up', async () => {
    expect(await allocatePorts({ HTTP_PORT: [80, 8088] }, { isFree: async () => true })).toEqual({ HTTP_PORT: 80 });
    expect(await allocatePorts({ HTTP_PORT: [80, 8088] }, { isFree: async (p) => p !== 80 && p !== 8088 })).toEqual({ HTTP_PORT: 8089 });
    const err = await allocatePorts({ HTTP_PORT: [80, 65535] }, { isFree: async () => false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WoosooError);
    expect(err).toMatchObject({ errorId: 'ProjectNoFreePort', message: 'No free port for HTTP_PORT from 80 or 65535 up.' });
  });

  it('reads the ports of a configuration being replaced, and of NSSM services in reg query output', () => {
    expect(configuredPorts('HTTP_PORT=8088\nBACKEND_PORT=8001 # mine\nREVERB_PORT=\nDB_PORT=3307\nAPP_NAME=8000\nBAD_PORT=99999\n')).toEqual([8088, 8001, 3307]);
    const reg = [
      'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\woosoo-backend\\Parameters',
      '    AppParameters    REG_EXPAND_SZ    artisan serve --host=127.0.0.1 --port=8001 --no-reload',
      '',
      'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\other\\Parameters',
      '    Description    REG_SZ    listens on --port=9999',
      '    AppParameters    REG_EXPAND_SZ    artisan reverb:start --host=0.0.0.0 --port=8081',
      'End of search: 3 match(es) found.',
    ].join('\r\n');
    expect(portsInServiceParameters(reg)).toEqual([8001, 8081]);
  });
});
