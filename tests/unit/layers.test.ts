/**
 * The engine's layers (docs/architecture.md), checked over every relative import in core/:
 * - only main.ts reaches the transport (core/rpc/);
 * - a domain reaches another domain only through its face, core/<domain>/index.ts;
 * - no two top-level folders of core/ import each other, directly or around a loop;
 * - a folder imports only folders of a lower layer (LAYERS), or a domain another domain.
 * A failure names the file and the import that breaks the rule.
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../../core/methods';

const CORE = resolve(__dirname, '../../core');
/** Files besides main.ts that may import core/rpc/ (none today). */
const RPC_IMPORTERS = new Set(['main.ts']);
/** The domains (config has methods too, but it is the layer below them and is imported by file). */
const domains = new Set([...DOMAINS.map((d) => d.domain).filter((d) => d !== 'config'),
  // Domains without RPC methods of their own: releases (blue/green colours and release folders, used by deploy,
  // services, health and sync).
  'releases']);
/** The layers, lowest first: a folder may import only folders with a lower number (or, a domain, other domains). */
const LAYERS: Record<string, number> = {
  util: 0, kernel: 1, process: 2, config: 3, ...Object.fromEntries([...domains, 'engine'].map((d) => [d, 4])), rpc: 5, '.': 6,
};

interface Edge {
  /** The importing file, relative to core/ with '/' separators. */
  file: string;
  /** The import as written. */
  spec: string;
  /** The imported file, relative to core/. */
  target: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

const rel = (p: string) => relative(CORE, p).split(sep).join('/');
/** The top-level folder of core/ a file is in; '.' for main.ts, methods.ts and docs.ts. */
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

function imports(): Edge[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;
  return tsFiles(CORE).flatMap((abs) => {
    const text = readFileSync(abs, 'utf8');
    return [...text.matchAll(re)].map((m) => {
      const base = resolve(dirname(abs), m[1]);
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
      if (!target) throw new Error(`${rel(abs)}: import '${m[1]}' resolves to no file`);
      return { file: rel(abs), spec: m[1], target: rel(target) };
    });
  });
}

const show = (e: Edge) => `${e.file} imports '${e.spec}'`;
const edges = imports();

describe('the engine layers (core/)', () => {
  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.file === 'main.ts' && e.target === 'rpc/server.ts')).toBe(true);
  });

  it('only main.ts imports the transport (core/rpc/)', () => {
    const bad = edges.filter((e) => folderOf(e.target) === 'rpc' && folderOf(e.file) !== 'rpc' && !RPC_IMPORTERS.has(e.file));
    expect(bad.map(show)).toEqual([]);
  });

  it("a domain imports another domain only through that domain's index.ts", () => {
    const bad = edges.filter((e) => {
      const from = folderOf(e.file);
      const to = folderOf(e.target);
      return domains.has(from) && domains.has(to) && from !== to && e.target !== `${to}/index.ts`;
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('imports only downwards through the layers (util, kernel, process, config, domains, rpc, main)', () => {
    const bad = edges.filter((e) => {
      const [from, to] = [folderOf(e.file), folderOf(e.target)];
      if (from === to || (domains.has(from) && domains.has(to))) return false;
      return !(from in LAYERS) || !(to in LAYERS) || LAYERS[from] <= LAYERS[to];
    });
    expect(bad.map((e) => `${show(e)} (layer ${LAYERS[folderOf(e.file)] ?? '? (add the folder to LAYERS)'} -> ${LAYERS[folderOf(e.target)] ?? '?'})`)).toEqual([]);
  });

  it('has no cycle between the top-level folders of core/', () => {
    const graph = new Map<string, Map<string, Edge>>();
    for (const e of edges) {
      const [from, to] = [folderOf(e.file), folderOf(e.target)];
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, e);
    }
    const cycles: string[] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (node: string) => {
      if (done.has(node)) return;
      const at = path.indexOf(node);
      if (at >= 0) {
        const loop = [...path.slice(at), node];
        cycles.push(loop.slice(1).map((to, i) => `${loop[i]} -> ${to} (${show(graph.get(loop[i])!.get(to)!)})`).join('; '));
        return;
      }
      path.push(node);
      for (const next of graph.get(node)?.keys() ?? []) visit(next);
      path.pop();
      done.add(node);
    };
    for (const node of [...graph.keys()].sort()) visit(node);
    expect(cycles).toEqual([]);
  });
});

describe('test seams', () => {
  it('are read only in core/kernel/testseams.ts: no production path names a test variable itself', () => {
    const seam = /\bWOOSOO_(ENGINE_TEST_METHODS|TEST_[A-Z_]+|NSSM_LAUNCHER)\b/;
    const offenders: string[] = [];
    for (const file of tsFiles(CORE)) {
      const rel = relative(CORE, file).split(sep).join('/');
      if (rel === 'kernel/testseams.ts') continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return; // comments may name them
        // Strings in messages may name them (an error's fix says "unset WOOSOO_NSSM_LAUNCHER"); reading one may not.
        if (seam.test(code) && /(process\.env|env)\s*(\.|\[)\s*['"]?WOOSOO_/.test(code)) offenders.push(`${rel}:${i + 1}: ${code}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe('the domains and the wire', () => {
  /** Every line of core/ outside the given files that matches `re`, as "file:line: code" (comments skipped). */
  const linesMatching = (re: RegExp, allowed: (rel: string) => boolean): string[] => {
    const found: string[] = [];
    for (const file of tsFiles(CORE)) {
      const r = rel(file);
      if (allowed(r)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
        if (re.test(code)) found.push(`${r}:${i + 1}: ${code}`);
      });
    }
    return found;
  };

  it("build the wire's typed objects only in a methods.ts: the domains return their own types", () => {
    expect(linesMatching(/\btyped\(\s*'/, (r) => r.endsWith('/methods.ts') || r.startsWith('kernel/'))).toEqual([]);
  });

  it('register secrets only at the request boundary (the loaded configuration, RequestContext), never in a domain', () => {
    // A domain that finds a secret (the sync, in an app's .env) hands it to ctx.registerSecrets.
    expect(linesMatching(/(?<!ctx\.)\bregisterSecrets?\(/, (r) => r === 'util/redact.ts' || r === 'kernel/context.ts' || r === 'config/index.ts')).toEqual([]);
  });
});
