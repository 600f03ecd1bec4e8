/**
 * One problem with the configuration, with how to fix it (ConfigIssue), and the schema of the wire's
 * Woosoo.ConfigProblem that config/methods.ts makes of it.
 */
import { z } from 'zod';
import { typedSchema } from '../kernel/method';

export const configProblemSchema = typedSchema('ConfigProblem', {
  Key: z.string(),
  Rule: z.string(),
  Severity: z.enum(['Error', 'Warning']),
  Message: z.string(),
  Fix: z.string(),
  Line: z.number().int().positive().optional(),
  File: z.string(),
});

export type ConfigProblem = z.infer<typeof configProblemSchema>;

export interface ConfigIssue {
  /** The key it is about ('' for a line that is not a key). */
  key: string;
  /** Which rule found it (Type, Required, PortRange, UnknownKey, Syntax, ...). */
  rule: string;
  severity: 'Error' | 'Warning';
  message: string;
  fix: string;
  line?: number;
  file: string;
}
