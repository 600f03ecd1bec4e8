/**
 * The audit trail's files: logs/audit/audit-YYYY-MM.jsonl in the project (UTC months), one JSON object per line.
 * A line is written whole: one write of the full line and its newline on a file opened for appending (O_APPEND), so
 * two sessions writing at once interleave lines, never bytes of a line (tests/audit/store.test.ts runs processes
 * at once). Reading goes across the monthly files, oldest first; a line that is not an entry is reported, not fatal.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from './entry';

export const AUDIT_DIR = join('logs', 'audit');
const FILE_RE = /^audit-(\d{4})-(\d{2})\.jsonl$/;

/** The month's file of a time (UTC). */
export function auditFile(root: string, time: Date): string {
  return join(root, AUDIT_DIR, `audit-${time.toISOString().slice(0, 7)}.jsonl`);
}

/** Appends one entry as one line, in one write. */
export function appendEntry(root: string, entry: AuditEntry): string {
  const file = auditFile(root, new Date(entry.time));
  mkdirSync(join(root, AUDIT_DIR), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', flag: 'a' });
  return file;
}

/** The monthly files of a project, oldest first; with `since`, only the months that can hold later entries. */
export function auditFiles(root: string, since?: Date): string[] {
  let names: string[];
  try {
    names = readdirSync(join(root, AUDIT_DIR));
  } catch {
    return [];
  }
  const from = since ? since.toISOString().slice(0, 7) : '';
  return names.filter((n) => FILE_RE.test(n) && n.slice(6, 13) >= from).sort().map((n) => join(root, AUDIT_DIR, n));
}

export interface BadLine {
  file: string;
  line: number;
  reason: string;
}

/** Every entry of the files, in order; lines that do not parse as entries are skipped and returned in `bad`. */
export function readEntries(files: readonly string[]): { entries: AuditEntry[]; bad: BadLine[] } {
  const entries: AuditEntry[] = [];
  const bad: BadLine[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      bad.push({ file, line: 0, reason: `cannot be read (${(err as Error).message})` });
      continue;
    }
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        bad.push({ file, line: i + 1, reason: 'is not JSON' });
        return;
      }
      if (!isEntry(value)) bad.push({ file, line: i + 1, reason: 'is not an audit entry (time, command, outcome missing)' });
      else entries.push(value);
    });
  }
  return { entries, bad };
}

function isEntry(v: unknown): v is AuditEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time)) && typeof e.command === 'string' && typeof e.outcome === 'string';
}
