//! Settings → Devices: app passwords for phones, tablets and desktop apps. A device
//! gets its own password (made here, shown once, in groups of five letters), so
//! revoking it signs out that device alone. Right after creation the pane shows what
//! sets a phone up in one scan: a QR code of the link DAVx5 opens (it carries the
//! password; it is only ever on screen), and for Apple devices a QR code of a
//! single-use, ten-minute link to the configuration profile (.mobileconfig, no
//! password inside: iOS asks for it on install) with a download button.
import {
  createAppPassword,
  downloadProfile,
  listAppPasswords,
  makeProfileLink,
  revokeAppPassword,
  type AppPassword,
  type NewAppPassword,
} from '../account';
import { currentLanguage, t } from '../i18n';
import { copy, refusal } from './calendar-dialogs';
import { clear, h } from './dom';
import { field, openModal, showModal } from './modal';
import { qrCode } from './qr';
import { registerSettingsPane } from './settings';
import { toast } from './toast';
import '../styles/devices.css';

const when = (iso: string) =>
  new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A read-only text with a copy button. */
function copyable(id: string, label: string, value: string, cls = ''): HTMLElement {
  const input = h('input', { id, type: 'text', readonly: true, value, class: `copy-value ${cls}`, spellcheck: 'false' });
  const button = h('button', { type: 'button', class: 'btn' }, t('devices.copy'));
  button.setAttribute('aria-label', t('devices.copyWhat', { what: label }));
  button.addEventListener('click', async () => {
    try {
      await copy(value, input);
      toast(t('devices.copied'));
    } catch {
      toast(t('devices.copyFailed'), undefined, 'error');
    }
  });
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('div', { class: 'copy-row' }, input, button));
}

function confirmRevoke(label: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const m = openModal(t('devices.revokeTitle', { label }), () => resolve(answer));
    m.form.append(h('p', {}, t('devices.revokeText', { label })));
    m.actions.append(
      h('button', { type: 'submit', class: 'btn btn-danger' }, t('devices.revokeConfirm')),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      answer = true;
      m.close();
    });
    showModal(m);
    (m.actions.lastElementChild as HTMLElement).focus();
  });
}

/** The Apple half of the result: a fresh single-use link as a QR code, and a download. */
function appleSetup(): HTMLElement {
  const box = h('div', { class: 'qr-box' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const again = h('button', { type: 'button', class: 'btn' }, t('devices.newQr'));
  const show = async () => {
    clear(box);
    try {
      const link = await makeProfileLink();
      const until = new Intl.DateTimeFormat(currentLanguage(), { timeStyle: 'short' }).format(new Date(link.expiresAt));
      box.append(qrCode(link.url, t('devices.appleQr')));
      status.textContent = t('devices.appleQrNote', { time: until });
    } catch (e) {
      status.textContent = refusal(e);
    }
  };
  again.addEventListener('click', () => void show());
  void show();
  const download = h('button', { type: 'button', class: 'btn' }, t('devices.download'));
  download.addEventListener('click', async () => {
    try {
      await downloadProfile();
    } catch (e) {
      toast(refusal(e), undefined, 'error');
    }
  });
  return h(
    'section',
    { class: 'device-setup', 'aria-labelledby': 'apple-h' },
    h('h4', { id: 'apple-h' }, t('devices.apple')),
    box,
    status,
    h('p', {}, t('devices.appleHelp')),
    h('div', { class: 'device-actions' }, download, again),
  );
}

/** What is shown once after creation. */
function created(made: NewAppPassword, done: () => void): HTMLElement {
  const groups = h('p', { class: 'app-password', 'aria-label': t('devices.passwordSpelled', { value: made.password.split('').join(' ') }) });
  for (const g of made.password.split('-')) groups.append(h('span', {}, g));
  const android = made.davx5
    ? h(
        'section',
        { class: 'device-setup', 'aria-labelledby': 'davx5-h' },
        h('h4', { id: 'davx5-h' }, t('devices.android')),
        h('div', { class: 'qr-box' }, qrCode(made.davx5, t('devices.davx5Qr'))),
        h('p', {}, t('devices.davx5Help')),
        copyable('davx5-link', t('devices.davx5Link'), made.davx5),
      )
    : null;
  const close = h('button', { type: 'button', class: 'btn btn-primary' }, t('devices.done'));
  close.addEventListener('click', done);
  return h(
    'section',
    { class: 'device-created', 'aria-labelledby': 'created-h', tabindex: '-1' },
    h('h3', { id: 'created-h' }, t('devices.createdTitle', { label: made.label })),
    h('p', {}, t('devices.onceNote')),
    groups,
    copyable('app-password', t('devices.password'), made.password, 'mono'),
    copyable('login-name', t('devices.login'), made.login),
    made.server ? copyable('server-url', t('devices.server'), made.server) : null,
    h('div', { class: 'device-grid' }, android, appleSetup()),
    h('div', { class: 'device-done' }, close),
  );
}

function devicesPane(): HTMLElement {
  const root = h('div', { class: 'devices' });
  const result = h('div', {});
  const list = h('ul', { class: 'device-list', 'aria-labelledby': 'devices-list-h' });
  const empty = h('p', { class: 'muted' }, t('devices.none'));

  const draw = (apps: AppPassword[]) => {
    clear(list);
    empty.hidden = apps.length > 0;
    for (const app of apps) {
      const revoke = h('button', { type: 'button', class: 'btn btn-danger' }, t('devices.revoke'));
      revoke.setAttribute('aria-label', t('devices.revokeWhat', { label: app.label }));
      revoke.addEventListener('click', async () => {
        if (!(await confirmRevoke(app.label))) return;
        try {
          await revokeAppPassword(app.label);
          toast(t('devices.revoked', { label: app.label }));
          await reload();
        } catch (e) {
          toast(refusal(e), undefined, 'error');
        }
      });
      list.append(
        h('li', {}, h('span', { class: 'device-name' }, app.label), h('span', { class: 'muted' }, t('devices.since', { date: when(app.created) })), revoke),
      );
    }
  };
  const reload = async () => {
    try {
      draw(await listAppPasswords());
    } catch (e) {
      empty.hidden = false;
      empty.textContent = refusal(e);
    }
  };

  const label = h('input', { id: 'device-label', type: 'text', required: true, maxlength: 100, autocomplete: 'off', placeholder: t('devices.labelExample') });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'settings-form device-form', novalidate: true },
    field(t('devices.label'), label),
    error,
    h('div', { class: 'editor-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('devices.create'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!label.value.trim()) {
      error.textContent = t('devices.labelNeeded');
      label.focus();
      return;
    }
    try {
      const made = await createAppPassword(label.value.trim());
      label.value = '';
      clear(result);
      const card = created(made, () => {
        clear(result);
        label.focus();
      });
      result.append(card);
      card.focus();
      await reload();
    } catch (err) {
      const code = (err as { code?: string }).code;
      error.textContent = code === 'exists' ? t('devices.exists') : refusal(err);
    }
  });

  root.append(
    h('p', {}, t('devices.intro')),
    form,
    result,
    h('h3', { id: 'devices-list-h' }, t('devices.listTitle')),
    empty,
    list,
  );
  void reload();
  return root;
}

registerSettingsPane({ id: 'devices', label: 'settings.devices', order: 20, render: devicesPane });
