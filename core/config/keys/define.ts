/**
 * How a configuration key is declared: a zod type that turns the dotenv string into a typed value, plus the
 * metadata the docs, the masking and the validator need. Every key of deployment.config.env is declared once,
 * in the files of this folder, and docs/configuration.md is generated from these declarations.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';

export interface KeyMeta {
  /** Section of docs/configuration.md and of Get-WoosooConfig's view. */
  group: string;
  help: string;
  /** Default as it would be written in the file; absent = no default. */
  default?: string;
  required?: boolean;
  secret?: boolean;
  example?: string;
}

export interface KeyDef<T = unknown> extends KeyMeta {
  name: string;
  /** Human name of the type, for docs and fixes ("port", "whole number", "true/false"). */
  kind: string;
  /** The dotenv string to the typed value: ProjectConfig.get() returns this type for the key. */
  schema: z.ZodType<T, string>;
}

/** A capability's keys; declared with `satisfies KeyTable` so that their names stay literal types (keys/index.ts). */
export type KeyTable = Record<string, Omit<KeyDef, 'name'>>;

export type Kind<T = unknown> = { kind: string; schema: z.ZodType<T, string> };

/** One schema per kind and arguments: zod schemas are immutable, so keys of the same kind share theirs. */
const shared = new Map<string, Kind>();
function once<T>(id: string, make: () => Kind<T>): Kind<T> {
  let k = shared.get(id) as Kind<T> | undefined;
  if (!k) shared.set(id, (k = make()));
  return k;
}

export const t = {
  string: (): Kind<string> => once('string', () => ({ kind: 'text', schema: z.string() })),
  nonEmpty: (): Kind<string> => once('nonEmpty', () => ({ kind: 'text', schema: z.string().min(1, 'must not be empty') })),
  port: (): Kind<number> => once('port', () => ({
    kind: 'port',
    schema: z.string().regex(/^\d+$/, 'must be a port number (a whole number)').transform(Number)
      .pipe(z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535')),
  })),
  int: (min: number, max: number): Kind<number> => once(`int ${min} ${max}`, () => ({
    kind: `whole number ${min}–${max}`,
    schema: z.string().regex(/^-?\d+$/, 'must be a whole number').transform(Number)
      .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  })),
  bool: (): Kind<boolean> => once('bool', () => ({
    kind: 'true/false',
    schema: z.string().transform((s, ctx) => {
      const v = s.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off', ''].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    }),
  })),
  oneOf: <T extends string>(values: readonly [T, ...T[]]): Kind<T> => ({
    kind: values.join(' | '),
    schema: z.string().transform((s, ctx) => {
      const v = values.find((x) => x.toLowerCase() === s.trim().toLowerCase());
      if (v === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return v;
    }),
  }),
  ipv4: (): Kind<string> => ({ kind: 'IPv4 address', schema: z.string().refine((s) => isIPv4(s), 'must be an IPv4 address such as 192.168.1.10') }),
  /** A path that may be left empty: the code that reads it derives it then (its help says from what). */
  optionalPath: (): Kind<string> => once('optionalPath', () => ({ kind: 'path (empty: derived)', schema: z.string() })),
  /** A path relative to the project folder (or absolute). */
  path: (): Kind<string> => once('path', () => ({ kind: 'path', schema: z.string().min(1, 'must not be empty') })),
  url: (): Kind<string> => ({
    kind: 'URL',
    schema: z.string().refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), 'must be an http(s) URL or empty'),
  }),
  urlPath: (): Kind<string> => ({ kind: 'URL path', schema: z.string().regex(/^\/[^\s]*$/, 'must start with / (e.g. /api/health)') }),
};

export function key<T>(kind: Kind<T>, meta: KeyMeta): Omit<KeyDef<T>, 'name'> {
  return { ...meta, kind: kind.kind, schema: kind.schema };
}
