//! The Administration section (administrators only): panes for users, groups, rooms
//! and equipment, the outgoing mail queue and the server's health, reached at
//! `#/admin/<pane>`. Each pane reads the administration API and draws a table whose
//! rows carry their actions; creating and editing happen in dialogs, deleting and
//! disabling ask first. The server's refusals are said in the user's language (the
//! reason it gives is added as it is).
//!
//! Shared here: the pane frame, the table (a list of cards on a phone: each cell
//! names its column), the confirmation dialog, and the wording of errors and sizes.
import { ApiError } from '../api';
import { currentLanguage, t } from '../i18n';
import { state } from '../state';
import { clear, h } from './dom';
import { busy as modalBusy, openModal, showModal, type Modal } from './modal';
import { sectionShell, type SectionContext } from './sections';

export interface AdminPane {
  id: string;
  /** i18n key of its name. */
  label: string;
  /** Fills `host` (it may draw it again after a change). */
  render: (host: HTMLElement, ctx: SectionContext) => void;
}

const panes: AdminPane[] = [];

export function registerAdminPane(pane: AdminPane): void {
  if (!panes.some((p) => p.id === pane.id)) panes.push(pane);
}

export const isAdministrator = (): boolean => !!state.session?.administrator;

function currentPane(): AdminPane {
  const id = location.hash.replace(/^#\/?/, '').split('/')[1];
  return panes.find((p) => p.id === id) ?? panes[0];
}

export function adminPage(ctx: SectionContext): HTMLElement {
  const pane = currentPane();
  const list = h('ul', { class: 'pane-list' });
  for (const p of panes) {
    list.append(h('li', {}, h('a', { href: `#/admin/${p.id}`, class: 'pane-link', 'aria-current': p === pane ? 'page' : null }, t(p.label))));
  }
  const host = h('div', { class: 'admin-pane' });
  const main = h('div', { class: 'pane pane-wide' }, h('h2', { class: 'pane-title', id: 'pane-title' }, t(pane.label)), host);
  pane.render(host, ctx);
  return sectionShell({ id: 'admin', title: t('admin.title'), sidebar: [h('nav', { 'aria-label': t('admin.panes') }, list)], main }, ctx);
}

/** A refusal in words: ours for the status, the server's reason after it. */
export function adminError(e: unknown): string {
  if (!(e instanceof ApiError)) return t('admin.err.network');
  const reason = e.reason ? ` (${e.reason})` : '';
  switch (e.status) {
    case 401:
      return t('admin.err.signedOut');
    case 403:
      return t('admin.err.forbidden');
    case 404:
      return t('admin.err.notFound') + reason;
    case 409:
      return t('admin.err.conflict') + reason;
    case 400:
    case 413:
    case 415:
      return t('admin.err.invalid') + reason;
    default:
      return t('admin.err.server', { status: e.status });
  }
}

/** Loads a pane's data into `host`, saying so meanwhile and saying why it failed. */
export async function load<T>(host: HTMLElement, ctx: SectionContext, read: () => Promise<T>, draw: (data: T) => void): Promise<void> {
  clear(host);
  host.append(h('p', { class: 'admin-status', role: 'status' }, t('admin.loading')));
  let data: T;
  try {
    data = await read();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return ctx.signedOut();
    clear(host);
    host.append(h('p', { class: 'form-error', role: 'alert' }, adminError(e)));
    return;
  }
  clear(host);
  draw(data);
}

export interface Column<T> {
  /** i18n key of the heading. */
  label: string;
  cell: (row: T) => Node | string;
}

/** A table with a caption; on a phone each row becomes a card whose cells name their column. */
export function table<T>(caption: string, columns: Column<T>[], rows: T[], actions?: (row: T) => HTMLElement[]): HTMLElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, t(c.label))), actions ? h('th', { scope: 'col' }, t('admin.actions')) : null);
  const body = h('tbody', {});
  for (const row of rows) {
    const tr = h('tr', {});
    for (const c of columns) tr.append(h('td', { 'data-label': t(c.label) }, c.cell(row)));
    if (actions) tr.append(h('td', { class: 'admin-actions', 'data-label': t('admin.actions') }, h('div', { class: 'admin-actions-row' }, ...actions(row))));
    body.append(tr);
  }
  return h('table', { class: 'admin-table' }, h('caption', { class: 'visually-hidden' }, caption), h('thead', {}, head), body);
}

/** The bar above a table: its main action and a live line for outcomes. */
export function toolbar(...buttons: HTMLElement[]): { bar: HTMLElement; say: (text: string, error?: boolean) => void } {
  const line = h('p', { class: 'admin-said', role: 'status' });
  const bar = h('div', { class: 'admin-toolbar' }, ...buttons, line);
  const say = (text: string, error = false) => {
    line.textContent = text;
    line.classList.toggle('form-error', error);
  };
  return { bar, say };
}

export function button(label: string, onclick: () => void, opts: { primary?: boolean; danger?: boolean; aria?: string } = {}): HTMLButtonElement {
  const cls = `btn${opts.primary ? ' btn-primary' : ''}${opts.danger ? ' btn-danger' : ''}`;
  return h('button', { type: 'button', class: cls, 'aria-label': opts.aria ?? null, onclick }, label);
}

/** `busy` of modal.ts, with the administration's words for refusals. */
export const busy = (m: Modal, work: () => Promise<void>): Promise<boolean> => modalBusy(m, work, adminError);

/** Asks before something that cannot be undone (or locks someone out). */
export function confirmDialog(title: string, question: string, action: string, run: () => Promise<void>): void {
  const m = openModal(title);
  m.dialog.classList.add('admin-confirm');
  m.form.append(h('p', {}, question));
  m.actions.append(
    h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    h('button', {
      type: 'button',
      class: 'btn btn-danger btn-confirm',
      onclick: async () => {
        if (await busy(m, run)) m.close();
      },
    }, action),
  );
  showModal(m);
  // The safe choice first.
  (m.actions.querySelector('button') as HTMLElement | null)?.focus();
}

/** Bytes for people: "1.5 MB" in the user's language. */
export function bytes(n: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  // "0 bytes" rather than "0 byte"; "1.5 MB" rather than "1.5 megabytes".
  return new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit: units[i], unitDisplay: i ? 'short' : 'long', maximumFractionDigits: i ? 1 : 0 }).format(v);
}

/** A stored time in the user's language. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
