/// <reference lib="dom" />
/**
 * Logs (#/logs): one service's log with level and pattern filters (GET /api/logs/:service), then, with Follow on, its
 * new lines over the socket ({type:'follow'}): newest at the bottom, at most MAX_LINES kept. Every line is text.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, query, seg } from '../api';
import { onLive, setFollow } from '../live';
import { loadServices } from '../services-data';
import { ErrorLine, message, Page, text, useLoad, type PageProps, type Row } from '../ui';

/** The service has no log file yet (logs.get's not-found): a fact to show, not a failure. */
const noLog = (e: unknown) => e instanceof ApiError && e.status === 404 && e.code !== 'NotFound' && e.code !== 'DashboardUnknownService';

const MAX_LINES = 1000;
const LEVELS = ['', 'Debug', 'Info', 'Warning', 'Error'];

interface Line { n: number; entry: Row }
let counter = 0;

/** Where an entry is in its file ("" when unknown): the tail and the live follow may both bring one line. */
const place = (e: Row) => (typeof e.Line === 'number' ? `${String(e.Source)}:${e.Line}` : '');

/** The last MAX_LINES of lines plus the new entries, each line once, each with a key of its own. */
function keep(lines: Line[], more: Row[]): Line[] {
  const seen = new Set(lines.map((l) => place(l.entry)));
  const fresh = more.filter((e) => !place(e) || !seen.has(place(e)));
  const next = lines.concat(fresh.map((entry) => ({ n: ++counter, entry })));
  return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
}

/** Oldest first: logs.get gives entries newest first when tailing; sorted by time here either way. */
const byTime = (items: Row[]) => [...items].sort((a, b) => String(a.Timestamp).localeCompare(String(b.Timestamp)));

function LogLine({ entry }: { entry: Row }): VNode {
  const level = text(entry.Level);
  const time = typeof entry.Timestamp === 'string' ? entry.Timestamp.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
  return html`<div class="log-line" data-log-line><span class="muted">${time} </span><span class=${`lvl lvl-${level.toLowerCase()}`}>${level}</span> ${text(entry.Message)}</div>`;
}

export function LogsPage(_p: PageProps): VNode {
  const services = useLoad(loadServices);
  // #/logs?service=<name> opens that service's log.
  const [service, setService] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('service') ?? '');
  const [level, setLevel] = useState('');
  const [pattern, setPattern] = useState('');
  const [applied, setApplied] = useState({ level: '', pattern: '' });
  const [follow, setFollowOn] = useState(true);
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<unknown>(null);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    if (!service && services.data?.length) setService(String(services.data[0].Name));
  }, [services.data]);

  // The tail of the log for the service and filters.
  useEffect(() => {
    if (!service) return undefined;
    let live = true;
    setError(null);
    setLines([]);
    api<{ items: Row[] }>('GET', `/api/logs/${seg(service)}${query({ tail: 200, level: applied.level, pattern: applied.pattern })}`)
      .then((r) => { if (live) { atBottom.current = true; setLines((cur) => keep([], byTime([...(r.items ?? []), ...cur.map((l) => l.entry)]))); } }, (e) => { if (live) { setLines([]); setError(e); } });
    return () => { live = false; };
  }, [service, applied]);

  // New lines over the socket while following.
  useEffect(() => {
    if (!service || !follow) return undefined;
    setFollow({ type: 'follow', service, ...(applied.level ? { level: applied.level } : {}), ...(applied.pattern ? { pattern: applied.pattern } : {}) });
    const off = onLive((m) => {
      if (m.type === 'log' && m.service === service && m.entry) setLines((l) => keep(l, [m.entry]));
    });
    return () => { off(); setFollow(null); };
  }, [service, applied, follow]);

  // Newest at the bottom: stay there unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  const onScroll = () => {
    const el = box.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };

  const apply = (e: Event) => {
    e.preventDefault();
    setApplied({ level, pattern });
  };
  const value = (e: Event) => (e.target as HTMLInputElement).value;

  return html`<${Page} name="logs" title="Logs">
    <${ErrorLine} error=${services.error ?? (noLog(error) ? null : error)} />
    ${noLog(error) ? html`<p class="muted" role="status">${message(error)}</p>` : null}
    <form class="filters" onSubmit=${apply}>
      <div><label for="log-service">Service</label>
        <select id="log-service" value=${service} onChange=${(e: Event) => setService(value(e))}>
          ${(services.data ?? []).map((s) => html`<option key=${String(s.Name)} value=${String(s.Name)}>${String(s.Name)}</option>`)}
        </select></div>
      <div><label for="log-level">Level (at least)</label>
        <select id="log-level" value=${level} onChange=${(e: Event) => { setLevel(value(e)); setApplied({ level: value(e), pattern }); }}>
          ${LEVELS.map((l) => html`<option key=${l} value=${l}>${l || 'Any'}</option>`)}
        </select></div>
      <div><label for="log-pattern">Pattern (regular expression)</label>
        <input id="log-pattern" value=${pattern} maxLength=${500} placeholder="e.g. timeout|refused" onInput=${(e: Event) => setPattern(value(e))} /></div>
      <div><button type="submit">Filter</button></div>
      <div><label class="check"><input type="checkbox" checked=${follow} onChange=${(e: Event) => setFollowOn((e.target as HTMLInputElement).checked)} /> Follow</label></div>
    </form>
    <div class="log" ref=${box} onScroll=${onScroll} role="log" aria-live="off" data-log>
      ${lines.length === 0 ? html`<p class="muted">No lines${applied.level || applied.pattern ? ' match the filters' : ''}.</p>` : null}
      ${lines.map((l) => html`<${LogLine} key=${l.n} entry=${l.entry} />`)}
    </div>
    <p class="muted">${lines.length} line(s)${lines.length >= MAX_LINES ? ` (the last ${MAX_LINES} kept)` : ''}.</p>
  <//>`;
}
