/**
 * A method of the engine: its name, zod schemas for params and result (the boundary), and a thin handler.
 * The same schemas generate docs/protocol.md's method table.
 */
import { z } from 'zod';
import type { RequestContext } from './context';
import { RpcCode, WoosooError, type ItemError } from './errors';

export interface MethodResult<T = unknown> {
  /** Typed objects for the pipeline; each carries "$type" (becomes PSTypeName Woosoo.<$type>). */
  items?: T[];
  /** Per-item failures: written with WriteError, the other items still flow. */
  errors?: ItemError[];
  /** A plain value (booleans, versions) for methods that return no typed objects. */
  value?: unknown;
  /** Only for an explicit -Reveal: the result is not passed through the secret mask. */
  unmasked?: boolean;
}

export interface MethodDef<P extends z.ZodType = z.ZodType, I extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  params: P;
  /** Schema of one item in `items`; validated before the result leaves the engine. */
  item?: I;
  handler: (params: z.output<P>, ctx: RequestContext) => Promise<MethodResult<z.input<I>>>;
}

/**
 * A domain's methods declared by name and loaded on their first call (core/methods.ts): the engine starts
 * without running any domain's code or building its schemas. `load` must return exactly `names`.
 */
export interface LazyMethods {
  domain: string;
  names: readonly string[];
  load: () => Promise<MethodDef[]>;
}

export function defineMethod<P extends z.ZodType, I extends z.ZodType>(def: MethodDef<P, I>): MethodDef {
  return def as unknown as MethodDef;
}

/** The item envelope for a typed object: "$type" first, then the properties in order. */
export function typed<T extends Record<string, unknown>>(type: string, props: T): T & { $type: string } {
  return { $type: type, ...props };
}

/** zod helper for a typed object schema: "$type" literal plus the properties. */
export function typedSchema<S extends z.ZodRawShape>(type: string, shape: S) {
  return z.object({ $type: z.literal(type), ...shape });
}

/**
 * A duration on the wire: ISO-8601 "PT<seconds>S" with milliseconds ("PT12.345S", never negative). The module's one
 * converter (ConvertTo-WoosooValue) turns every string of this form into a [timespan], wherever it is: no type names.
 */
export function duration(ms: number): string {
  return `PT${(Number.isFinite(ms) ? Math.max(0, Math.round(ms)) / 1000 : 0).toFixed(3)}S`;
}

export const DURATION_RE = /^PT\d+\.\d{3}S$/;
export const durationSchema = z.string().regex(DURATION_RE, 'an ISO-8601 duration such as PT12.345S');

/** A path param: resolved to an absolute path by the module before it is sent. */
export const projectPathParam = z.string().min(1).optional().describe('Project folder or its deployment.config.env');

/** The environment overlay to read (core/config/environments.ts). */
export const environmentParam = z.string().min(1).optional()
  .describe('Environment whose overlay (deployment.config.<environment>.env) applies; default $env:WOOSOO_ENVIRONMENT, else ENVIRONMENT of deployment.config.env');

/** The params of every method that works on a project: which one, and in which environment. */
export const projectParams = { path: projectPathParam, environment: environmentParam };

/** zod issues → one readable sentence per problem ("params.path: expected string, received number"). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = 'params'): string[] {
  return issues.map((i) => {
    const where = [root, ...i.path.map(String)].join('.');
    return `${where}: ${i.message}`;
  });
}

/**
 * Checks items against the method's item schema, streamed ones (ctx.emit) as well as the result's: an item the wire
 * does not describe is a bug of the engine, reported as one instead of reaching a pipeline half right.
 */
export function checkItems(def: Pick<MethodDef, 'name' | 'item'>, items: readonly unknown[]): void {
  if (!def.item) return;
  for (const item of items) {
    const r = def.item.safeParse(item);
    if (!r.success) {
      throw new WoosooError('InvalidResult', `The engine produced an invalid ${def.name} result: ${describeIssues(r.error.issues, 'item').join('; ')}`, {
        category: 'InvalidResult',
        code: RpcCode.InternalError,
        fix: 'This is a bug in Woosoo; please report it with the command you ran.',
      });
    }
  }
}
