/**
 * Blue/green deploys (DEPLOY_STRATEGY=BlueGreen): which colour and release is live, and the configuration views of
 * a colour. A view is the project's configuration with the colour's ports (blue: BACKEND_PORT and REVERB_PORT; green:
 * BACKEND_GREEN_PORT and REVERB_GREEN_PORT) and the release's app folders (releases/<id>/backend and /pwa; no
 * release: the app folders themselves) in place of BACKEND_PORT, REVERB_PORT, BACKEND_PATH and PWA_PATH. The
 * services, health checks and rendered configs of the live colour all come from its view (liveConfig), so a
 * Get-WoosooService or Sync-WoosooConfig after a switch sees what serves, not what the file says for blue.
 *
 * The live state is DEPLOY_PATH/live.json, written atomically at the cutover. No file (or InPlace) = blue, the app
 * folders themselves: a project that never had a blue/green deploy keeps its services and folders.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config';
import type { SlotInfo } from '../config/load';

export type Colour = SlotInfo['colour'];

export interface LiveState {
  format: 1;
  colour: Colour;
  /** The live release (its deployment id); null = the app folders themselves. */
  releaseId: string | null;
  /** The deployment that made it live (or the Undo-WoosooDeploy that switched back to it). */
  deployId: string | null;
  since: string;
}

export function livePath(cfg: ProjectConfig): string {
  return join(cfg.path('DEPLOY_PATH'), 'live.json');
}

export function blueGreen(cfg: ProjectConfig): boolean {
  return cfg.get('DEPLOY_STRATEGY') !== 'InPlace';
}

export function otherColour(c: Colour): Colour {
  return c === 'blue' ? 'green' : 'blue';
}

/** The live state, or blue on the app folders when there is none (or it cannot be read: a deploy rewrites it). */
export function readLive(cfg: ProjectConfig): LiveState {
  const fallback: LiveState = { format: 1, colour: 'blue', releaseId: null, deployId: null, since: '' };
  if (!blueGreen(cfg)) return fallback;
  try {
    const s = JSON.parse(readFileSync(livePath(cfg), 'utf8')) as Partial<LiveState>;
    if ((s.colour === 'blue' || s.colour === 'green') && (s.releaseId === null || typeof s.releaseId === 'string')) {
      return { ...fallback, ...s } as LiveState;
    }
  } catch {
    /* no live.json yet */
  }
  return fallback;
}

/** Writes the live state atomically (temp file + rename): a reader sees the old or the new colour, never neither. */
export function writeLive(cfg: ProjectConfig, state: Omit<LiveState, 'format' | 'since'>): void {
  const file = livePath(cfg);
  mkdirSync(cfg.path('DEPLOY_PATH'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ format: 1, ...state, since: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, file);
}

export function releasesRoot(cfg: ProjectConfig): string {
  return cfg.path('DEPLOY_RELEASES_PATH');
}

/** The app folders of a release (or, for null, of the project as configured). */
export function releaseDirs(cfg: ProjectConfig, releaseId: string | null): { root: string | null; backend: string; pwa: string } {
  if (releaseId === null) return { root: null, backend: cfg.path('BACKEND_PATH'), pwa: cfg.path('PWA_PATH') };
  const root = join(releasesRoot(cfg), releaseId);
  return { root, backend: join(root, 'backend'), pwa: join(root, 'pwa') };
}

/** The configuration as the given colour and release see it. */
export function slotConfig(cfg: ProjectConfig, slot: SlotInfo): ProjectConfig {
  const base = cfg.origin;
  const dirs = releaseDirs(base, slot.releaseId);
  const green = slot.colour === 'green';
  return base.withSlot(slot, {
    BACKEND_PORT: green ? base.num('BACKEND_GREEN_PORT') : base.num('BACKEND_PORT'),
    REVERB_PORT: green ? base.num('REVERB_GREEN_PORT') : base.num('REVERB_PORT'),
    BACKEND_PATH: dirs.backend,
    PWA_PATH: dirs.pwa,
  });
}

/**
 * The live colour's view (what serves now). A view passes through unchanged, so a deploy can hand the new release's
 * view to the same code; InPlace projects and projects without a switch yet are the configuration as loaded.
 */
export function liveConfig(cfg: ProjectConfig): ProjectConfig {
  if (cfg.slot || !blueGreen(cfg)) return cfg;
  const live = readLive(cfg);
  if (live.colour === 'blue' && live.releaseId === null) return cfg;
  return slotConfig(cfg, { colour: live.colour, releaseId: live.releaseId });
}
