/**
 * The dashboard's users, in the project's .woosoo/users.json: dashboard.userNew (New-WoosooDashboardUser) adds one,
 * dashboard.userList (Get-WoosooDashboardUser) lists them, dashboard.userRemove (Remove-WoosooDashboardUser) removes
 * one. The password arrives once, is hashed (core/dashboard/users.ts) and never returned, logged or audited (the audit
 * trail masks the Password parameter; the module sends it from a SecureString).
 * Also the dashboard as a process (core/dashboard/lifecycle.ts): dashboard.start, dashboard.stop, dashboard.get.
 */
import { z } from 'zod';
import { findProject } from '../config/load';
import { defineMethod, projectParams, typed, typedSchema } from '../kernel/method';
import { wildcard } from '../util/wildcard';
import { loadProject } from '../config';
import { listenParams, type HostState } from './hostplan';
import { DASHBOARD_STATES, dashboardStatus, startDashboard, stopDashboard, type DashboardState } from './lifecycle';
import { ROLES, checkNewUser, createUser, findUser, listUsers, removeUser, usersPath, type PublicUser } from './users';

const userItem = typedSchema('DashboardUser', {
  Name: z.string(), Role: z.enum(ROLES), Created: z.string(), Updated: z.string(), Replaced: z.boolean(), UsersFile: z.string(),
});

export function userObject(u: PublicUser, file: string) {
  return typed('DashboardUser', { Name: u.name, Role: u.role, Created: u.created, Updated: u.updated, Replaced: u.replaced, UsersFile: file });
}

export const userNewParams = z.object({
  ...projectParams,
  name: z.string().min(1).max(64).describe('User name: letters, digits, dots, dashes, underscores'),
  role: z.enum(ROLES).default('viewer').describe('viewer (read), operator (services, deploy), admin (configuration, users, restore)'),
  password: z.string().min(1).max(1024).describe('The password (at least 12 characters); stored only as a scrypt hash'),
  force: z.boolean().default(false).describe('Replace the password and role of an existing user'),
  whatIf: z.boolean().default(false).describe('Check and return the user that would be written, writing nothing'),
});

export const dashboardUserNew = defineMethod({
  name: 'dashboard.userNew',
  summary: 'Adds a dashboard user (or replaces one with force) to .woosoo/users.json: password hashed with scrypt, file written atomically with mode 0600.',
  params: userNewParams,
  item: userItem,
  async handler(p, ctx) {
    const projectDir = findProject(p.path, ctx).projectDir;
    const file = usersPath(projectDir);
    if (p.whatIf) {
      checkNewUser(p);
      const now = new Date().toISOString();
      return { items: [userObject({ name: p.name, role: p.role, created: now, updated: now, replaced: false }, file)] };
    }
    return { items: [userObject(await createUser(projectDir, p), file)] };
  },
});

export const dashboardUserList = defineMethod({
  name: 'dashboard.userList',
  summary: 'Lists the dashboard users of .woosoo/users.json (name, role, times; never a hash), optionally by name (wildcards * and ?).',
  params: z.object({
    ...projectParams,
    names: z.array(z.string().min(1)).optional().describe('User names; wildcards * and ?; none = every user'),
  }),
  item: userItem,
  async handler(p, ctx) {
    const projectDir = findProject(p.path, ctx).projectDir;
    const file = usersPath(projectDir);
    const users = listUsers(projectDir).filter((u) => !p.names || p.names.some((n) => wildcard(n).test(u.name)));
    return { items: users.map((u) => userObject(u, file)) };
  },
});

export const dashboardUserRemove = defineMethod({
  name: 'dashboard.userRemove',
  summary: 'Removes a dashboard user from .woosoo/users.json (rewritten atomically); a running dashboard ends their sessions. whatIf returns the user, removing nothing.',
  params: z.object({
    ...projectParams,
    name: z.string().min(1).max(64).describe('The user to remove (compared ignoring case)'),
    whatIf: z.boolean().default(false).describe('Return the user that would be removed, removing nothing'),
  }),
  item: userItem,
  async handler(p, ctx) {
    const projectDir = findProject(p.path, ctx).projectDir;
    const file = usersPath(projectDir);
    return { items: [userObject(p.whatIf ? findUser(projectDir, p.name) : removeUser(projectDir, p.name), file)] };
  },
});

const infoItem = typedSchema('DashboardInfo', {
  Url: z.string().nullable(), Pid: z.number().nullable(), State: z.enum(DASHBOARD_STATES), Port: z.number().nullable(),
  BindAddress: z.string().nullable(), Https: z.boolean(), Environment: z.string().nullable(), StartedAt: z.string().nullable(), ProjectPath: z.string(),
});

function infoObject(projectDir: string, state: DashboardState, s: HostState | null) {
  return typed('DashboardInfo', {
    Url: s?.url ?? null, Pid: s?.pid ?? null, State: state, Port: s?.port ?? null, BindAddress: s?.bindAddress ?? null,
    Https: s?.https ?? false, Environment: s?.environment ?? null, StartedAt: s?.startedAt ?? null, ProjectPath: projectDir,
  });
}

export const dashboardStart = defineMethod({
  name: 'dashboard.start',
  summary: 'Starts the web dashboard of the project as a background process (the engine in --dashboard mode) and returns it once it listens.',
  params: z.object({
    ...projectParams,
    ...listenParams,
  }),
  item: infoItem,
  async handler(p, ctx) {
    const cfg = loadProject(p, ctx);
    const o = { projectDir: cfg.projectDir, environment: p.environment ?? cfg.environment, port: p.port, bindAddress: p.bindAddress, allowRemote: p.allowRemote };
    return { items: [infoObject(cfg.projectDir, 'Running', await startDashboard(o, cfg, ctx))] };
  },
});

export const dashboardStop = defineMethod({
  name: 'dashboard.stop',
  summary: 'Stops the project\'s web dashboard (the process its state file .woosoo/dashboard.json names) and removes that file.',
  params: z.object(projectParams),
  item: infoItem,
  async handler(p, ctx) {
    const projectDir = loadProject(p, ctx).projectDir;
    return { items: [infoObject(projectDir, 'Stopped', await stopDashboard(projectDir, ctx))] };
  },
});

export const dashboardGet = defineMethod({
  name: 'dashboard.get',
  summary: 'The project\'s web dashboard: Running (with its URL and PID), Stopped, or Stale (its state file names a process that is gone).',
  params: z.object(projectParams),
  item: infoItem,
  async handler(p, ctx) {
    const projectDir = loadProject(p, ctx).projectDir;
    const now = dashboardStatus(projectDir);
    return { items: [infoObject(projectDir, now.state, now.host)] };
  },
});

export const dashboardMethods = [dashboardStart, dashboardStop, dashboardGet, dashboardUserNew, dashboardUserList, dashboardUserRemove];
