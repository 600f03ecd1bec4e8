// Real servers for the health tests: an HTTP server answering like the backend's /api/health, a WebSocket server
// (the `ws` package) standing in for Reverb, a server that accepts and never answers, and a project folder.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { freePort } from '../harness/ports';

export interface Running {
  port: number;
  requests: string[];
  close(): Promise<void>;
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

/** An HTTP server answering every GET with `status` and `body` (JSON when an object). */
export async function startHttp(status: number, body: unknown, delayMs = 0): Promise<Running> {
  const requests: string[] = [];
  const server = createServer((req, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    setTimeout(() => {
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(text);
    }, delayMs);
  });
  const port = await listen(server);
  return {
    port, requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A real WebSocket server (ws) on 127.0.0.1; records the request paths of the connections it accepted. */
export async function startWebSocket(): Promise<Running> {
  const requests: string[] = [];
  const http = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    requests.push(req.url ?? '');
    ws.on('error', () => {});
  });
  const port = await listen(http);
  return {
    port, requests,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}

/** A TCP server that accepts connections and never says anything (for timeouts). */
export async function startSilent(): Promise<Running> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  const port = await listen(server);
  return {
    port, requests: [],
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

export interface Project {
  dir: string;
  write(values: Record<string, string | number>): void;
  cleanup(): void;
}

export const BASE_CONFIG: Record<string, string | number> = {
  ENVIRONMENT: 'production',
  APP_IP: '127.0.0.1',
  DB_HOST: '127.0.0.1',
  DB_DATABASE: 'woosoo',
  DB_USERNAME: 'woosoo',
  DB_PASSWORD: 'health-Test-pw-42',
  REVERB_APP_KEY: 'reverb-key-secret-1234',
  REVERB_APP_SECRET: 'reverb-secret-5678',
  HEALTH_TIMEOUT_SECONDS: 2,
  // No service manager here unless a test asks for PM2: the Services check is Unknown, quickly, and starts no daemon.
  SERVICE_MANAGER: 'nssm',
  NSSM_PATH: 'no-such-folder/nssm.exe',
};

/** A project folder with a deployment.config.env made of BASE_CONFIG and the given values. */
export function makeProject(prefix = 'wshealth-'): Project {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(values) {
      const all = { ...BASE_CONFIG, ...values };
      const text = Object.entries(all).map(([k, v]) => `${k}='${String(v)}'`).join('\n');
      writeFileSync(join(dir, 'deployment.config.env'), `${text}\n`);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Stack {
  project: Project;
  nginx: Running;
  reverb: Running;
  close(): Promise<void>;
}

/** nginx (an HTTP server answering 200 {db:true}) and Reverb (ws) up; the backend and database ports closed. */
export async function startPartialStack(extra: Record<string, string | number> = {}): Promise<Stack> {
  const nginx = await startHttp(200, { status: 'ok', db: true });
  const reverb = await startWebSocket();
  const project = makeProject();
  project.write({ HTTP_PORT: nginx.port, BACKEND_PORT: await freePort(), REVERB_PORT: reverb.port, DB_PORT: await freePort(), ...extra });
  return {
    project, nginx, reverb,
    async close() {
      await nginx.close();
      await reverb.close();
      project.cleanup();
    },
  };
}
