/// <reference lib="dom" />
/** Services (#/services): each service's status live; start, stop and restart (operator), each after a confirmation. */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, seg } from '../api';
import { loadServices, useLiveServices } from '../services-data';
import { can, duration, ErrorLine, Page, StatusBadge, Table, text, useAction, useConfirm, useLoad, type PageProps, type Row } from '../ui';

const ACTIONS = [
  { action: 'start', label: 'Start', danger: false },
  { action: 'stop', label: 'Stop', danger: true },
  { action: 'restart', label: 'Restart', danger: false },
] as const;

export function ServicesPage({ session }: PageProps): VNode {
  const list = useLoad(loadServices);
  const services = useLiveServices(list.data);
  const [dialog, ask] = useConfirm();
  const act = useAction();
  const [done, setDone] = useState('');
  const operator = can(session, 'operator');

  const run = (name: string, action: string) => act.run(async () => {
    setDone('');
    const r = await api<{ items?: Row[]; errors?: { message?: string }[] }>('POST', `/api/services/${seg(name)}/${action}`);
    if (r.errors?.length) throw new Error(r.errors.map((e) => e.message ?? text(e)).join(' '));
    setDone(`${name}: ${action} done.`);
    list.reload();
  });

  const buttons = (r: Row) => html`<div class="row-actions">${ACTIONS.map((a) => html`<button type="button" data-action=${a.action}
    class=${a.danger ? 'danger' : ''} disabled=${act.busy}
    onClick=${() => ask({ text: `${a.label} ${String(r.Name)}?`, label: a.label, danger: a.danger, run: () => run(String(r.Name), a.action) })}>${a.label}</button>`)}</div>`;

  return html`<${Page} name="services" title="Services" tools=${html`<button type="button" onClick=${list.reload} disabled=${list.loading}>Refresh</button>`}>
    <${ErrorLine} error=${list.error ?? act.error} />
    ${done ? html`<p class="ok" role="status">${done}</p>` : null}
    ${act.busy ? html`<p class="muted" role="status">Working…</p>` : null}
    <div class="card">
      ${services ? html`<${Table} rows=${services} rowKey=${(r: Row) => String(r.Name)} rowAttrs=${(r: Row) => ({ 'data-service': String(r.Name) })}
        columns=${[
          { key: 'Name', label: 'Service', cls: 'strong' },
          { key: 'Status', label: 'Status', value: (r: Row) => html`<${StatusBadge} status=${r.Status} />` },
          { key: 'ProcessId', label: 'PID', cls: 'num' },
          { key: 'Uptime', label: 'Uptime', value: (r: Row) => duration(r.Uptime) },
          { key: 'Restarts', label: 'Restarts', cls: 'num' },
          { key: 'Backend', label: 'Backend' },
          ...(operator ? [{ key: 'actions', label: 'Actions', value: buttons }] : []),
        ]} empty="No services are configured." />` : list.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
    ${dialog}
  <//>`;
}
