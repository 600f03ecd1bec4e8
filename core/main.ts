/**
 * The engine's entry point. stdout is the protocol and nothing else: console output and any stray write to
 * stdout go to stderr (diagnostics, drained by the module). The engine exits when its stdin closes.
 * With `--dashboard <options.json>` it is the dashboard host instead (core/dashboard/host.ts, imported only then, so
 * the RPC engine's start-up is unchanged): a web server over the same methods, until SIGTERM.
 */
import { format } from 'node:util';
import { idleCollector } from './kernel/idlegc';
import { DOMAINS, eagerMethods, resolveMethod } from './methods';
import { Engine, serveLines } from './rpc/server';
import { redact } from './util/redact';

const protocolOut = process.stdout.write.bind(process.stdout);
const toStderr = (...args: unknown[]) => {
  process.stderr.write(`${format(...args)}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;
console.error = toStderr;
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const dashboardArg = process.argv.indexOf('--dashboard');
if (dashboardArg > 0) {
  // Each method a route runs goes to the engine's log too (its audit line is the dashboard's own: core/dashboard/invoke.ts).
  const logCall = async (call: import('./kernel/call').CallRecord) => (await import('./engine/log')).logCall(call);
  void import('./dashboard/host').then((host) => host.runHost(process.argv[dashboardArg + 1], resolveMethod, logCall));
} else {
  serveRpc();
}

function serveRpc(): void {
  const engine = new Engine((line) => {
    protocolOut(`${line}\n`);
  }, eagerMethods(), DOMAINS);

  let exiting = false;
  function exit(code: number, cancelledBefore = 0): void {
    if (exiting) return;
    exiting = true;
    engineLog?.logStop(code);
    if (engine.cancelAll('The engine is shutting down.') + cancelledBefore === 0) {
      // Nothing was running (the usual end of a PowerShell session, which waits for this exit): go once stdout is flushed.
      protocolOut('', () => process.exit(code));
      return;
    }
    // Let cancelled children be killed and the last replies flush.
    setTimeout(() => process.exit(code), 200).unref();
  }
  engine.onShutdown = () => exit(0);

  // As each method ends, before its reply: the audit trail (core/audit) and the engine's own log (core/engine/log.ts),
  // loaded with the first call, not at start.
  let engineLog: typeof import('./engine/log') | undefined;
  engine.onCallEnd = async (call) => {
    if (call.method === 'engine.ping') return; // the wire's round-trip probe (bench/) is not an event
    engineLog = await import('./engine/log');
    if (call.caller !== undefined) (await import('./audit/index')).auditCall(call); // only cmdlets' requests carry $caller
    engineLog.logCall(call);
  };

  process.on('uncaughtException', (err) => {
    process.stderr.write(`engine: fatal: ${redact(err.stack ?? String(err))}\n`);
    exit(70);
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`engine: unhandled rejection: ${redact(err instanceof Error ? err.stack ?? err.message : String(err))}\n`);
  });
  process.stdout.on('error', () => exit(0)); // The module went away.
  // Ctrl+C at the admin's console reaches every process of the terminal's foreground group, the engine included (it is
  // the module's child). The keystroke belongs to the module: PowerShell stops the pipeline and the module sends
  // $/cancel, so a deploy rolls back in order. The engine ends only on stdin EOF, $/shutdown, SIGTERM or SIGKILL.
  process.on('SIGINT', () => {
    process.stderr.write('engine: ignoring SIGINT (the module cancels requests with $/cancel)\n');
  });

  // The engine idles most of its life between cmdlets, so it is kept small: core/kernel/idlegc.ts.
  engine.onIdle = idleCollector();

  void serveLines(engine, process.stdin).then((cancelled) => exit(0, cancelled));
}
