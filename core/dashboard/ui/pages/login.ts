/// <reference lib="dom" />
/** The login page (#/login): name and password, POST /api/login; a refusal or a lockout shown as the server says it. */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, type Session } from '../api';
import { ErrorLine, useAction } from '../ui';

export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }): VNode {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const act = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      const r = await api<{ user: string; role: Session['role']; csrfToken: string }>('POST', '/api/login', { name, password });
      setPassword('');
      onSignedIn({ user: r.user, role: r.role, csrfToken: r.csrfToken });
    });
  };
  return html`<section class="login" data-page="login">
    <form class="card login-card" onSubmit=${submit}>
      <h1>Woosoo</h1>
      <p class="muted">Sign in to the dashboard.</p>
      <label for="login-name">Name</label>
      <input id="login-name" name="name" autocomplete="username" required value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
      <label for="login-password">Password</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required value=${password}
        onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
      <${ErrorLine} error=${act.error} />
      <button type="submit" class="primary" disabled=${act.busy}>${act.busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  </section>`;
}
