//! Administration › Users: every account with its storage use against its quota and
//! whether it administers or is disabled; create (a generated password is shown once),
//! edit (name is fixed; administrator, quota), reset the password, disable or enable
//! (asked first: it ends the person's sessions at once) and delete (asked first).
import { changeUser, createUser, deleteUser, listUsers, type AdminUser } from '../admin-api';
import { t } from '../i18n';
import { state } from '../state';
import { h } from './dom';
import { field, openModal, showModal, type Modal } from './modal';
import type { SectionContext } from './sections';
import { adminError, busy, button, bytes, confirmDialog, load, registerAdminPane, table, toolbar } from './admin';

/** The quota controls: the server's, unlimited, or a number of megabytes. */
function quotaControls(m: Modal, current: number | null): { el: HTMLElement; value: () => number | null | 'bad' } {
  const mode = h('select', { id: m.id('quota-mode') });
  const kind = current === null ? 'server' : current === 0 ? 'none' : 'own';
  for (const [v, label] of [['server', t('admin.users.quotaServer')], ['none', t('admin.users.quotaNone')], ['own', t('admin.users.quotaOwn')]]) {
    mode.append(h('option', { value: v, selected: v === kind }, label));
  }
  const mb = h('input', { id: m.id('quota-mb'), type: 'number', min: '1', step: '1', inputmode: 'numeric', value: current ? String(Math.round(current / 1e6)) : '100' });
  const mbField = field(t('admin.users.quotaMb'), mb);
  const sync = () => (mbField.hidden = mode.value !== 'own');
  mode.addEventListener('change', sync);
  sync();
  const el = h('div', { class: 'row' }, field(t('admin.users.quota'), mode), mbField);
  const value = () => {
    if (mode.value === 'server') return null;
    if (mode.value === 'none') return 0;
    const n = Number(mb.value);
    return Number.isInteger(n) && n > 0 ? n * 1e6 : 'bad';
  };
  return { el, value };
}

/** Shows a password once, with a button to copy it. */
function showPassword(title: string, who: string, password: string): void {
  const m = openModal(title);
  const out = h('output', { class: 'admin-secret', id: m.id('secret') }, password);
  m.form.append(h('p', {}, t('admin.users.passwordOnce', { name: who })), out);
  m.actions.append(
    h('button', { type: 'button', class: 'btn', onclick: () => void navigator.clipboard?.writeText(password).catch(() => {}) }, t('admin.copy')),
    h('button', { type: 'button', class: 'btn btn-primary', onclick: m.close }, t('common.close')),
  );
  showModal(m);
}

function createDialog(done: () => void): void {
  const m = openModal(t('admin.users.new'));
  const login = h('input', { id: m.id('login'), type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const name = h('input', { id: m.id('name'), type: 'text', autocomplete: 'off' });
  const email = h('input', { id: m.id('email'), type: 'email', autocomplete: 'off' });
  const password = h('input', { id: m.id('password'), type: 'password', autocomplete: 'new-password', 'aria-describedby': m.id('pw-hint') });
  const admin = h('input', { id: m.id('admin'), type: 'checkbox' });
  const quota = quotaControls(m, null);
  m.form.append(
    field(t('admin.users.login'), login),
    field(t('admin.users.displayName'), name),
    field(t('admin.email'), email),
    field(t('admin.users.password'), password),
    h('p', { class: 'hint', id: m.id('pw-hint') }, t('admin.users.passwordHint')),
    quota.el,
    h('div', { class: 'check' }, admin, h('label', { for: admin.id }, t('admin.users.administrator'))),
  );
  m.actions.append(
    h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.create')),
  );
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = quota.value();
    if (!login.value.trim()) return void ((m.error.textContent = t('admin.users.loginMissing')), login.focus());
    if (q === 'bad') return void (m.error.textContent = t('admin.users.quotaBad'));
    let made: { user: AdminUser; password?: string } | undefined;
    const ok = await busy(m, async () => {
      made = await createUser({
        login: login.value.trim(),
        displayName: name.value.trim() || undefined,
        email: email.value.trim() || undefined,
        password: password.value || undefined,
        administrator: admin.checked,
        quotaBytes: q,
      });
    });
    if (!ok || !made) return;
    m.close();
    done();
    if (made.password) showPassword(t('admin.users.created'), made.user.login, made.password);
  });
  showModal(m);
}

function editDialog(u: AdminUser, done: () => void): void {
  const m = openModal(t('admin.users.edit', { name: u.login }));
  const admin = h('input', { id: m.id('admin'), type: 'checkbox', checked: u.administrator, disabled: u.login === state.session?.login });
  const quota = quotaControls(m, u.quotaBytes);
  m.form.append(quota.el, h('div', { class: 'check' }, admin, h('label', { for: admin.id }, t('admin.users.administrator'))));
  m.actions.append(
    h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')),
  );
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = quota.value();
    if (q === 'bad') return void (m.error.textContent = t('admin.users.quotaBad'));
    if (await busy(m, async () => void (await changeUser(u.login, { quotaBytes: q, administrator: admin.checked })))) {
      m.close();
      done();
    }
  });
  showModal(m);
}

function resetDialog(u: AdminUser, done: () => void): void {
  const m = openModal(t('admin.users.reset', { name: u.login }));
  const password = h('input', { id: m.id('password'), type: 'password', autocomplete: 'new-password', 'aria-describedby': m.id('pw-hint') });
  m.form.append(field(t('admin.users.newPassword'), password), h('p', { class: 'hint', id: m.id('pw-hint') }, t('admin.users.passwordHint')));
  m.actions.append(
    h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.users.resetShort')),
  );
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let generated: string | undefined;
    const ok = await busy(m, async () => {
      const r = await changeUser(u.login, password.value ? { password: password.value } : { resetPassword: true });
      generated = r.password;
    });
    if (!ok) return;
    m.close();
    done();
    if (generated) showPassword(t('admin.users.resetDone'), u.login, generated);
  });
  showModal(m);
}

function usage(u: AdminUser): HTMLElement {
  const used = bytes(u.usedBytes);
  if (u.effectiveQuotaBytes === null) return h('span', {}, t('admin.users.usedOf', { used, quota: t('admin.users.unlimited') }));
  const pct = Math.min(100, Math.round((u.usedBytes / Math.max(1, u.effectiveQuotaBytes)) * 100));
  return h('span', { class: 'admin-usage' },
    t('admin.users.usedOf', { used, quota: bytes(u.effectiveQuotaBytes) }),
    h('meter', { min: '0', max: '100', value: String(pct), 'aria-label': t('admin.users.usedPct', { pct }) }));
}

function render(host: HTMLElement, ctx: SectionContext): void {
  const again = () => render(host, ctx);
  void load(host, ctx, listUsers, ({ users }) => {
    const { bar, say } = toolbar(button(t('admin.users.new'), () => createDialog(again), { primary: true }));
    const me = state.session?.login;
    const rows = table<AdminUser>(
      t('admin.users.title'),
      [
        { label: 'admin.users.login', cell: (u) => h('span', { class: 'admin-name' }, h('strong', {}, u.login), u.displayName !== u.login ? h('span', { class: 'admin-sub' }, u.displayName) : null) },
        { label: 'admin.email', cell: (u) => u.emails.join(', ') || '–' },
        {
          label: 'admin.users.state',
          cell: (u) => h('span', { class: 'admin-badges' },
            u.disabled ? h('span', { class: 'badge badge-off' }, t('admin.users.disabled')) : h('span', { class: 'badge' }, t('admin.users.active')),
            u.administrator ? h('span', { class: 'badge badge-admin' }, t('admin.users.administrator')) : null),
        },
        { label: 'admin.users.storage', cell: usage },
      ],
      users,
      (u) => [
        button(t('admin.edit'), () => editDialog(u, again), { aria: t('admin.users.edit', { name: u.login }) }),
        button(t('admin.users.resetShort'), () => resetDialog(u, again), { aria: t('admin.users.reset', { name: u.login }) }),
        u.login === me
          ? null
          : u.disabled
            ? button(t('admin.users.enable'), async () => {
                try {
                  await changeUser(u.login, { disabled: false });
                  again();
                } catch (e) {
                  say(adminError(e), true);
                }
              }, { aria: t('admin.users.enableName', { name: u.login }) })
            : button(t('admin.users.disable'), () => confirmDialog(t('admin.users.disableTitle', { name: u.login }), t('admin.users.disableQuestion', { name: u.login }), t('admin.users.disable'), async () => {
                await changeUser(u.login, { disabled: true });
                again();
              }), { aria: t('admin.users.disableName', { name: u.login }) }),
        u.login === me
          ? null
          : button(t('admin.delete'), () => confirmDialog(t('admin.users.deleteTitle', { name: u.login }), t('admin.users.deleteQuestion', { name: u.login }), t('admin.delete'), async () => {
              await deleteUser(u.login);
              again();
            }), { danger: true, aria: t('admin.deleteName', { name: u.login }) }),
      ].filter((b): b is HTMLButtonElement => !!b),
    );
    host.append(bar, rows);
  });
}

registerAdminPane({ id: 'users', label: 'admin.users.title', render });
