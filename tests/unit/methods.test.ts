/**
 * The method registry loads each domain on its first call (core/methods.ts). These tests keep the names
 * declared there equal to what the domains define, and check the server's side of lazy loading in-process
 * (core/rpc/server.ts) with a small test domain whose loads are counted.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DOMAINS, allMethods, eagerMethods } from '../../core/methods';
import { defineMethod, type LazyMethods, type MethodDef } from '../../core/kernel/method';
import { Engine } from '../../core/rpc/server';

const CORE = join(__dirname, '..', '..', 'core');

function isMethodDef(v: unknown): v is MethodDef {
  const m = v as MethodDef;
  return typeof m === 'object' && m !== null && typeof m.name === 'string' && typeof m.handler === 'function'
    && typeof (m.params as z.ZodType | undefined)?.safeParse === 'function';
}

/** Every method a domain's methods.ts exports, alone or in an exported array. */
function definedIn(mod: Record<string, unknown>): string[] {
  return Object.values(mod).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isMethodDef).map((m) => m.name);
}

describe('core/methods.ts', () => {
  it('lists every domain folder that has a methods.ts, once', () => {
    // engine/ is the one eager folder (engine.ping, engine.info): eagerMethods() defines it at start, not DOMAINS
    const folders = readdirSync(CORE, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'engine' && existsSync(join(CORE, d.name, 'methods.ts'))).map((d) => d.name);
    expect(DOMAINS.map((d) => d.domain).sort()).toEqual(folders.sort());
  });

  it.each(DOMAINS.map((d) => [d.domain, d] as const))('declares exactly the methods %s defines', async (domain, d) => {
    const loaded = await d.load();
    expect(loaded.every(isMethodDef)).toBe(true);
    expect(loaded.map((m) => m.name).sort()).toEqual([...d.names].sort());
    // and nothing the domain's module exports is left out of what load() returns
    const mod = (await import(join(CORE, domain, 'methods.ts'))) as Record<string, unknown>;
    expect([...new Set(definedIn(mod))].sort()).toEqual([...d.names].sort());
  });

  it('gives every method one name across the engine, and allMethods() has them all with their schemas', async () => {
    const declared = [...eagerMethods().map((m) => m.name), ...DOMAINS.flatMap((d) => d.names)];
    expect(new Set(declared).size).toBe(declared.length);
    const all = await allMethods();
    expect(all.map((m) => m.name).sort()).toEqual([...declared].sort());
    expect(all.every(isMethodDef)).toBe(true);
  });
});

/** A test domain for the server: its loads are counted, and it may "forget" a method it declares. */
function testDomain(opts: { forget?: string } = {}) {
  let loads = 0;
  const echo = defineMethod({
    name: 'lazy.echo', summary: 'test', params: z.object({ text: z.string().min(1), times: z.number().int().default(1) }),
    async handler(p) { return { value: p.text.repeat(p.times) }; },
  });
  const other = defineMethod({ name: 'lazy.other', summary: 'test', params: z.object({}), async handler() { return { value: 'other' }; } });
  const domain: LazyMethods = {
    domain: 'lazy', names: ['lazy.echo', 'lazy.other'],
    load: async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20)); // a load that takes a while, so first calls overlap
      return [echo, other].filter((m) => m.name !== opts.forget);
    },
  };
  return { domain, loads: () => loads };
}

function serve(domains: LazyMethods[]) {
  const out: Record<string, any>[] = [];
  const engine = new Engine((line) => out.push(JSON.parse(line)), eagerMethods(), domains);
  let id = 0;
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const n = ++id;
    await engine.receiveLine(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
    return out.find((m) => m.id === n)!;
  };
  return { engine, call };
}

describe('the engine with a lazily loaded domain', () => {
  it('lists its methods at initialize without loading it', async () => {
    const t = testDomain();
    const { call } = serve([t.domain]);
    const init = await call('initialize', { protocolVersion: '1.0' });
    expect(init.result.methods).toEqual(expect.arrayContaining(['lazy.echo', 'lazy.other', 'engine.ping']));
    expect((await call('engine.ping')).result.value).toBe('pong');
    expect(t.loads()).toBe(0);
  });

  it('loads it once, on the first call, even when first calls overlap', async () => {
    const t = testDomain();
    const { call } = serve([t.domain]);
    await call('initialize', { protocolVersion: '1.0' });
    const [a, b, c] = await Promise.all([call('lazy.echo', { text: 'ab', times: 2 }), call('lazy.other'), call('lazy.echo', { text: 'x' })]);
    expect([a.result.value, b.result.value, c.result.value]).toEqual(['abab', 'other', 'x']);
    expect((await call('lazy.echo', { text: 'y' })).result.value).toBe('y');
    expect(t.loads()).toBe(1);
  });

  it('validates params with the schema it loads: every problem, -32602', async () => {
    const t = testDomain();
    const { call } = serve([t.domain]);
    await call('initialize', { protocolVersion: '1.0' });
    const r = await call('lazy.echo', { text: '', times: 1.5 });
    expect(r.error).toMatchObject({ code: -32602, data: { errorId: 'InvalidParams', category: 'InvalidArgument' } });
    expect(r.error.message).toContain('params.text');
    expect(r.error.message).toContain('params.times');
  });

  it('refuses calls before initialize without loading the domain', async () => {
    const t = testDomain();
    const { call } = serve([t.domain]);
    expect((await call('lazy.echo', { text: 'x' })).error).toMatchObject({ code: -32002, data: { errorId: 'NotInitialized' } });
    expect(t.loads()).toBe(0);
  });

  it('answers a declared method the domain does not define with a clear internal error and keeps serving', async () => {
    const t = testDomain({ forget: 'lazy.other' });
    const { call } = serve([t.domain]);
    await call('initialize', { protocolVersion: '1.0' });
    const r = await call('lazy.other');
    expect(r.error).toMatchObject({ code: -32603, data: { errorId: 'MethodNotLoaded', category: 'NotImplemented' } });
    expect(r.error.message).toContain('lazy.other');
    expect(r.error.data.recommendedAction).toMatch(/bug in Woosoo/);
    expect((await call('lazy.echo', { text: 'still' })).result.value).toBe('still');
  });

  it('refuses a method name declared twice', () => {
    const t = testDomain();
    expect(() => new Engine(() => {}, eagerMethods(), [t.domain, { ...t.domain, domain: 'again' }])).toThrow(/lazy.echo registered twice/);
  });
});

describe('items on the wire', () => {
  const item = z.object({ $type: z.literal('Woosoo.Thing'), Name: z.string(), Count: z.number().int() });
  const emitting = (bad: 'streamed' | 'result' | 'none') => defineMethod({
    name: 'things.get', summary: 'test', params: z.object({}), item,
    async handler(_p, ctx) {
      ctx.emit([{ $type: 'Woosoo.Thing', Name: 'a', Count: bad === 'streamed' ? 'three' : 3 }]);
      return { items: [{ $type: 'Woosoo.Thing' as const, Name: 'b', Count: bad === 'result' ? 1.5 : 1 }] };
    },
  });
  const run = async (bad: 'streamed' | 'result' | 'none') => {
    const out: Record<string, any>[] = [];
    const engine = new Engine((line) => out.push(JSON.parse(line)), [...eagerMethods(), emitting(bad)], []);
    await engine.receiveLine(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '1.0' } }));
    await engine.receiveLine(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'things.get', params: {} }));
    return { reply: out.find((m) => m.id === 2)!, streamed: out.filter((m) => m.method === '$/items') };
  };

  it('a streamed item (ctx.emit) is checked against the item schema like the result\'s: a bad one fails the call and never goes out', async () => {
    const ok = await run('none');
    expect(ok.reply.result.items).toHaveLength(1);
    expect(ok.streamed).toHaveLength(1);
    for (const bad of ['streamed', 'result'] as const) {
      const r = await run(bad);
      expect(r.reply.error, bad).toMatchObject({ data: { errorId: 'InvalidResult' } });
      expect(r.reply.error.message).toContain('item.Count');
      if (bad === 'streamed') expect(r.streamed).toEqual([]);
    }
  });
});
