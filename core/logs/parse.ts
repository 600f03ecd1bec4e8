/**
 * Parsers for the log formats Woosoo reads: Laravel (Monolog's LineFormatter, stack trace kept in the entry),
 * nginx access (combined) and error logs, and plain lines (a leading timestamp and the level are recognised when
 * present). Times without a zone are the server's local time, as Laravel and nginx write them.
 */
import type { Level, LogKind } from './entry';

export interface ParsedEntry {
  ts: number | null;
  level: Level;
  message: string;
}

const LARAVEL_HEAD = /^\[(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?\] ([^\s\]]+?)\.([A-Za-z]+): ?/;
const NGINX_ACCESS = /^(\S+ \S+ \S+) \[(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\] ("[^"]*" (\d{3})(?: .*)?)$/;
const NGINX_ERROR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] \d+#\d+: (?:\*\d+ )?/;
const ISO_HEAD = /^\[?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?\]?[:\s-]*/;
const SLASH_HEAD = /^\[?(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\]?[:\s-]*/;
const CTIME_HEAD = /^\[?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Za-z]{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\]?[:\s-]*/;
/** Lines that continue the entry above: indented, stack frames, PHP's "Stack trace:" / "Next …" / "{main}". */
const CONTINUATION = /^(?:\s|$|#\d+ |Stack trace:|\{main\}|Next [A-Z\\]|\[stacktrace\]|"\})/;

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const ERROR_WORDS = /\b(?:emerg(?:ency)?|alert|crit(?:ical)?|fatal|error|err|exception|panic|failed)\b/i;
const WARNING_WORDS = /\b(?:warn(?:ing)?|deprecated)\b/i;
const DEBUG_WORDS = /\bdebug\b/i;

/** Laravel/Monolog and nginx level names → Woosoo's four levels. */
export function levelFromName(name: string): Level {
  switch (name.toLowerCase()) {
    case 'emergency': case 'emerg': case 'alert': case 'critical': case 'crit': case 'error': case 'err': case 'fatal':
      return 'Error';
    case 'warning': case 'warn':
      return 'Warning';
    case 'debug':
      return 'Debug';
    default:
      return 'Info';
  }
}

/** The level a plain line suggests by its words (first line only). */
export function levelFromText(text: string): Level {
  const head = text.length > 300 ? text.slice(0, 300) : text;
  if (ERROR_WORDS.test(head)) return 'Error';
  if (WARNING_WORDS.test(head)) return 'Warning';
  if (DEBUG_WORDS.test(head)) return 'Debug';
  return 'Info';
}

/** Epoch ms of a wall-clock time: in the given zone ("Z", "+0100", "+01:00") or, without one, local time. */
export function wallTime(y: number, mo: number, d: number, h: number, mi: number, s: number, frac?: string, zone?: string): number {
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  if (!zone) return new Date(y, mo, d, h, mi, s, ms).getTime();
  const utc = Date.UTC(y, mo, d, h, mi, s, ms);
  if (zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** True when the line begins a new entry in a file of this kind (the others continue the entry above). */
export function isStart(kind: LogKind, line: string): boolean {
  if (kind === 'laravel') return LARAVEL_HEAD.test(line);
  if (kind === 'plain') return !CONTINUATION.test(line) || LARAVEL_HEAD.test(line);
  return true;
}

function parseLaravel(first: string, rest: string): ParsedEntry | null {
  const m = LARAVEL_HEAD.exec(first);
  if (!m) return null;
  return {
    ts: wallTime(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7], m[8]),
    level: levelFromName(m[10]),
    message: (first.slice(m[0].length) + rest).trimEnd(),
  };
}

function parseAccess(line: string): ParsedEntry | null {
  const m = NGINX_ACCESS.exec(line);
  if (!m) return null;
  const month = MONTHS[m[3].toLowerCase()];
  if (month === undefined) return null;
  const status = Number(m[10]);
  return {
    ts: wallTime(+m[4], month, +m[2], +m[5], +m[6], +m[7], undefined, m[8]),
    level: status >= 500 ? 'Error' : status >= 400 ? 'Warning' : 'Info',
    message: `${m[1]} ${m[9]}`,
  };
}

function parseNginxError(line: string, rest: string): ParsedEntry | null {
  const m = NGINX_ERROR.exec(line);
  if (!m) return null;
  return {
    ts: wallTime(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]),
    level: levelFromName(m[7]),
    message: (line.slice(m[0].length) + rest).trimEnd(),
  };
}

function parsePlain(first: string, rest: string): ParsedEntry {
  const laravel = parseLaravel(first, rest);
  if (laravel) return laravel;
  const level = levelFromText(first);
  let m = ISO_HEAD.exec(first);
  if (m) {
    return { ts: wallTime(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7], m[8]), level, message: (first.slice(m[0].length) + rest).trimEnd() };
  }
  m = SLASH_HEAD.exec(first);
  if (m) return { ts: wallTime(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]), level, message: (first.slice(m[0].length) + rest).trimEnd() };
  m = CTIME_HEAD.exec(first);
  const month = m ? MONTHS[m[1].toLowerCase()] : undefined;
  if (m && month !== undefined) {
    return { ts: wallTime(+m[6], month, +m[2], +m[3], +m[4], +m[5]), level, message: (first.slice(m[0].length) + rest).trimEnd() };
  }
  return { ts: null, level, message: (first + rest).trimEnd() };
}

/**
 * Parses one entry: its first line and the continuation lines (already joined, each preceded by "\n").
 * A line that does not fit its file's format is read as a plain line, never dropped.
 */
export function parseEntry(kind: LogKind, first: string, rest = ''): ParsedEntry {
  switch (kind) {
    case 'laravel':
      return parseLaravel(first, rest) ?? parsePlain(first, rest);
    case 'nginx-access':
      return parseAccess(first) ?? parsePlain(first, rest);
    case 'nginx-error':
      return parseNginxError(first, rest) ?? parsePlain(first, rest);
    default:
      return parsePlain(first, rest);
  }
}
