//! The sign-in form: login and password posted to /api/login; wrong credentials,
//! throttling (with its wait) and other failures said in words, in an alert region.
import { ApiError, login, signInOptions, type Session } from '../api';
import { t } from '../i18n';
import { h } from './dom';
import { languageSwitch } from './language';

export function loginPage(onSignedIn: (s: Session) => void, rerender: () => void): HTMLElement {
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const user = h('input', { id: 'login', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    h('div', { class: 'field' }, h('label', { for: 'login' }, t('login.user')), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('login.password')), pass),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!user.value.trim() || !pass.value) {
      error.textContent = t('login.missing');
      (user.value.trim() ? pass : user).focus();
      return;
    }
    submit.disabled = true;
    try {
      onSignedIn(await login(user.value.trim(), pass.value));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'bad-credentials') error.textContent = t('login.bad');
      else if (err instanceof ApiError && err.code === 'account-disabled') error.textContent = t('login.disabled');
      else if (err instanceof ApiError && err.code === 'throttled') error.textContent = t('login.throttled', { count: err.retryAfter ?? 60 });
      else error.textContent = t('login.failed');
      pass.value = '';
      pass.focus();
    } finally {
      submit.disabled = false;
    }
  });
  // Single sign-on, when the server has an identity provider: a plain link, so that
  // the browser goes to the provider and back (the server does the whole flow).
  const sso = h('div', { class: 'login-sso' });
  signInOptions()
    .then((o) => {
      if (!o.oidc) return;
      sso.append(h('p', { class: 'login-or' }, t('login.or')), h('a', { class: 'btn btn-sso', href: o.oidc.start }, o.oidc.label));
    })
    .catch(() => undefined);
  queueMicrotask(() => user.focus());
  return h(
    'main',
    { class: 'login-page' },
    h(
      'div',
      { class: 'login-card' },
      h('h1', { class: 'brand' }, 'Agora'),
      h('p', { class: 'muted' }, t('login.intro')),
      form,
      sso,
      h('div', { class: 'login-lang' }, languageSwitch(rerender)),
    ),
  );
}
