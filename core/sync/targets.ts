/**
 * What Sync-WoosooConfig renders, and with which variables. The built-in targets come from the configuration
 * (BACKEND_PATH, PWA_PATH); a project adds its own with SYNC_TARGETS. Nothing here names a machine path.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { ProjectConfig } from '../config';
import { liveConfig } from '../releases';
import { SYNC_TARGET_RE } from '../config/keys/sync';
import { WoosooError } from '../kernel/errors';

/** Where the rendered nginx configuration lives (nginx runs with the project folder as prefix, -c this). */
export const NGINX_CONF = join('configs', 'nginx.conf');

export type TargetKind = 'dotenv' | 'nginx' | 'file';

export interface SyncTarget {
  /** What -App selects: backend, pwa, nginx, or a SYNC_TARGETS name. */
  name: string;
  template: string;
  /** Absolute path of the file written. */
  path: string;
  kind: TargetKind;
  /** The folder that must exist for the target to apply (the app's checkout); undefined = always applies. */
  appDir?: string;
}

const isDotenvFile = (p: string) => /^\.env(\..+)?$|\.env$/i.test(basename(p));

export function syncTargets(loaded: ProjectConfig): SyncTarget[] {
  // Blue/green: the live release's .env files (or those of the view a deploy passes for its new release).
  const cfg = liveConfig(loaded);
  const backend = cfg.path('BACKEND_PATH');
  const pwa = cfg.path('PWA_PATH');
  const targets: SyncTarget[] = [
    { name: 'backend', template: 'laravel.env.hbs', path: join(backend, '.env'), kind: 'dotenv', appDir: backend },
    ...(cfg.flag('PWA_ENABLED') ? [{ name: 'pwa', template: 'pwa.env.hbs', path: join(pwa, '.env'), kind: 'dotenv' as const, appDir: pwa }] : []),
    { name: 'nginx', template: 'nginx.conf.hbs', path: join(cfg.projectDir, NGINX_CONF), kind: 'nginx' },
  ];
  for (const entry of cfg.str('SYNC_TARGETS').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = SYNC_TARGET_RE.exec(entry);
    if (!m) continue; // the validator reports it
    const [, name, template, rel] = m;
    const path = isAbsolute(rel) ? rel : join(cfg.projectDir, rel);
    const existing = targets.findIndex((t) => t.name.toLowerCase() === name.toLowerCase());
    const target: SyncTarget = { name, template, path, kind: isDotenvFile(path) ? 'dotenv' : 'file', appDir: dirname(path) };
    if (existing >= 0) targets[existing] = { ...target, kind: targets[existing].kind, appDir: targets[existing].appDir };
    else targets.push(target);
  }
  return targets;
}

/**
 * The targets to sync: those named (case-insensitive; an unknown name is an error listing the known ones), or all.
 * A target whose app folder does not exist is skipped with a warning — or is an error when it was named.
 */
export function selectTargets(cfg: ProjectConfig, apps: readonly string[] | undefined, warn: (m: string) => void): SyncTarget[] {
  const all = syncTargets(cfg);
  const named = apps && apps.length > 0;
  const chosen = named
    ? apps.map((a) => {
      const t = all.find((x) => x.name.toLowerCase() === a.toLowerCase());
      if (!t) {
        throw new WoosooError('SyncTargetNotFound', `"${a}" is not a configuration target of this project; the targets are ${all.map((x) => x.name).join(', ')}.`, {
          category: 'ObjectNotFound', target: a, fix: 'Use one of the names listed, or add the target to SYNC_TARGETS in deployment.config.env.',
        });
      }
      return t;
    })
    : all;
  return [...new Set(chosen)].filter((t) => {
    if (!t.appDir || existsSync(t.appDir)) return true;
    const message = `${t.name}: ${t.appDir} does not exist, so ${t.path} was not written.`;
    if (named) {
      throw new WoosooError('SyncAppMissing', message, {
        category: 'ObjectNotFound', target: t.appDir, fix: `Check out the app there, or correct its path in ${cfg.location.file}.`,
      });
    }
    warn(`${message} Check out the app, or correct its path in ${cfg.location.file}.`);
    return false;
  });
}

const slash = (p: string) => p.replace(/\\/g, '/');

/** What nginx answers at /.woosoo/release: "<colour> <release id>", "blue app-folders", or "in-place". */
export function releaseMarker(cfg: ProjectConfig): string {
  if (!cfg.slot) return cfg.get('DEPLOY_STRATEGY') === 'InPlace' ? 'in-place' : 'blue app-folders';
  return `${cfg.slot.colour} ${cfg.slot.releaseId ?? 'app-folders'}`;
}

/**
 * The variables of every template: each configuration key with its typed value (defaults applied), plus values
 * derived from them (documented in docs/configuration-sync.md).
 */
export function templateContext(loaded: ProjectConfig): Record<string, unknown> {
  // Blue/green: nginx.conf proxies to the live colour's ports and serves the live release's PWA.
  const cfg = liveConfig(loaded);
  const v = cfg.values;
  const https = cfg.flag('HTTPS_ENABLED');
  const scheme = https ? 'https' : 'http';
  const publicPort = https ? cfg.num('HTTPS_PORT') : cfg.num('HTTP_PORT');
  const defaultPort = https ? 443 : 80;
  const host = cfg.str('APP_IP');
  const appUrl = `${scheme}://${host}${publicPort === defaultPort ? '' : `:${publicPort}`}`;
  const env = cfg.str('ENVIRONMENT');
  const certsRel = cfg.str('CERTS_PATH') || 'certs';
  const certsDir = isAbsolute(certsRel) ? certsRel : join(cfg.projectDir, certsRel);
  return {
    ...v,
    APP_ENV: env === 'development' ? 'local' : env,
    APP_URL: appUrl,
    API_URL: `${appUrl}/api`,
    SCHEME: scheme,
    WS_SCHEME: https ? 'wss' : 'ws',
    PUBLIC_PORT: publicPort,
    PROJECT_DIR: slash(cfg.projectDir),
    BACKEND_DIR: slash(cfg.path('BACKEND_PATH')),
    PWA_DIR: slash(cfg.path('PWA_PATH')),
    PWA_ROOT: slash(join(cfg.path('PWA_PATH'), '.output', 'public')),
    RELEASE: releaseMarker(cfg),
    CERT_FILE: slash(join(certsDir, 'woosoo.pem')),
    CERT_KEY_FILE: slash(join(certsDir, 'woosoo-key.pem')),
  };
}
