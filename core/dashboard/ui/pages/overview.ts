/// <reference lib="dom" />
/** Overview (#/overview): the services with status, CPU and memory, the health checks, and the last deployment. */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { onLive } from '../live';
import { usage, useLiveServices } from '../services-data';
import { duration, ErrorLine, Page, StatusBadge, Table, text, useLoad, when, type PageProps, type Row } from '../ui';

interface Part { items?: Row[]; errors?: unknown[]; error?: string }
interface Overview { services: Part; health: Part; lastDeploy: Part }

function PartError({ part }: { part: Part | undefined }): VNode | null {
  return part?.error ? html`<${ErrorLine} error=${part.error} />` : null;
}

export function OverviewPage(_p: PageProps): VNode {
  const o = useLoad(() => api<Overview>('GET', '/api/overview'));
  const services = useLiveServices(o.data?.services.items ?? null);
  const health = o.data?.health.items;
  const last = o.data?.lastDeploy.items?.[0];
  // A deployment that ends changes the last deploy: read the overview again.
  useEffect(() => onLive((m) => { if (m.type === 'deploy.end') o.reload(); }), []);
  const problems = (health ?? []).filter((h) => h.Status !== 'Healthy');

  return html`<${Page} name="overview" title="Overview" tools=${html`<button type="button" onClick=${o.reload} disabled=${o.loading}>Refresh</button>`}>
    <${ErrorLine} error=${o.error} />
    <div class="grid">
      <div class="card wide">
        <h2>Services</h2>
        <${PartError} part=${o.data?.services} />
        ${services ? html`<${Table} rows=${services} rowKey=${(r: Row) => String(r.Name)} rowAttrs=${(r: Row) => ({ 'data-service': String(r.Name) })}
          columns=${[
            { key: 'Name', label: 'Service', cls: 'strong' },
            { key: 'Status', label: 'Status', value: (r: Row) => html`<${StatusBadge} status=${r.Status} />` },
            { key: 'cpu', label: 'CPU', cls: 'num', value: (r: Row) => usage(r).cpu },
            { key: 'mem', label: 'Memory', cls: 'num', value: (r: Row) => usage(r).memory },
            { key: 'Uptime', label: 'Uptime', value: (r: Row) => duration(r.Uptime) },
          ]} empty="No services are configured." />` : o.loading ? html`<p class="muted">Loading…</p>` : null}
      </div>
      <div class="card">
        <h2>Health</h2>
        <${PartError} part=${o.data?.health} />
        ${!o.data && o.loading ? html`<p class="muted">Loading…</p>` : null}
        ${health ? html`<p class="summary">${health.length - problems.length} of ${health.length} checks healthy.</p>
          <ul class="checks">${(problems.length ? problems : health.slice(0, 8)).map((h) => html`<li key=${`${text(h.Category)}:${text(h.Name)}`}>
            <${StatusBadge} status=${h.Status} /> <span class="strong">${text(h.Name)}</span>
            <span class="muted block">${text(h.Message)}</span></li>`)}</ul>` : null}
      </div>
      <div class="card">
        <h2>Last deploy</h2>
        <${PartError} part=${o.data?.lastDeploy} />
        ${!o.data && o.loading ? html`<p class="muted">Loading…</p>` : null}
        ${last ? html`<dl class="facts">
            <dt>Status</dt><dd><${StatusBadge} status=${last.Status} /></dd>
            <dt>Id</dt><dd class="mono">${text(last.Id)}</dd>
            <dt>Started</dt><dd>${when(last.StartedAt)}</dd>
            <dt>Duration</dt><dd>${duration(last.Duration)}</dd>
            ${last.FailedStep ? html`<dt>Failed step</dt><dd>${text(last.FailedStep)}</dd>` : null}
          </dl><a href="#/deploys">All deployments</a>`
          : o.data && !o.data.lastDeploy.error ? html`<p class="muted">No deployment yet.</p>` : null}
      </div>
    </div>
  <//>`;
}
