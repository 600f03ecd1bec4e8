/// <reference lib="dom" />
/**
 * The one WebSocket to /api/live: opened after sign-in, reopened after a drop (1 s, doubling to 15 s), closed at
 * sign-out. Messages go to every listener; the log subscription is remembered and sent again after a reconnect.
 */

export type LiveMessage =
  | { type: 'hello'; user: string; role: string }
  | { type: 'services'; items: Record<string, unknown>[] }
  | { type: 'log'; service: string; entry: Record<string, unknown> }
  | { type: 'deploy.step'; id: string; step: Record<string, unknown> }
  | { type: 'deploy.end'; id: string; deployment?: Record<string, unknown>; error?: unknown };

export interface Follow { type: 'follow'; service: string; level?: string; pattern?: string }

type Listener = (m: LiveMessage) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(open: boolean) => void>();
let ws: WebSocket | null = null;
let wanted = false;
let delay = 1000;
let timer: ReturnType<typeof setTimeout> | undefined;
let follow: Follow | null = null;
let open = false;

function setOpen(v: boolean): void {
  open = v;
  for (const l of stateListeners) l(v);
}

function connect(): void {
  if (!wanted || ws) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`;
  const s = new WebSocket(url);
  ws = s;
  s.onopen = () => {
    delay = 1000;
    setOpen(true);
    if (follow) s.send(JSON.stringify(follow));
  };
  s.onmessage = (ev) => {
    let m: LiveMessage;
    try {
      m = JSON.parse(String(ev.data)) as LiveMessage;
    } catch {
      return;
    }
    for (const l of listeners) l(m);
  };
  s.onclose = () => {
    ws = null;
    setOpen(false);
    if (!wanted) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  };
}

export function startLive(): void {
  wanted = true;
  connect();
}

export function stopLive(): void {
  wanted = false;
  follow = null;
  clearTimeout(timer);
  ws?.close();
  ws = null;
}

export function onLive(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function onLiveState(fn: (open: boolean) => void): () => void {
  stateListeners.add(fn);
  fn(open);
  return () => stateListeners.delete(fn);
}

/** Follows one service's log (replacing any other subscription), or stops following with null. */
export function setFollow(f: Follow | null): void {
  follow = f;
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f ?? { type: 'unfollow' }));
}
