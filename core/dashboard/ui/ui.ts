/// <reference lib="dom" />
/**
 * The pieces every page shares: loading data, an error line, a table that becomes stacked rows on a phone, a status
 * badge, a confirmation dialog, and the formats of values. Everything the server sends is rendered as text (htm
 * children), never as HTML.
 */
import { html } from 'htm/preact';
import type { ComponentChildren, VNode } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, roleAtLeast, type Role, type Session } from './api';

export type Row = Record<string, unknown>;

export interface Loaded<T> { data: T | null; error: unknown; loading: boolean; reload: () => void; set: (d: T) => void }

/** Runs load on mount and on reload(); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then((d) => { if (live) { setData(d); setError(null); } }, (e) => { if (live) setError(e); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [tick, ...deps]);
  return { data, error, loading, reload: useCallback(() => setTick((t) => t + 1), []), set: setData };
}

export function message(err: unknown): string {
  if (err instanceof ApiError) return err.fix && !err.message.includes(err.fix) ? `${err.message} ${err.fix}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function ErrorLine({ error }: { error: unknown }): VNode | null {
  if (!error) return null;
  return html`<p class="error" role="alert" data-error>${message(error)}</p>`;
}

export interface Column { key: string; label: string; value?: (r: Row) => ComponentChildren; cls?: string }

/** A table; under 640 px each row is a card of "label: value" lines (the labels come from data-label). */
export function Table({ columns, rows, rowKey, rowAttrs, empty = 'Nothing yet.' }: {
  columns: Column[]; rows: Row[]; rowKey: (r: Row, i: number) => string; rowAttrs?: (r: Row) => Record<string, string>; empty?: string;
}): VNode {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table class="table">
    <thead><tr>${columns.map((c) => html`<th class=${c.cls ?? ''}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((r, i) => html`<tr key=${rowKey(r, i)} ...${rowAttrs ? rowAttrs(r) : {}}>
      ${columns.map((c) => html`<td class=${c.cls ?? ''} data-label=${c.label}>${c.value ? c.value(r) : text(r[c.key])}</td>`)}
    </tr>`)}</tbody>
  </table>`;
}

export function StatusBadge({ status }: { status: unknown }): VNode {
  const s = text(status);
  return html`<span class=${`badge badge-${s.toLowerCase().replace(/[^a-z]/g, '')}`} data-status>${s}</span>`;
}

/** Any value as text: null as a dash, objects as JSON. */
export function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join(', ');
  return JSON.stringify(v);
}

export function when(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toLocaleString();
}

export function bytes(v: unknown): string {
  if (typeof v !== 'number') return text(v);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = v;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A duration as the engine sends it (ISO 8601 "PT1M2.5S", "00:01:02.5000000", or milliseconds) in short form. */
export function duration(v: unknown): string {
  if (typeof v === 'number') return v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`;
  if (typeof v !== 'string') return text(v);
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(v);
  const clock = /^(?:(\d+)\.)?(\d+):(\d+):([\d.]+)$/.exec(v);
  const m = iso ?? clock;
  if (!m) return v;
  const [d, h, min, s] = [Number(m[1] ?? 0), Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${min}m`;
  if (min) return `${min}m ${Math.floor(s)}s`;
  return s < 10 ? `${Math.round(s * 10) / 10}s` : `${Math.round(s)}s`;
}

export interface Confirm { text: string; label: string; danger?: boolean; run: () => Promise<unknown> | void }

/**
 * A confirmation dialog: ask({text, label, run}) shows it; confirm runs the action, cancel (or Escape) closes it.
 * Returns the dialog to render and ask.
 */
export function useConfirm(): [VNode | null, (c: Confirm) => void] {
  const [pending, setPending] = useState<Confirm | null>(null);
  const dialog = pending
    ? html`<${Dialog} confirm=${pending} close=${() => setPending(null)} />`
    : null;
  return [dialog, setPending];
}

function Dialog({ confirm, close }: { confirm: Confirm; close: () => void }): VNode {
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    ok.current?.focus();
    const key = (e: KeyboardEvent) => { if (e.key === 'Escape') close(); };
    document.addEventListener('keydown', key);
    return () => document.removeEventListener('keydown', key);
  }, []);
  return html`<div class="backdrop">
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-text" data-confirm>
      <p id="confirm-text">${confirm.text}</p>
      <div class="actions">
        <button type="button" data-action="cancel" onClick=${close}>Cancel</button>
        <button type="button" ref=${ok} class=${confirm.danger ? 'danger' : 'primary'} data-action="confirm"
          onClick=${() => { close(); void confirm.run(); }}>${confirm.label}</button>
      </div>
    </div>
  </div>`;
}

/** Runs an action with a busy flag and its error kept for display. */
export function useAction(): { busy: boolean; error: unknown; run: (fn: () => Promise<unknown>) => Promise<void>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

/** Props of every page. */
export interface PageProps { session: Session }

export const can = (session: Session, role: Role): boolean => roleAtLeast(session.role, role);

export function Page({ name, title, children, tools }: { name: string; title: string; children: ComponentChildren; tools?: ComponentChildren }): VNode {
  return html`<section class="page" data-page=${name}>
    <div class="page-head"><h1>${title}</h1>${tools ? html`<div class="tools">${tools}</div>` : null}</div>
    ${children}
  </section>`;
}
