/** The Woosoo.ConfigProblem type: one problem with the configuration, with how to fix it. */
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
