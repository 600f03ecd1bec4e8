/** RPC method of Export-WoosooDiagnostics: diagnostics.export. Thin: the options in, the bundle's Woosoo.DiagnosticsBundle out. */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { defineMethod, duration, durationSchema, projectParams, typed, typedSchema } from '../kernel/method';
import { exportDiagnostics } from './bundle';

export const diagnosticsExport = defineMethod({
  name: 'diagnostics.export',
  summary: 'Writes one zip for support (versions, preflight, config test, health, services, masked configuration, log tails, last deployments, engine log, summary.txt) and returns it as a Woosoo.DiagnosticsBundle; a part that fails is an entry of errors.json, never a failure of the export.',
  params: z.object({
    ...projectParams,
    outFile: z.string().min(1).refine(isAbsolute, 'must be an absolute path (the module resolves -OutFile)').optional()
      .describe('The zip to write; default logs/diagnostics/woosoo-diagnostics-<host>-<time>.zip in the project (the current folder without one)'),
    force: z.boolean().default(false).describe('Replace an existing outFile'),
    logLines: z.number().int().min(1).max(100_000).default(500).describe('How many of the last lines of each log'),
    client: z.record(z.string(), z.string()).default({}).describe('The module\'s side: Module (its version), PowerShell (version and edition)'),
  }),
  item: typedSchema('DiagnosticsBundle', {
    Path: z.string(), SizeBytes: z.number().int(), ProjectPath: z.string().nullable(), CreatedAt: z.string(),
    Entries: z.array(z.string()), PartsOk: z.array(z.string()), PartsFailed: z.array(z.string()), Errors: z.array(z.string()),
    Duration: durationSchema,
  }),
  async handler(p, ctx) {
    const t0 = Date.now();
    const r = await exportDiagnostics({ ref: p, outFile: p.outFile, force: p.force, logLines: p.logLines, client: p.client }, ctx);
    return {
      items: [typed('DiagnosticsBundle', {
        Path: r.path, SizeBytes: r.sizeBytes, ProjectPath: r.projectPath, CreatedAt: r.createdAt.toISOString(), Entries: r.entries,
        PartsOk: r.parts.filter((x) => x.ok).map((x) => x.name), PartsFailed: r.parts.filter((x) => !x.ok).map((x) => x.name),
        Errors: r.errors.map((e) => `${e.part}: ${e.errorId}: ${e.message}`), Duration: duration(Date.now() - t0),
      })],
    };
  },
});
