/// <reference lib="dom" />
/**
 * Deploys (#/deploys): run a deploy (operator; POST /api/deploys, its steps arrive over the socket as deploy.step
 * and its end as deploy.end), the history (GET /api/deploys), a deployment's report, and undo with confirmation.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, seg } from '../api';
import { onLive } from '../live';
import { can, duration, ErrorLine, Page, StatusBadge, Table, text, useAction, useConfirm, useLoad, when, type PageProps, type Row } from '../ui';

interface Run { id: string; steps: Row[]; end?: { deployment?: Row | null; error?: unknown } }

function Steps({ steps }: { steps: Row[] }): VNode {
  if (steps.length === 0) return html`<p class="muted">Waiting for the first step…</p>`;
  return html`<ol class="steps">${steps.map((s, i) => html`<li key=${i} data-deploy-step data-step-status=${text(s.Status)}>
    <${StatusBadge} status=${s.Status} /> <span class="strong">${text(s.Name)}</span> <span class="muted">${duration(s.Duration)}</span>
    ${s.Message ? html`<span class="muted block">${text(s.Message)}</span>` : null}</li>`)}</ol>`;
}

function Report({ id, onClose }: { id: string; onClose: () => void }): VNode {
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => card.current?.scrollIntoView({ block: 'start' }), [id]);
  const r = useLoad(() => api<{ deployment: Row; report: unknown }>('GET', `/api/deploys/${seg(id)}/report`), [id]);
  const d = r.data?.deployment;
  return html`<div class="card" data-report=${id} ref=${card}>
    <div class="page-head"><h2>Report ${id}</h2><button type="button" onClick=${onClose}>Close</button></div>
    <${ErrorLine} error=${r.error} />
    ${d ? html`<dl class="facts">
        <dt>Status</dt><dd><${StatusBadge} status=${d.Status} /></dd>
        <dt>Started</dt><dd>${when(d.StartedAt)}</dd><dt>Duration</dt><dd>${duration(d.Duration)}</dd>
        <dt>Strategy</dt><dd>${text(d.Strategy)}</dd><dt>Backup</dt><dd class="mono">${text(d.BackupId)}</dd>
        ${d.FailedStep ? html`<dt>Failed step</dt><dd>${text(d.FailedStep)}</dd>` : null}
        ${d.Error ? html`<dt>Error</dt><dd>${text(d.Error)}</dd>` : null}
      </dl>
      <h2>Steps</h2><${Steps} steps=${Array.isArray(d.Steps) ? (d.Steps as Row[]) : []} />
      ${r.data?.report ? html`<details><summary>The whole report (JSON)</summary><pre class="report">${JSON.stringify(r.data.report, null, 2)}</pre></details>`
        : html`<p class="muted">This deployment has no report file.</p>`}` : r.loading ? html`<p class="muted">Loading…</p>` : null}
  </div>`;
}

export function DeploysPage({ session }: PageProps): VNode {
  const history = useLoad(() => api<{ items: Row[] }>('GET', `/api/deploys${query({ last: 20 })}`));
  const [run, setRun] = useState<Run | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const [skipBuild, setSkipBuild] = useState(false);
  const [dialog, ask] = useConfirm();
  const act = useAction();
  const operator = can(session, 'operator');

  useEffect(() => onLive((m) => {
    if (m.type === 'deploy.step') {
      setRun((r) => (r && r.id === m.id ? { ...r, steps: upsert(r.steps, m.step) } : r ?? { id: m.id, steps: [m.step] }));
    } else if (m.type === 'deploy.end') {
      setRun((r) => (r && r.id === m.id ? { ...r, end: { deployment: m.deployment ?? null, error: m.error } } : r));
      history.reload();
    }
  }), []);

  const start = () => act.run(async () => {
    const r = await api<{ id: string }>('POST', '/api/deploys', { skipBuild });
    setRun((cur) => (cur && cur.id === r.id ? cur : { id: r.id, steps: [] }));
  });
  const undo = (id: string) => act.run(async () => {
    await api('POST', `/api/deploys/${seg(id)}/undo`);
    history.reload();
  });
  const running = run !== null && !run.end;
  const endText = run?.end ? (run.end.error ? `The deploy failed: ${text(run.end.error)}` : `The deploy ended: ${text(run.end.deployment?.Status)}.`) : '';

  return html`<${Page} name="deploys" title="Deploys" tools=${operator ? html`
      <label class="check"><input type="checkbox" checked=${skipBuild} onChange=${(e: Event) => setSkipBuild((e.target as HTMLInputElement).checked)} /> Skip build</label>
      <button type="button" class="primary" data-action="deploy" disabled=${act.busy || running}
        onClick=${() => ask({ text: `Deploy the project now${skipBuild ? ' (without building)' : ''}?`, label: 'Deploy', run: start })}>Deploy</button>` : null}>
    <${ErrorLine} error=${act.error} />
    ${run ? html`<div class="card" data-deploy-run=${run.id}>
      <h2>${running ? 'Deploying…' : 'Last deploy from here'}</h2>
      <${Steps} steps=${run.steps} />
      ${run.end ? html`<p class=${run.end.error || run.end.deployment?.Status !== 'Succeeded' ? 'error' : 'ok'} data-deploy-end>${endText}</p>` : null}
    </div>` : null}
    ${report ? html`<${Report} id=${report} onClose=${() => setReport(null)} />` : null}
    <div class="card">
      <h2>History</h2>
      <${ErrorLine} error=${history.error} />
      ${history.data ? html`<${Table} rows=${history.data.items ?? []} rowKey=${(r: Row) => String(r.Id)} rowAttrs=${(r: Row) => ({ 'data-deployment': String(r.Id) })}
        columns=${[
          { key: 'Id', label: 'Id', cls: 'mono' },
          { key: 'Status', label: 'Status', value: (r: Row) => html`<${StatusBadge} status=${r.Status} />` },
          { key: 'StartedAt', label: 'Started', value: (r: Row) => when(r.StartedAt) },
          { key: 'Duration', label: 'Duration', value: (r: Row) => duration(r.Duration) },
          { key: 'FailedStep', label: 'Failed step' },
          { key: 'open', label: 'Open', value: (r: Row) => html`<div class="row-actions">
            <button type="button" data-open-report onClick=${() => setReport(String(r.Id))}>Report</button>
            ${operator ? html`<button type="button" class="danger" data-action="undo" disabled=${act.busy}
              onClick=${() => ask({ text: `Undo deployment ${String(r.Id)}? A failed one is rolled back; a successful blue/green one switches back to the release before it.`, label: 'Undo', danger: true, run: () => undo(String(r.Id)) })}>Undo</button>` : null}</div>` },
        ]} empty="No deployment yet." />` : history.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
    ${dialog}
  <//>`;
}

/** The step list with this step added, or replacing the earlier record of the same step (Running, then its end). */
function upsert(steps: Row[], step: Row): Row[] {
  const i = steps.findIndex((s) => s.Name === step.Name);
  if (i < 0) return [...steps, step];
  const next = [...steps];
  next[i] = step;
  return next;
}
