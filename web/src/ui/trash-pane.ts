//! Settings → Trash: what the user deleted (events, tasks, notes, contacts, whole
//! calendars and address books), newest first, each with where it was, when and by whom
//! it was deleted, and when the server deletes it for good (or that a legal hold keeps
//! it). Restore puts it back where it was (same name, bytes and ETag; the server
//! decides, src/trash.ts); the page then reads its calendars and address books again,
//! so the item shows in the other sections. "Delete for good" asks first. Refusals are
//! said in the server's words. Labels are user-written: text only.
import { ApiError } from '../api';
import { listCalendars } from '../calendars';
import { forgetCalendar } from '../events';
import { currentLocale, t } from '../i18n';
import { state } from '../state';
import { listTrash, purgeTrash, restoreTrash, type TrashItem, type TrashList } from '../trash';
import { browserTimeZone, isValidTimeZone } from '../tz';
import { cs } from './contacts-state';
import { clear, h } from './dom';
import { busy, openModal, showModal } from './modal';
import { refusal } from './refusal';
import { registerSettingsPane } from './settings';
import { toast } from './toast';
import '../styles/trash.css';

/** The kinds the filter offers, each with the entries' `what` values it covers. */
const FILTERS: Record<string, string[]> = {
  VEVENT: ['VEVENT'],
  VTODO: ['VTODO'],
  VJOURNAL: ['VJOURNAL'],
  VCARD: ['VCARD'],
  collections: ['calendar', 'addressbook', 'collection'],
};
/** A search box and a filter only when the list is long enough to need them. */
const LONG = 6;

const zone = () => (state.prefs.timeZone && isValidTimeZone(state.prefs.timeZone) ? state.prefs.timeZone : browserTimeZone());

function kindWord(what: string): string {
  const known = ['VEVENT', 'VTODO', 'VJOURNAL', 'VCARD', 'calendar', 'addressbook', 'collection'];
  return t(`trash.kind.${known.includes(what) ? what : 'resource'}`);
}

const trimSlash = (p: string) => p.replace(/\/+$/, '');
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const parentOf = (path: string) => trimSlash(path).replace(/[^/]*$/, '');
const sameCollection = (a: string, b: string) => decode(trimSlash(a)) === decode(trimSlash(b));

/** A readable name for where an entry was: the calendar or address book it was in (known
 * to the page, or itself in the trash), "Calendars"/"Address books" for a collection,
 * else the last segment of the path. */
function placeOf(item: TrashItem, all: TrashItem[]): string {
  const parent = parentOf(item.path);
  if (item.collection) {
    if (/^\/calendars\/[^/]+\/$/.test(parent)) return t('trash.calendars');
    if (/^\/addressbooks\/[^/]+\/$/.test(parent)) return t('trash.addressbooks');
  }
  const known =
    state.calendars.find((c) => sameCollection(c.href, parent))?.name ??
    cs.books.find((b) => sameCollection(b.href, parent))?.name ??
    all.find((o) => o.collection && sameCollection(o.path, parent))?.label;
  return known || decode(trimSlash(parent).split('/').pop() ?? parent);
}

/** "Deleted 2 hours ago", "Deleted yesterday"; "Deleted on 7 January 2027" after a
 * week; "by bob" when someone else deleted it (in a calendar shared with them). */
function deletedWhen(item: TrashItem): string {
  const at = new Date(item.deletedAt).getTime();
  const seconds = Math.round((at - Date.now()) / 1000);
  const rel = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  let when: string | undefined;
  if (abs < 60) when = t('trash.justNow');
  else if (abs < 3600) when = rel.format(Math.round(seconds / 60), 'minute');
  else if (abs < 86400) when = rel.format(Math.round(seconds / 3600), 'hour');
  else if (abs < 7 * 86400) when = rel.format(Math.round(seconds / 86400), 'day');
  const other = item.deletedBy && item.deletedBy !== state.session?.login ? item.deletedBy : null;
  const key = when === undefined ? 'trash.deletedOn' : 'trash.deletedAgo';
  when ??= new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeZone: zone() }).format(at);
  return t(other ? `${key}By` : key, { when, who: other });
}

const fullDate = (iso: string) =>
  new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'full', timeStyle: 'short', timeZone: zone() }).format(new Date(iso));

function purgeDay(iso: string): string {
  const at = new Date(iso);
  const sameYear = at.getUTCFullYear() === new Date().getUTCFullYear();
  return new Intl.DateTimeFormat(currentLocale(), { day: 'numeric', month: 'long', year: sameYear ? undefined : 'numeric', timeZone: zone() }).format(at);
}

/** A refusal of the trash's endpoints, in the server's words when it gave some. */
function trashRefusal(e: unknown): string {
  if (e instanceof ApiError && e.status === 404) return t('trash.gone');
  if (e instanceof ApiError && e.reason && (e.status === 409 || e.status === 403 || e.status === 422)) {
    return t(e.status === 403 ? 'trash.refusedPurge' : 'trash.refusedRestore', { reason: e.reason });
  }
  return refusal(e);
}

/** After a restore: the page reads its calendars (and, next time the Contacts section
 * opens, its address books) again, so the restored item shows everywhere. */
async function reloadCollections(path: string): Promise<void> {
  if (path.startsWith('/addressbooks/')) {
    cs.loaded = false;
    return;
  }
  forgetCalendar(path.endsWith('/') ? path : parentOf(path));
  state.calendars = await listCalendars(state.homes);
  state.tags = new Map(state.calendars.map((c) => [c.href, c.syncToken ?? c.ctag ?? '']));
}

function confirmPurge(item: TrashItem): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const m = openModal(t('trash.purgeTitle', { label: item.label }), () => resolve(done));
    m.form.append(h('p', {}, t(item.collection ? 'trash.purgeTextAll' : 'trash.purgeText', { label: item.label })));
    m.actions.append(
      h('button', { type: 'submit', class: 'btn btn-danger' }, t('trash.purge')),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await busy(m, () => purgeTrash(item.id), trashRefusal)) {
        done = true;
        m.close();
      }
    });
    showModal(m);
    // The safe choice has the focus.
    (m.actions.lastElementChild as HTMLElement).focus();
  });
}

function trashPane(): HTMLElement {
  const root = h('div', { class: 'trash', tabindex: '-1' });
  const intro = h('p', { class: 'trash-intro' });
  const status = h('p', { class: 'muted trash-status', role: 'status' }, t('app.loading'));
  const list = h('ul', { class: 'trash-list', 'aria-label': t('trash.listLabel') });
  const search = h('input', { id: 'trash-search', type: 'search', autocomplete: 'off', placeholder: t('trash.searchPlaceholder') });
  const kind = h('select', { id: 'trash-kind' }, h('option', { value: '' }, t('trash.allKinds')));
  for (const k of Object.keys(FILTERS)) kind.append(h('option', { value: k }, t(`trash.filter.${k}`)));
  const tools = h(
    'div',
    { class: 'trash-tools', hidden: true },
    h('div', { class: 'field' }, h('label', { for: 'trash-search' }, t('trash.search')), search),
    h('div', { class: 'field' }, h('label', { for: 'trash-kind' }, t('trash.kindLabel')), kind),
  );
  let data: TrashList = { retentionDays: 0, items: [] };

  const entry = (item: TrashItem, index: number): HTMLElement => {
    const place = placeOf(item, data.items);
    const error = h('p', { class: 'form-error', role: 'alert' });
    const restore = h('button', { type: 'button', class: 'btn trash-restore', 'aria-label': t('trash.restoreWhat', { label: item.label }) }, t('trash.restore'));
    const purge = h('button', { type: 'button', class: 'btn btn-danger trash-purge', 'aria-label': t('trash.purgeWhat', { label: item.label }) }, t('trash.purge'));
    restore.addEventListener('click', async () => {
      error.textContent = '';
      restore.disabled = true;
      try {
        const done = await restoreTrash(item.id);
        await reloadCollections(done.path).catch(() => toast(t('errors.load'), undefined, 'error'));
        toast(t('trash.restored', { label: item.label, place }));
        await reload(index);
      } catch (e) {
        error.textContent = trashRefusal(e);
        restore.disabled = false;
      }
    });
    purge.addEventListener('click', async () => {
      if (!(await confirmPurge(item))) return;
      toast(t('trash.purged', { label: item.label }));
      await reload(index);
    });
    const deleted = deletedWhen(item);
    const fate = item.purgeAt ? t('trash.purgeAt', { date: purgeDay(item.purgeAt) }) : t('trash.held');
    return h(
      'li',
      { class: 'trash-item', 'data-id': String(item.id) },
      h('span', { class: `trash-kind trash-kind-${item.collection ? 'collection' : 'object'}` }, kindWord(item.what)),
      h(
        'div',
        { class: 'trash-main' },
        h('span', { class: 'trash-label' }, item.label || decode(trimSlash(item.path).split('/').pop() ?? '')),
        h('span', { class: 'trash-where muted', title: item.path }, t('trash.in', { place })),
        h('span', { class: 'trash-when muted' }, h('time', { datetime: item.deletedAt, title: fullDate(item.deletedAt) }, deleted)),
        h('span', { class: `trash-fate${item.purgeAt ? ' muted' : ' trash-held'}` }, fate),
        error,
      ),
      h('div', { class: 'trash-actions' }, restore, purge),
    );
  };

  const draw = () => {
    clear(list);
    const q = search.value.trim().toLocaleLowerCase();
    const kinds = kind.value ? FILTERS[kind.value] : null;
    const shown = data.items.filter((i) => (!kinds || kinds.includes(i.what)) && (!q || `${i.label} ${i.path}`.toLocaleLowerCase().includes(q)));
    shown.forEach((item, n) => list.append(entry(item, n)));
    tools.hidden = data.items.length < LONG && !search.value && !kind.value;
    status.textContent = !data.items.length ? t('trash.empty') : shown.length ? '' : t('trash.noMatch');
    status.hidden = !status.textContent;
  };

  /** Reads the trash again; the focus goes to the entry now at `focusAt` (the one after
   * a restored or purged entry), else the search box or the pane. */
  const reload = async (focusAt?: number) => {
    try {
      data = await listTrash();
    } catch (e) {
      status.hidden = false;
      status.textContent = trashRefusal(e);
      return;
    }
    intro.textContent = data.retentionDays > 0 ? t('trash.intro', { count: data.retentionDays }) : t('trash.off');
    draw();
    if (focusAt === undefined) return;
    const buttons = list.querySelectorAll<HTMLElement>('.trash-restore');
    (buttons[Math.min(focusAt, buttons.length - 1)] ?? (tools.hidden ? null : search) ?? root).focus();
  };

  search.addEventListener('input', draw);
  kind.addEventListener('change', draw);
  root.append(intro, tools, status, list);
  void reload();
  return root;
}

registerSettingsPane({ id: 'trash', label: 'settings.trash', order: 50, render: trashPane });
