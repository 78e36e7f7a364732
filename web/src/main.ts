//! Entry point: picks the language (stored choice, then the browser's), asks whether a
//! session exists, then shows the sign-in form or the section the address names
//! (`#/calendar`, `#/contacts`…; see ui/sections.ts).
import '@event-calendar/core/index.css';
import './styles/app.css';
import { getPreferences, getSession, setSession, whenSignedOut, type Session } from './api';
import { discoverPrincipal, listCalendars } from './calendars';
import { loadIdentity } from './directory';
import { LANGUAGES, browserLanguage, initI18n, setLanguage, t, type Language } from './i18n';
import { stopLive } from './live';
import { learnRetention } from './trash';
import { state } from './state';
import './ui/pages';
import { currentSection } from './ui/sections';
import { clear, h } from './ui/dom';
import { loginPage } from './ui/login';

const root = document.getElementById('app') as HTMLElement;

function show(el: HTMLElement): void {
  clear(root);
  root.append(el);
  document.title = state.session ? `${t('app.title')} — Agora` : `${t('login.title')} — Agora`;
}

function signedOut(): void {
  stopLive();
  state.session = null;
  setSession(null);
  document.querySelectorAll('dialog').forEach((d) => d.remove());
  render();
}

function render(): void {
  if (!state.session) {
    show(loginPage(signedIn, render));
    return;
  }
  const section = currentSection();
  if (!section) return;
  // Only the calendar polls for changes; another section stops it until it comes back.
  if (section.id !== 'calendar') stopLive();
  show(section.page({ rerender: render, signedOut }));
  document.title = `${t(section.label)} — Agora`;
}

window.addEventListener('hashchange', () => {
  if (!state.session) return;
  document.querySelectorAll('dialog').forEach((d) => d.remove());
  render();
  // Keyboard users stay on the navigation they used.
  (document.querySelector('.rail [aria-current=page]') as HTMLElement | null)?.focus();
});

async function signedIn(session: Session): Promise<void> {
  state.session = session;
  setSession(session);
  show(h('p', { class: 'loading', role: 'status' }, t('app.loading')));
  try {
    state.prefs = await getPreferences().catch(() => ({}));
    const lang = state.prefs.locale;
    if (lang && (LANGUAGES as readonly string[]).includes(lang)) await setLanguage(lang as Language);
    const { homes } = await discoverPrincipal();
    state.homes = homes.length ? homes : [session.calendarHome];
    state.calendars = await listCalendars(state.homes);
    await loadIdentity(session.principal, session.displayName || session.login).catch(() => null);
    learnRetention();
    state.tags = new Map(state.calendars.map((c) => [c.href, c.syncToken ?? c.ctag ?? '']));
    render();
  } catch (e) {
    if (!state.session) return; // signed out meanwhile
    console.warn('loading calendars failed', e);
    show(h('p', { class: 'form-error', role: 'alert' }, t('errors.load')));
  }
}

async function boot(): Promise<void> {
  const stored = localStorage.getItem('agora.lang');
  const lang = stored && (LANGUAGES as readonly string[]).includes(stored) ? (stored as Language) : browserLanguage();
  await initI18n(lang);
  whenSignedOut(signedOut);
  const session = await getSession().catch(() => null);
  if (session) await signedIn(session);
  else render();
}

void boot();
