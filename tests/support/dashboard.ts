/**
 * The real dashboard for browser tests: buildDashboard (core/dashboard/server.ts) with the engine's own methods
 * (core/methods.ts), listening on 127.0.0.1 at a free port in the test process, on a project given by the test (the
 * browser suite gives it a copy of the demo stack whose services run under PM2), with three users: admin, operator
 * and viewer.
 */
import type { FastifyInstance } from 'fastify';
import { buildDashboard, type DashboardOptions } from '../../core/dashboard/server';
import { createUser, type Role } from '../../core/dashboard/users';
import type { SessionContext } from '../../core/kernel/context';
import { resolveMethod } from '../../core/methods';
import { freePort } from '../harness/ports';

export const USERS: Readonly<Record<Role, string>> = { admin: 'Admin-pass-0001!', operator: 'Operator-pass-0002', viewer: 'Viewer-pass-0003' };
/** Cheaper hashes for test users (the server verifies with each hash's own stored cost). */
const CHEAP = { N: 2 ** 12, r: 8, p: 1 };

/** The engine's method definitions by name: the resolver the dashboard host itself passes (core/methods.ts). */
export { resolveMethod };

export interface LiveDashboard {
  app: FastifyInstance;
  port: number;
  /** http://127.0.0.1:<port> (no trailing slash). */
  origin: string;
  close: () => Promise<void>;
}

/**
 * Creates the users admin, operator and viewer (USERS) in the project and serves its dashboard on 127.0.0.1. The
 * methods run with `session` (the environment and folder a cmdlet's engine would have).
 */
export async function startDashboard(projectDir: string, session: SessionContext, more: Partial<DashboardOptions> = {}): Promise<LiveDashboard> {
  for (const role of Object.keys(USERS) as Role[]) await createUser(projectDir, { name: role, role, password: USERS[role] }, { cost: CHEAP });
  const app = await buildDashboard({ projectDir, session, resolve: resolveMethod, ...more });
  // A port freed a moment ago can be taken by another test file before this binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await app.listen({ host: '127.0.0.1', port });
      return { app, port, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}
