/**
 * The deploy report: <DEPLOY_REPORT_PATH>/<id>.json (the journal plus a system snapshot) and <id>.html, one
 * self-contained page (inline CSS, no script, no external resource): outcome, a timeline of the steps drawn to
 * scale, the steps with durations and messages, errors, what is left to do, health results and the system.
 * Every value is HTML-escaped and every string passes the secret mask.
 */
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config';
import { ENGINE_VERSION } from '../kernel/version';
import { redactDeep } from '../util/redact';
import type { Journal } from './journal';
import { reportDir } from './steps';

export function systemSnapshot(): Record<string, unknown> {
  const gb = (n: number) => Math.round((n / 1024 ** 3) * 10) / 10;
  return {
    host: hostname(), platform: platform(), release: release(), arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '',
    memoryTotalGB: gb(totalmem()), memoryFreeGB: gb(freemem()), loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    uptimeHours: Math.round(uptime() / 360) / 10, node: process.version, engine: ENGINE_VERSION, enginePid: process.pid,
    engineMemoryMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const COLORS: Record<string, string> = {
  Succeeded: '#2e7d32', Failed: '#c62828', Cancelled: '#ef6c00', Skipped: '#757575', Running: '#1565c0',
  RolledBack: '#ef6c00', RollbackFailed: '#b71c1c', Interrupted: '#6a1b9a',
};

function outcomeText(j: Journal): string {
  if (j.status === 'RolledBack') return 'Failed — rolled back';
  if (j.status === 'RollbackFailed') return 'Failed — rollback incomplete';
  return j.status;
}

export function renderHtml(j: Journal): string {
  const start = Date.parse(j.startedAt);
  const end = Math.max(start + 1, ...j.steps.map((s) => Date.parse(s.endedAt ?? s.startedAt)));
  const span = end - start;
  const bars = j.steps.map((s) => {
    const left = ((Date.parse(s.startedAt) - start) / span) * 100;
    const width = Math.max(0.5, ((s.durationMs ?? 0) / span) * 100);
    return `<div class="row"><span class="label">${escapeHtml(s.name)}</span><span class="track"><span class="bar" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%;background:${COLORS[s.status] ?? '#999'}"></span></span><span class="dur">${((s.durationMs ?? 0) / 1000).toFixed(2)} s</span></div>`;
  }).join('\n');
  const rows = j.steps.map((s) => `<tr><td>${escapeHtml(s.name)}</td><td style="color:${COLORS[s.status] ?? '#000'}">${escapeHtml(s.status)}</td><td>${escapeHtml(s.startedAt)}</td><td>${((s.durationMs ?? 0) / 1000).toFixed(2)} s</td><td><pre>${escapeHtml(s.message)}</pre></td><td>${escapeHtml(s.outputLog)}</td></tr>`).join('\n');
  // The health step's results (journals written before 0.1.0's domain types held the wire's PascalCase objects).
  const health = (j.details.health ?? []) as Partial<Record<'name' | 'status' | 'message' | 'Name' | 'Status' | 'Message', string>>[];
  const healthRows = health.map((c) => `<tr><td>${escapeHtml(c.name ?? c.Name ?? '')}</td><td>${escapeHtml(c.status ?? c.Status ?? '')}</td><td>${escapeHtml(c.message ?? c.Message ?? '')}</td></tr>`).join('\n');
  const sys = (j.details.system ?? {}) as Record<string, unknown>;
  const sysRows = Object.entries(sys).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(Array.isArray(v) ? v.join(', ') : v)}</td></tr>`).join('\n');
  const left = (j.leftToDo ?? []).map((l) => `<li>${escapeHtml(l)}</li>`).join('');
  const changed = j.changed.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Woosoo deployment ${escapeHtml(j.id)}: ${escapeHtml(outcomeText(j))}</title>
<style>
body{font-family:system-ui,Segoe UI,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
.outcome{display:inline-block;padding:.2em .6em;border-radius:4px;color:#fff;background:${COLORS[j.status] ?? '#555'}}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
pre{margin:0;white-space:pre-wrap;font-size:.85em;max-width:60em}
.row{display:flex;align-items:center;margin:2px 0}.label{width:9em}.track{position:relative;flex:1;height:14px;background:#eee}
.bar{position:absolute;top:0;height:14px}.dur{width:6em;text-align:right;font-size:.85em}
</style></head><body>
<h1>Deployment ${escapeHtml(j.id)} <span class="outcome">${escapeHtml(outcomeText(j))}</span></h1>
<table>
<tr><th>Project</th><td>${escapeHtml(j.project)}</td></tr>
<tr><th>Environment</th><td>${escapeHtml(j.environment ?? '(not set)')}</td></tr>
<tr><th>Scope</th><td>${escapeHtml(j.options.scope)}</td></tr>
<tr><th>Started</th><td>${escapeHtml(j.startedAt)} by ${escapeHtml(j.user)} on ${escapeHtml(j.host)} (PID ${escapeHtml(j.pid)})</td></tr>
<tr><th>Ended</th><td>${escapeHtml(j.endedAt ?? '')}</td></tr>
<tr><th>Backup</th><td>${escapeHtml(j.backupId ?? '(none)')}</td></tr>
<tr><th>Options</th><td>${escapeHtml(JSON.stringify(j.options))}</td></tr>
${j.error ? `<tr><th>Error</th><td><pre>${escapeHtml(j.error)}</pre></td></tr>` : ''}
</table>
${left ? `<h2>Left to do by hand</h2><ul>${left}</ul>` : ''}
<h2>Timeline</h2>
${bars}
<h2>Steps</h2>
<table><tr><th>Step</th><th>Status</th><th>Started</th><th>Duration</th><th>Message</th><th>Output log</th></tr>
${rows}
</table>
${changed ? `<h2>Files changed</h2><ul>${changed}</ul>` : ''}
${healthRows ? `<h2>Health</h2><table><tr><th>Check</th><th>Status</th><th>Message</th></tr>${healthRows}</table>` : ''}
<h2>System</h2>
<table>${sysRows}</table>
</body></html>
`;
}

/** Writes a file whole or not at all (temp file + rename): an engine killed while reporting leaves no half report. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Where a deployment's report goes: <DEPLOY_REPORT_PATH>/<id>.json and .html. */
export function reportFiles(cfg: ProjectConfig, id: string): { json: string; html: string } {
  return { json: join(reportDir(cfg), `${id}.json`), html: join(reportDir(cfg), `${id}.html`) };
}

/** Writes <id>.json and <id>.html (and copies to -ReportPath), recording their paths in the journal first. */
export function writeReport(cfg: ProjectConfig, j: Journal, extraPath?: string): { json: string; html: string } {
  const { json, html } = reportFiles(cfg, j.id);
  mkdirSync(dirname(json), { recursive: true });
  j.reportPath = json;
  j.htmlReportPath = html;
  const safe = redactDeep(j);
  writeWhole(json, `${JSON.stringify(safe, null, 2)}\n`);
  writeWhole(html, renderHtml(safe));
  if (extraPath) {
    mkdirSync(dirname(extraPath), { recursive: true });
    if (/\.json$/i.test(extraPath)) copyFileSync(json, extraPath);
    else copyFileSync(html, extraPath);
  }
  return { json, html };
}
