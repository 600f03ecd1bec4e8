/**
 * The engine's own diagnostic log: logs/woosoo/engine.log in the project of each call (found as the call would find
 * it: its path param, $env:WOOSOO_PROJECT, the session's folder and those above), or in Woosoo's folder for the user
 * (core/util/statedir.ts) for a call outside any project. One text line per event: the engine's start (the first line
 * it writes to a given log), each method call with its outcome and duration, its stop. Never a parameter's value:
 * an error's message only, masked like everything the engine sends out. Rotated by size (ENGINE_LOG_MAX_MB:
 * engine.log -> engine.1.log -> ...), ENGINE_LOG_KEEP rotated files kept. Writing never fails a call.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findProject, readConfig } from '../config/load';
import { callError, callOutcome, isPlan, type CallRecord } from '../kernel/call';
import { ENGINE_VERSION } from '../kernel/version';
import { redact } from '../util/redact';
import { userStateDir } from '../util/statedir';

export const ENGINE_LOG = join('logs', 'woosoo', 'engine.log');

export interface RotationSettings {
  maxBytes: number;
  keep: number;
}

export const DEFAULT_ROTATION: RotationSettings = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/** engine.log, engine.1.log (the newest rotated), ... engine.<keep>.log: every file of the log, newest first. */
export function engineLogFiles(file: string, keep = DEFAULT_ROTATION.keep): string[] {
  return [file, ...Array.from({ length: keep }, (_, i) => rotated(file, i + 1))].filter((f) => existsSync(f));
}

function rotated(file: string, n: number): string {
  return file.replace(/\.log$/, `.${n}.log`);
}

/** Appends one line (a single write on a file opened for appending), rotating first when it would pass the size. */
export function appendLogLine(file: string, line: string, settings: RotationSettings = DEFAULT_ROTATION): void {
  const bytes = Buffer.from(`${line.replace(/[\r\n]+/g, ' ')}\n`, 'utf8');
  let size = -1;
  try {
    size = statSync(file).size;
  } catch {
    mkdirSync(dirname(file), { recursive: true });
  }
  if (size > 0 && size + bytes.length > settings.maxBytes) rotate(file, settings.keep);
  appendFileSync(file, bytes);
}

/** engine.log -> engine.1.log, engine.1.log -> engine.2.log, ...; what falls beyond `keep` is deleted. */
export function rotate(file: string, keep: number): void {
  rmSync(rotated(file, keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) renameIfThere(rotated(file, n), rotated(file, n + 1));
  renameIfThere(file, rotated(file, 1));
  // Older files from a larger ENGINE_LOG_KEEP go too.
  for (let n = keep + 1; existsSync(rotated(file, n)); n++) rmSync(rotated(file, n), { force: true });
}

/** Another engine (a second session on the project) may have rotated the same file a moment before. */
function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

interface LogTarget {
  file: string;
  settings: RotationSettings;
}

/** The log of the call's project (settings from its configuration, read again when the file changes), else the user's. */
function targetOf(call: Pick<CallRecord, 'params' | 'session'>): LogTarget {
  const path = typeof call.params.path === 'string' ? call.params.path : undefined;
  try {
    const location = findProject(path, call.session);
    return { file: join(location.projectDir, ENGINE_LOG), settings: settingsOf(location.file, call) };
  } catch {
    return { file: join(userStateDir(call.session.env), ENGINE_LOG), settings: DEFAULT_ROTATION };
  }
}

const settingsCache = new Map<string, { mtimeMs: number; settings: RotationSettings }>();

function settingsOf(configFile: string, call: Pick<CallRecord, 'params' | 'session'>): RotationSettings {
  try {
    const { mtimeMs } = statSync(configFile);
    const cached = settingsCache.get(configFile);
    if (cached?.mtimeMs === mtimeMs) return cached.settings;
    const environment = typeof call.params.environment === 'string' ? call.params.environment : undefined;
    const cfg = readConfig(findProject(configFile, call.session), { asked: environment, variable: call.session.env.WOOSOO_ENVIRONMENT });
    const settings = {
      maxBytes: (cfg.get('ENGINE_LOG_MAX_MB') ?? 10) * 1024 * 1024,
      keep: cfg.get('ENGINE_LOG_KEEP') ?? DEFAULT_ROTATION.keep,
    };
    settingsCache.set(configFile, { mtimeMs, settings });
    return settings;
  } catch {
    return DEFAULT_ROTATION;
  }
}

/** The logs this engine has written to (each got its start line), for the stop line. */
const opened = new Map<string, RotationSettings>();
const unwritable = new Set<string>();

function write(target: LogTarget, text: string): void {
  try {
    if (!opened.has(target.file)) {
      appendLogLine(target.file, `${stamp()} [${process.pid}] start engine ${ENGINE_VERSION}, node ${process.version}, ${process.platform}-${process.arch}`, target.settings);
    }
    opened.set(target.file, target.settings);
    appendLogLine(target.file, `${stamp()} [${process.pid}] ${redact(text)}`, target.settings);
  } catch (err) {
    // Said once per file: a read-only folder would otherwise repeat it on every call.
    if (!unwritable.has(target.file)) process.stderr.write(`engine: cannot write its log ${target.file}: ${(err as Error).message}\n`);
    unwritable.add(target.file);
  }
}

function stamp(): string {
  return new Date().toISOString();
}

/** One line per method call: name, outcome, duration, and for a failure its error id and message. */
export function logCall(call: CallRecord): void {
  const failure = callError(call);
  const what = failure ? ` ${failure.errorId}: ${failure.message.slice(0, 500)}` : '';
  const whatIf = isPlan(call.params) ? ' (whatIf)' : '';
  write(targetOf(call), `call ${call.method}${whatIf} ${callOutcome(call)} in ${call.durationMs} ms${what}`);
}

/** The stop line, in every log this engine wrote to (called as the engine exits). */
export function logStop(code: number): void {
  for (const [file, settings] of opened) write({ file, settings }, `stop (exit code ${code})`);
}
