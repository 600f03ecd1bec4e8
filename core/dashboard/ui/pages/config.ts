/// <reference lib="dom" />
/**
 * Configuration (#/config): every key with its value, secrets masked by the server (GET /api/config, never revealed);
 * an admin sets one key (PUT /api/config {key, value}: config.set's validation, its refusal shown as it says).
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { can, ErrorLine, Page, Table, text, useAction, useLoad, type PageProps, type Row } from '../ui';

const MASK = '********';
const ABOUT = new Set(['$type', 'ProjectPath', 'ConfigPath', 'OverlayPath']);

export function ConfigPage({ session }: PageProps): VNode {
  const cfg = useLoad(() => api<{ config: Row }>('GET', '/api/config'));
  const [filter, setFilter] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState('');
  const act = useAction();
  const admin = can(session, 'admin');
  const config = cfg.data?.config ?? {};
  const f = filter.trim().toLowerCase();
  const rows = Object.entries(config).filter(([k]) => !ABOUT.has(k) && (!f || k.toLowerCase().includes(f))).map(([k, v]) => ({ Key: k, Value: v }));

  const edit = (k: string) => {
    setKey(k);
    setValue(config[k] === MASK ? '' : text(config[k]) === '—' ? '' : String(config[k]));
    setSaved('');
    act.clear();
    setTimeout(() => document.getElementById('config-value')?.focus(), 0);
  };
  const save = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      setSaved('');
      await api('PUT', '/api/config', { key: key.trim(), value });
      setSaved(`${key.trim()} saved.`);
      cfg.reload();
    });
  };
  const input = (set: (s: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);

  return html`<${Page} name="config" title="Configuration">
    <${ErrorLine} error=${cfg.error} />
    ${config.ConfigPath ? html`<p class="muted">From <span class="mono">${text(config.ConfigPath)}</span>${config.OverlayPath ? html` and <span class="mono">${text(config.OverlayPath)}</span>` : null}. Secrets are masked.</p>` : null}
    ${admin ? html`<form class="card form" onSubmit=${save} data-config-form>
      <h2>Set a key</h2>
      <label for="config-key">Key</label>
      <input id="config-key" list="config-keys" required value=${key} onInput=${input(setKey)} autocomplete="off" />
      <datalist id="config-keys">${rows.map((r) => html`<option key=${r.Key} value=${r.Key} />`)}</datalist>
      <label for="config-value">Value${config[key] === MASK ? ' (a secret: type the new value)' : ''}</label>
      <input id="config-value" type=${config[key] === MASK ? 'password' : 'text'} value=${value} onInput=${input(setValue)} autocomplete="off" />
      <${ErrorLine} error=${act.error} />
      ${saved ? html`<p class="ok" role="status">${saved}</p>` : null}
      <div><button type="submit" class="primary" data-action="save" disabled=${act.busy || !key.trim()}>Save</button></div>
    </form>` : null}
    <div class="card">
      <div class="filters"><div><label for="config-filter">Filter keys</label>
        <input id="config-filter" value=${filter} onInput=${input(setFilter)} placeholder="e.g. DB_" /></div></div>
      ${cfg.data ? html`<${Table} rows=${rows} rowKey=${(r: Row) => String(r.Key)} rowAttrs=${(r: Row) => ({ 'data-key': String(r.Key) })}
        columns=${[
          { key: 'Key', label: 'Key', cls: 'mono' },
          { key: 'Value', label: 'Value', cls: 'mono' },
          ...(admin ? [{ key: 'edit', label: 'Edit', value: (r: Row) => html`<button type="button" data-edit-key=${String(r.Key)} onClick=${() => edit(String(r.Key))}>Edit</button>` }] : []),
        ]} empty="No key matches." />` : cfg.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
  <//>`;
}
