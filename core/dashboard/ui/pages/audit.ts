/// <reference lib="dom" />
/** Audit (#/audit, admin): the project's audit trail, newest first (GET /api/audit?last=100). */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorLine, Page, StatusBadge, Table, text, useLoad, when, type PageProps, type Row } from '../ui';

/** The parameters of a line as "Key=value" pairs (the server masks secrets). */
const params = (p: unknown) => (p && typeof p === 'object' ? Object.entries(p).map(([k, v]) => `${k}=${text(v)}`).join(' ') : '');

export function AuditPage(_p: PageProps): VNode {
  const [last, setLast] = useState(100);
  const list = useLoad(() => api<{ items: Row[] }>('GET', `/api/audit${query({ last })}`), [last]);
  return html`<${Page} name="audit" title="Audit" tools=${html`<label for="audit-last">Lines</label>
      <select id="audit-last" value=${String(last)} onChange=${(e: Event) => setLast(Number((e.target as HTMLSelectElement).value))}>
        ${[50, 100, 500, 2000].map((n) => html`<option key=${n} value=${String(n)}>${n}</option>`)}</select>
      <button type="button" onClick=${list.reload} disabled=${list.loading}>Refresh</button>`}>
    <${ErrorLine} error=${list.error} />
    <div class="card">
      ${list.data ? html`<${Table} rows=${list.data.items ?? []} rowKey=${(r: Row, i: number) => `${i}|${text(r.Time)}`}
        columns=${[
          { key: 'Time', label: 'Time', value: (r: Row) => when(r.Time) },
          { key: 'User', label: 'User' },
          { key: 'Command', label: 'Command', cls: 'strong' },
          { key: 'Parameters', label: 'Parameters', cls: 'mono', value: (r: Row) => params(r.Parameters) || '—' },
          { key: 'Outcome', label: 'Outcome', value: (r: Row) => html`<${StatusBadge} status=${r.Outcome} />` },
          { key: 'Message', label: 'Message' },
        ]} empty="The audit trail is empty." />` : list.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
  <//>`;
}
