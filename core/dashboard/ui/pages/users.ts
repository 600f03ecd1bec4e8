/// <reference lib="dom" />
/**
 * Users (#/users, admin): the dashboard's users (GET /api/users), a new one (POST /api/users), removing one
 * (DELETE /api/users/:name) after a confirmation. The first admin is always made from PowerShell.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, seg } from '../api';
import { ErrorLine, Page, Table, text, useAction, useConfirm, useLoad, when, type PageProps, type Row } from '../ui';

const ROLES = ['viewer', 'operator', 'admin'];

export function UsersPage({ session }: PageProps): VNode {
  const list = useLoad(() => api<{ items: Row[] }>('GET', '/api/users'));
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState('');
  const [dialog, ask] = useConfirm();
  const add = useAction();
  const remove = useAction();
  const input = (set: (s: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);

  const submit = (e: Event) => {
    e.preventDefault();
    void add.run(async () => {
      setDone('');
      await api('POST', '/api/users', { name: name.trim(), role, password });
      setDone(`${name.trim()} added as ${role}.`);
      setName('');
      setPassword('');
      list.reload();
    });
  };
  const removeUser = (n: string) => remove.run(async () => {
    setDone('');
    await api('DELETE', `/api/users/${seg(n)}`);
    setDone(`${n} removed.`);
    list.reload();
  });

  return html`<${Page} name="users" title="Users">
    <${ErrorLine} error=${list.error ?? remove.error} />
    ${done ? html`<p class="ok" role="status">${done}</p>` : null}
    <div class="card">
      ${list.data ? html`<${Table} rows=${list.data.items ?? []} rowKey=${(r: Row) => String(r.Name)} rowAttrs=${(r: Row) => ({ 'data-user': String(r.Name) })}
        columns=${[
          { key: 'Name', label: 'Name', cls: 'strong' },
          { key: 'Role', label: 'Role' },
          { key: 'Created', label: 'Created', value: (r: Row) => when(r.Created) },
          { key: 'Updated', label: 'Updated', value: (r: Row) => when(r.Updated) },
          { key: 'actions', label: 'Actions', value: (r: Row) => (String(r.Name).toLowerCase() === session.user.toLowerCase() ? html`<span class="muted">you</span>`
            : html`<button type="button" class="danger" data-action="remove-user" disabled=${remove.busy}
              onClick=${() => ask({ text: `Remove the user ${text(r.Name)}? Their sessions end at once.`, label: 'Remove', danger: true, run: () => removeUser(String(r.Name)) })}>Remove</button>`) },
        ]} empty="No users." />` : list.loading ? html`<p class="muted">Loading…</p>` : null}
    </div>
    <form class="card form" onSubmit=${submit} data-user-form>
      <h2>Add a user</h2>
      <label for="user-name">Name</label>
      <input id="user-name" required maxLength=${64} pattern="[A-Za-z0-9._-]+" value=${name} onInput=${input(setName)} autocomplete="off" />
      <label for="user-role">Role</label>
      <select id="user-role" value=${role} onChange=${input(setRole)}>${ROLES.map((r) => html`<option key=${r} value=${r}>${r}</option>`)}</select>
      <label for="user-password">Password (12 characters or more)</label>
      <input id="user-password" type="password" required minLength=${12} value=${password} onInput=${input(setPassword)} autocomplete="new-password" />
      <${ErrorLine} error=${add.error} />
      <div><button type="submit" class="primary" data-action="new-user" disabled=${add.busy}>Add user</button></div>
    </form>
    ${dialog}
  <//>`;
}
