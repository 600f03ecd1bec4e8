/// <reference lib="dom" />
/**
 * Backups (#/backups): the list (GET /api/backups), verify one (operator: POST /api/backups/:id/test) and restore one
 * (admin: POST /api/backups/:id/restore), each after a confirmation; the result is shown under the list.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, seg } from '../api';
import { bytes, can, ErrorLine, Page, StatusBadge, Table, text, useAction, useConfirm, useLoad, when, type PageProps, type Row } from '../ui';

export function BackupsPage({ session }: PageProps): VNode {
  const list = useLoad(() => api<{ items: Row[] }>('GET', '/api/backups'));
  const [dialog, ask] = useConfirm();
  const act = useAction();
  const [result, setResult] = useState<{ title: string; items: Row[] } | null>(null);
  const operator = can(session, 'operator');
  const admin = can(session, 'admin');

  const verify = (id: string) => act.run(async () => {
    setResult(null);
    const r = await api<{ items: Row[] }>('POST', `/api/backups/${seg(id)}/test`);
    setResult({ title: `Verification of ${id}`, items: r.items ?? [] });
  });
  const restore = (id: string) => act.run(async () => {
    setResult(null);
    const r = await api<{ items: Row[] }>('POST', `/api/backups/${seg(id)}/restore`);
    setResult({ title: `Restore of ${id}`, items: r.items ?? [] });
    list.reload();
  });

  const actions = (r: Row) => {
    const id = String(r.Id);
    return html`<div class="row-actions">
      <button type="button" data-action="verify" disabled=${act.busy}
        onClick=${() => ask({ text: `Verify backup ${id}? Every file's checksum is read again.`, label: 'Verify', run: () => verify(id) })}>Verify</button>
      ${admin ? html`<button type="button" class="danger" data-action="restore" disabled=${act.busy}
        onClick=${() => ask({ text: `Restore backup ${id}? The project's files and database are replaced by the backup's (a safety backup is made first).`, label: 'Restore', danger: true, run: () => restore(id) })}>Restore</button>` : null}
    </div>`;
  };

  return html`<${Page} name="backups" title="Backups" tools=${html`<button type="button" onClick=${list.reload} disabled=${list.loading}>Refresh</button>`}>
    <${ErrorLine} error=${list.error ?? act.error} />
    ${act.busy ? html`<p class="muted" role="status">Working…</p>` : null}
    ${result ? html`<div class="card" data-result>
      <h2>${result.title}</h2>
      ${result.items.map((i, n) => html`<dl class="facts" key=${n}>
        ${'Valid' in i ? html`<dt>Valid</dt><dd><${StatusBadge} status=${i.Valid ? 'Valid' : 'Invalid'} /></dd><dt>Files checked</dt><dd>${text(i.FilesChecked)}</dd>
          ${Array.isArray(i.Problems) && i.Problems.length ? html`<dt>Problems</dt><dd>${(i.Problems as unknown[]).map((p) => html`<span class="block">${text(p)}</span>`)}</dd>` : null}` : null}
        ${'FilesRestored' in i ? html`<dt>Files restored</dt><dd>${text(i.FilesRestored)}</dd><dt>Database restored</dt><dd>${text(i.DatabaseRestored)}</dd>
          <dt>Safety backup</dt><dd class="mono">${text(i.SafetyBackupId)}</dd>` : null}
      </dl>`)}
    </div>` : null}
    <div class="card">
      ${list.data ? html`<${Table} rows=${list.data.items ?? []} rowKey=${(r: Row) => String(r.Id)} rowAttrs=${(r: Row) => ({ 'data-backup': String(r.Id) })}
        columns=${[
          { key: 'Id', label: 'Id', cls: 'mono' },
          { key: 'CreatedAt', label: 'Created', value: (r: Row) => when(r.CreatedAt) },
          { key: 'Includes', label: 'Includes' },
          { key: 'SizeBytes', label: 'Size', cls: 'num', value: (r: Row) => bytes(r.SizeBytes) },
          { key: 'Description', label: 'Description' },
          ...(operator ? [{ key: 'actions', label: 'Actions', value: actions }] : []),
        ]} empty="No backups yet." />` : list.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
    ${dialog}
  <//>`;
}
