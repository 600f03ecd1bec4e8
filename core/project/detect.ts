/**
 * New-WoosooProject's detection: what each app folder under the project is, with a confidence and the evidence:
 * Laravel (artisan + composer.json, see laravel.ts), Nuxt or another Node app (package.json, its scripts), Flutter
 * (pubspec.yaml), a plain static site (index.html).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArtisanRunContext } from './artisan';
import { isDir, laravelFacts, readJson, type LaravelFacts } from './laravel';

export type AppKindDetected = 'laravel' | 'nuxt' | 'node' | 'flutter' | 'static';

export interface DetectedApp {
  kind: AppKindDetected;
  dir: string;
  /** Relative to the project folder, with forward slashes (what the configuration writes). */
  rel: string;
  confidence: number;
  evidence: string[];
  laravel?: LaravelFacts;
  /** A Node app's package.json scripts, and whether it has a lock file (npm ci needs one). */
  node?: { scripts: string[]; lock: boolean };
}

export type { LaravelFacts } from './laravel';

const SKIP = new Set(['node_modules', 'vendor', '.git', 'releases', 'backups', 'logs', 'deployments', 'storage', '.output', 'build', 'dist', 'temp', 'configs', 'certs']);

/** What one folder is, or null when it is no app this knows. */
export async function detectApp(projectDir: string, dir: string, ctx: ArtisanRunContext): Promise<DetectedApp | null> {
  const has = (f: string) => existsSync(join(dir, f));
  const rel = relative(projectDir, dir).split('\\').join('/') || '.';
  if (has('artisan') && has('composer.json')) {
    const facts = await laravelFacts(dir, ctx);
    const evidence = ['artisan', 'composer.json', ...(has('bootstrap/app.php') ? ['bootstrap/app.php'] : []), ...facts.evidence];
    const confidence = facts.commands ? 0.99 : has('bootstrap/app.php') ? 0.95 : 0.8;
    return { kind: 'laravel', dir, rel, confidence, evidence, laravel: facts };
  }
  if (has('pubspec.yaml')) {
    const flutter = /\bflutter\b/.test(readFileSync(join(dir, 'pubspec.yaml'), 'utf8'));
    return { kind: 'flutter', dir, rel, confidence: flutter ? 0.95 : 0.6, evidence: ['pubspec.yaml', ...(flutter ? ['depends on flutter'] : [])] };
  }
  if (has('package.json')) {
    const pkg = readJson(join(dir, 'package.json')) ?? {};
    const deps = { ...(pkg.dependencies as object ?? {}), ...(pkg.devDependencies as object ?? {}) } as Record<string, string>;
    const scripts = Object.keys((pkg.scripts ?? {}) as object);
    const nuxt = 'nuxt' in deps || has('nuxt.config.ts') || has('nuxt.config.js');
    const lock = has('package-lock.json') || has('npm-shrinkwrap.json');
    return {
      kind: nuxt ? 'nuxt' : 'node', dir, rel, confidence: nuxt ? 0.95 : scripts.includes('build') ? 0.8 : 0.5, node: { scripts, lock },
      evidence: ['package.json', ...(nuxt ? ['nuxt'] : []), scripts.length ? `scripts: ${scripts.join(', ')}` : 'no scripts', ...(lock ? ['package-lock.json'] : [])],
    };
  }
  if (has('index.html')) return { kind: 'static', dir, rel, confidence: 0.6, evidence: ['index.html', 'no package.json: nothing to build'] };
  return null;
}

/** The apps in the given folders, or under the project folder (itself, its subfolders and apps/*). */
export async function detectApps(projectDir: string, ctx: ArtisanRunContext, folders?: string[]): Promise<DetectedApp[]> {
  const candidates = folders && folders.length > 0 ? folders : [
    projectDir,
    ...[projectDir, join(projectDir, 'apps')].filter(isDir).flatMap((d) => readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')).map((e) => join(d, e.name))),
  ];
  const seen = new Set<string>();
  const rank: Record<AppKindDetected, number> = { laravel: 0, nuxt: 1, node: 2, static: 3, flutter: 4 };
  const found: DetectedApp[] = [];
  for (const d of candidates.filter((c) => !seen.has(c) && seen.add(c))) {
    const app = await detectApp(projectDir, d, ctx);
    if (app) found.push(app);
  }
  return found.sort((a, b) => rank[a.kind] - rank[b.kind] || b.confidence - a.confidence || a.rel.localeCompare(b.rel));
}
