/// <reference lib="dom" />
/**
 * The dashboard's browser client: the session (GET /api/session, or the login page), the hash router
 * (#/overview ... #/login), the navigation (pages the role may see) and the live socket while signed in.
 */
import { html } from 'htm/preact';
import { render, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, roleAtLeast, setCsrf, whenSignedOut, type Role, type Session } from './api';
import { onLiveState, startLive, stopLive } from './live';
import { AuditPage } from './pages/audit';
import { BackupsPage } from './pages/backups';
import { ConfigPage } from './pages/config';
import { DeploysPage } from './pages/deploys';
import { LoginPage } from './pages/login';
import { LogsPage } from './pages/logs';
import { OverviewPage } from './pages/overview';
import { ServicesPage } from './pages/services';
import { UsersPage } from './pages/users';
import type { PageProps } from './ui';

interface Route { id: string; label: string; role: Role; page: (p: PageProps) => VNode }
const ROUTES: Route[] = [
  { id: 'overview', label: 'Overview', role: 'viewer', page: OverviewPage },
  { id: 'services', label: 'Services', role: 'viewer', page: ServicesPage },
  { id: 'logs', label: 'Logs', role: 'viewer', page: LogsPage },
  { id: 'deploys', label: 'Deploys', role: 'viewer', page: DeploysPage },
  { id: 'backups', label: 'Backups', role: 'viewer', page: BackupsPage },
  { id: 'config', label: 'Configuration', role: 'viewer', page: ConfigPage },
  { id: 'users', label: 'Users', role: 'admin', page: UsersPage },
  { id: 'audit', label: 'Audit', role: 'admin', page: AuditPage },
];

const currentHash = () => location.hash.replace(/^#\/?/, '').split('?')[0] || 'overview';

function useHash(): string {
  const [h, setH] = useState(currentHash());
  useEffect(() => {
    const on = () => setH(currentHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return h;
}

function LiveDot(): VNode {
  const [open, setOpen] = useState(false);
  useEffect(() => onLiveState(setOpen), []);
  return html`<span class=${`live ${open ? 'live-on' : ''}`} title=${open ? 'Live updates on' : 'Live updates reconnecting'}>${open ? 'live' : 'offline'}</span>`;
}

function Shell({ session, route, onLogout }: { session: Session; route: Route; onLogout: () => void }): VNode {
  const [menu, setMenu] = useState(false);
  const Page = route.page;
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="#/overview">Woosoo</a>
      <button type="button" class="menu-toggle" aria-expanded=${menu} aria-controls="nav" onClick=${() => setMenu(!menu)}>Menu</button>
      <nav id="nav" class=${menu ? 'open' : ''} onClick=${() => setMenu(false)}>
        ${ROUTES.filter((r) => roleAtLeast(session.role, r.role)).map((r) => html`<a href=${`#/${r.id}`} class=${r.id === route.id ? 'active' : ''}
          aria-current=${r.id === route.id ? 'page' : undefined}>${r.label}</a>`)}
      </nav>
      <div class="who"><${LiveDot} /><span class="user">${session.user} (${session.role})</span>
        <button type="button" data-action="logout" onClick=${onLogout}>Sign out</button></div>
    </header>
    <main><${Page} key=${route.id} session=${session} /></main>
  </div>`;
}

function App(): VNode {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const hash = useHash();
  const signedIn = (s: Session | null) => {
    setCsrf(s?.csrfToken ?? '');
    setSession(s);
    if (s) startLive(); else stopLive();
  };
  useEffect(() => {
    whenSignedOut(() => signedIn(null));
    api<Session>('GET', '/api/session').then(signedIn, () => signedIn(null));
  }, []);
  // The socket dropped: if the session is over (expired, ended by an admin), the 401 shows the login page.
  useEffect(() => {
    if (!session) return undefined;
    let wasOpen = false;
    return onLiveState((open) => {
      if (wasOpen && !open) api('GET', '/api/session').catch(() => undefined);
      wasOpen = open;
    });
  }, [session]);
  useEffect(() => {
    if (session === null && hash !== 'login') location.hash = '#/login';
    if (session && hash === 'login') location.hash = '#/overview';
  }, [session, hash]);

  if (session === undefined) return html`<p class="muted center">Loading…</p>`;
  if (session === null) return html`<${LoginPage} onSignedIn=${signedIn} />`;
  const route = ROUTES.find((r) => r.id === hash && roleAtLeast(session.role, r.role)) ?? ROUTES[0];
  const logout = () => { api('POST', '/api/logout').catch(() => undefined).finally(() => signedIn(null)); };
  return html`<${Shell} session=${session} route=${route} onLogout=${logout} />`;
}

render(html`<${App} />`, document.getElementById('app') as HTMLElement);
