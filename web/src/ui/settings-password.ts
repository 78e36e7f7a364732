//! Settings → Password: the account password of a local account, changed after the
//! current one is typed (the server checks it like a sign-in, with the same back-off).
//! This browser stays signed in; the user's other browsers are signed out. Accounts
//! that sign in through LDAP or single sign-on are told where their password lives.
import { ApiError } from '../api';
import { changePassword } from '../account';
import { t } from '../i18n';
import { refusal } from './calendar-dialogs';
import { h } from './dom';
import { field } from './modal';
import { registerSettingsPane } from './settings';
import { toast } from './toast';
import '../styles/devices.css';

const MIN_LENGTH = 8;

function passwordPane(): HTMLElement {
  const input = (id: string, autocomplete: string) =>
    h('input', { id, type: 'password', required: true, autocomplete, spellcheck: 'false' });
  const current = input('pw-current', 'current-password');
  const next = input('pw-new', 'new-password');
  const again = input('pw-again', 'new-password');
  next.setAttribute('minlength', String(MIN_LENGTH));
  next.setAttribute('aria-describedby', 'pw-rule');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('password.change'));
  const form = h(
    'form',
    { class: 'settings-form', novalidate: true },
    h('p', {}, t('password.intro')),
    field(t('password.current'), current),
    field(t('password.new'), next),
    h('p', { id: 'pw-rule', class: 'muted' }, t('password.rule', { count: MIN_LENGTH })),
    field(t('password.again'), again),
    error,
    h('div', { class: 'editor-actions' }, submit),
  );
  const fail = (message: string, focus: HTMLInputElement) => {
    error.textContent = message;
    focus.focus();
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!current.value) return fail(t('password.currentNeeded'), current);
    if ([...next.value].length < MIN_LENGTH) return fail(t('password.rule', { count: MIN_LENGTH }), next);
    if (next.value !== again.value) return fail(t('password.mismatch'), again);
    submit.disabled = true;
    try {
      await changePassword(current.value, next.value);
      form.reset();
      toast(t('password.changed'));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      if (code === 'wrong-password') fail(t('password.wrong'), current);
      else if (code === 'weak-password') fail(t('password.rule', { count: MIN_LENGTH }), next);
      else if (code === 'not-local') fail(t('password.notLocal'), current);
      else if (code === 'throttled') fail(t('password.throttled', { count: (err as ApiError).retryAfter ?? 60 }), current);
      else fail(refusal(err), current);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

registerSettingsPane({ id: 'password', label: 'settings.password', order: 10, render: passwordPane });
