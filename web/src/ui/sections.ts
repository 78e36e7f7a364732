//! The page's sections (calendar, contacts, tasks, notes, settings, administration) and
//! the frame they share. A section registers itself once (see pages.ts); the address's
//! hash (`#/contacts`) says which one is shown, so the browser's Back button, a reload
//! and a bookmark all land on the same section. Each section builds its whole page; the
//! ones that are not the calendar use `sectionShell` for the common header (brand,
//! title, their own actions, language, user, sign-out), a sidebar and a main area, and
//! every page carries the same `sectionRail` — a vertical rail on a desktop, a bar at the
//! foot of the screen on a phone.
import { logout } from '../api';
import { t } from '../i18n';
import { state } from '../state';
import { ICONS, h, icon } from './dom';
import { languageSwitch } from './language';
import { toastRegion } from './toast';

/** What every section page gets from the frame. */
export interface SectionContext {
  /** Builds the current section's page again (after a language or settings change). */
  rerender: () => void;
  /** Forgets the session and shows the sign-in form. */
  signedOut: () => void;
}

export interface Section {
  /** The hash route: `#/<id>`. */
  id: string;
  /** i18n key of the section's name. */
  label: string;
  /** An SVG path from ICONS or the section's own. */
  icon: string;
  /** Smaller first; settings and administration sit at the end. */
  order: number;
  /** Whether this user sees it (administration: administrators only). */
  visible?: () => boolean;
  page: (ctx: SectionContext) => HTMLElement;
}

const registry: Section[] = [];

export function registerSection(section: Section): void {
  const at = registry.findIndex((s) => s.id === section.id);
  if (at >= 0) registry.splice(at, 1, section);
  else registry.push(section);
  registry.sort((a, b) => a.order - b.order);
}

/** The sections this user may open, in order. */
export function sections(): Section[] {
  return registry.filter((s) => !s.visible || s.visible());
}

/** The section the address names, else the first one (the calendar). */
export function currentSection(): Section | undefined {
  const id = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  const all = sections();
  return all.find((s) => s.id === id) ?? all[0];
}

/** Opens a section: the hashchange listener in main.ts draws it. */
export function go(id: string): void {
  location.hash = `#/${id}`;
}

/** The navigation between sections; the current one is marked with aria-current. */
export function sectionRail(current: string): HTMLElement {
  const nav = h('nav', { class: 'rail', 'aria-label': t('sections.label') });
  const list = h('ul', {});
  for (const s of sections()) {
    list.append(
      h('li', {}, h('a', { href: `#/${s.id}`, class: `rail-link rail-${s.id}`, 'aria-current': s.id === current ? 'page' : null }, icon(s.icon), h('span', { class: 'rail-label' }, t(s.label)))),
    );
  }
  nav.append(list);
  return nav;
}

export function signOutButton(ctx: SectionContext): HTMLElement {
  return h('button', {
    type: 'button',
    class: 'btn sign-out',
    onclick: async () => {
      await logout().catch(() => {});
      ctx.signedOut();
    },
  }, t('login.signOut'));
}

/** Language, the user's name and sign-out, in the header on a desktop. */
export function accountControls(ctx: SectionContext): HTMLElement {
  const who = state.session?.displayName || state.session?.login || '';
  return h('span', { class: 'account' }, languageSwitch(ctx.rerender), h('span', { class: 'user', title: state.session?.email ?? '' }, who), signOutButton(ctx));
}

/** The same controls at the foot of the sidebar, where a phone shows them. */
export function sidebarAccount(ctx: SectionContext): HTMLElement {
  return h('div', { class: 'sidebar-account' }, h('span', { class: 'user-narrow' }, state.session?.displayName || state.session?.login || ''), languageSwitch(ctx.rerender, 'lang-narrow'), signOutButton(ctx));
}

/** The button that opens the sidebar on a phone. */
export function menuButton(sidebar: HTMLElement, label: string): HTMLElement {
  const menu = h('button', { type: 'button', class: 'btn btn-icon menu-btn', 'aria-label': label, 'aria-expanded': 'false', 'aria-controls': sidebar.id }, icon(ICONS.menu));
  menu.addEventListener('click', () => {
    const open = sidebar.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  return menu;
}

export interface ShellParts {
  /** The section's id (for the rail and a class on the page). */
  id: string;
  /** The page's heading (h1). */
  title: string;
  /** Sidebar content (lists, filters); no sidebar when absent. */
  sidebar?: HTMLElement[];
  /** Name of the sidebar for screen readers and of the phone's menu button. */
  sidebarLabel?: string;
  /** The main area. */
  main: HTMLElement;
  /** Buttons in the header (e.g. "New contact"). */
  actions?: HTMLElement[];
}

/** A whole section page: header, rail, sidebar, main area, toasts. */
export function sectionShell(parts: ShellParts, ctx: SectionContext): HTMLElement {
  const titleId = `${parts.id}-title`;
  const header = h('header', { class: 'topbar' });
  const body = h('div', { class: 'body' }, sectionRail(parts.id));
  if (parts.sidebar) {
    const label = parts.sidebarLabel ?? parts.title;
    const sidebar = h('aside', { class: 'sidebar', id: `${parts.id}-sidebar`, 'aria-label': label }, ...parts.sidebar, sidebarAccount(ctx));
    header.append(menuButton(sidebar, label));
    body.append(sidebar);
  }
  header.append(h('span', { class: 'brand' }, 'Agora'), h('h1', { class: 'view-title', id: titleId }, parts.title), h('span', { class: 'spacer' }), ...(parts.actions ?? []), accountControls(ctx));
  body.append(h('main', { class: `main section-main section-${parts.id}`, 'aria-labelledby': titleId }, parts.main));
  // Without a sidebar, the account controls stay in the header at every width.
  return h('div', { class: `app app-${parts.id}${parts.sidebar ? '' : ' no-sidebar'}` }, header, body, toastRegion());
}

/** Icons of the sections (simple shapes drawn for Agora). */
export const SECTION_ICONS = {
  calendar: 'M7 2h2v2h6V2h2v2h3v18H4V4h3zm-1 8v10h12V10zm2 2h3v3H8z',
  contacts: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-8 1.7-8 5v2h16v-2c0-3.3-4.7-5-8-5z',
  tasks: 'M4 4h16v16H4zm2 2v12h12V6zm3.5 9.5L7 13l1.4-1.4 1.1 1.1 4.1-4.1L15 10z',
  notes: 'M5 3h10l4 4v14H5zm2 2v14h10V8h-3V5zm2 6h6v2H9zm0 4h6v2H9z',
  settings: ICONS.settings,
  admin: 'M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5zm0 4a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm0 8c2 0 4 1 4.6 2.2A6.8 6.8 0 0 1 12 19.6a6.8 6.8 0 0 1-4.6-3.4C8 15 10 14 12 14z',
} as const;
