//! The Contacts section (`#/contacts`): the address books in the sidebar (own, shared
//! with the user, the global address list) with show/hide in "All contacts", counts,
//! create/rename/delete/export/import, and each open book's groups; a list with a search
//! over name, e-mail, phone and organisation, sorted by name with the locale's
//! collation, drawn page by page as the cards arrive (cards.ts); the card view beside it
//! on a desktop, in place of it on a phone. Checked cards can be exported together.
import '../styles/contacts.css';
import { currentLanguage, t } from '../i18n';
import { trashHint } from '../trash';
import { state } from '../state';
import { shareDialog } from './share-dialog';
import { createBook, deleteBook, discoverHome, listBooks, renameBook } from '../contacts/books';
import { allCards, loadSummaries, multiget, putCard, newHref, type Summary } from '../contacts/cards';
import { matches, sortByName, initial } from '../contacts/filter';
import { dominantForm, newGroupCard } from '../contacts/groups';
import { ICONS, h, icon } from './dom';
import { book, cs, groupsOf, resetFor, scopeCards, saveHidden, type Scope } from './contacts-state';
import { confirmDialog, downloadVcf, importVcfDialog, nameDialog } from './contacts-dialogs';
import { contactEditor } from './contacts-editor';
import { avatar, showCard } from './contacts-view';
import { refusal } from './calendar-dialogs';
import { sectionShell, type SectionContext } from './sections';
import { toast } from './toast';
import { openModal, showModal } from './modal';

/** Rows drawn at once; "Show more" draws the next ones (a 20,000-card book stays fast). */
const ROWS = 200;

let els: { sidebar: HTMLElement; list: HTMLElement; status: HTMLElement; card: HTMLElement; root: HTMLElement; search: HTMLInputElement; tools: HTMLElement } | undefined;
let shownRows = ROWS;

function writableBooks() {
  return cs.books.filter((b) => b.writable);
}

/** The book new contacts go to: the open one when writable, else the first writable. */
function targetBook(): string | undefined {
  const s = cs.scope;
  const open = s.kind === 'book' ? s.href : s.kind === 'group' ? s.book : undefined;
  if (open && book(open)?.writable) return open;
  // Else the server's default book (`contacts/` in the home), else the first writable.
  const all = writableBooks();
  return (all.find((b) => b.owned && /\/contacts\/$/.test(b.href)) ?? all[0])?.href;
}

async function loadBook(href: string): Promise<void> {
  const gen = cs.generation;
  const got: Summary[] = [];
  cs.progress.set(href, [0, 0]);
  try {
    await loadSummaries(
      href,
      (page, loaded, total) => {
        got.push(...page);
        cs.cards.set(href, [...got]);
        cs.progress.set(href, [loaded, total]);
        drawSidebar();
        drawList();
      },
      () => gen !== cs.generation,
    );
  } catch (e) {
    toast(refusal(e), undefined, 'error');
  }
  cs.progress.delete(href);
  drawSidebar();
  drawList();
}

async function loadAll(): Promise<void> {
  cs.generation++;
  try {
    if (!cs.home) {
      const found = await discoverHome(state.session!.principal, state.session?.addressbookHome);
      cs.home = found.home;
      cs.gateway = found.gateway;
    }
    cs.books = await listBooks(cs.home, cs.gateway);
  } catch (e) {
    els?.status.replaceChildren(h('span', { class: 'form-error', role: 'alert' }, refusal(e)));
    return;
  }
  // The directory starts hidden from "All contacts" (it is everyone, not one's contacts).
  if (!cs.hiddenSet) for (const b of cs.books) if (b.directory) cs.hidden.add(b.href);
  cs.cards = new Map([...cs.cards].filter(([k]) => cs.books.some((b) => b.href === k)));
  cs.loaded = true;
  drawSidebar();
  await Promise.all(cs.books.map((b) => loadBook(b.href)));
}

/** Reloads one book's list (after a write) and shows `open`. */
async function reloadBook(href: string, open?: string): Promise<void> {
  if (open) cs.open = open;
  await loadBook(href);
  if (cs.open) openCard(cs.open, false);
  else els?.card.replaceChildren(emptyCard());
}

function setScope(scope: Scope): void {
  cs.scope = scope;
  cs.checked.clear();
  shownRows = ROWS;
  drawSidebar();
  drawList();
  els?.root.classList.remove('show-card');
  els?.sidebar.classList.remove('open');
  els?.search.focus();
}

function emptyCard(): HTMLElement {
  return h('p', { class: 'muted card-empty' }, t('contacts.pick'));
}

function openCard(href: string, focus = true): void {
  cs.open = href;
  els?.root.classList.add('show-card');
  for (const b of els?.list.querySelectorAll('.contact-open') ?? []) b.setAttribute('aria-current', String(b.getAttribute('data-href') === href));
  if (!els) return;
  void showCard(els.card, href, {
    back: () => {
      els?.root.classList.remove('show-card');
      (els?.list.querySelector(`[data-href="${CSS.escape(href)}"]`) as HTMLElement | null)?.focus();
    },
    edit: (h) => edit(h),
    changed: (b, open) => void reloadBook(b, open),
  }).then(() => {
    if (focus) (els?.card.querySelector('h2') as HTMLElement | null)?.setAttribute('tabindex', '-1');
    if (focus) (els?.card.querySelector('h2') as HTMLElement | null)?.focus();
  });
}

function edit(href?: string): void {
  const target = href ? book(cs.books.find((b) => href.startsWith(b.href))?.href)?.href : targetBook();
  if (!target) return;
  void contactEditor(target, href, (saved) => {
    toast(t(href ? 'contacts.saved' : 'contacts.created'));
    void reloadBook(target, saved);
  }).catch((e) => toast(refusal(e), undefined, 'error'));
}

function count(href: string): string {
  const p = cs.progress.get(href);
  const n = (cs.cards.get(href) ?? []).filter((s) => !s.group).length;
  return p && p[1] > p[0] ? `${p[0]}/${p[1]}` : String(n);
}

function bookOptions(b: (typeof cs.books)[number]): void {
  // Options as a small dialog with the actions this book allows.
  {
    const d = openModal(t('contacts.bookTitle', { name: b.name }));
    const tools = h('div', { class: 'manage-tools' });
    tools.append(h('button', { type: 'button', class: 'btn', onclick: async () => {
      try {
        const cards = await allCards(b.href);
        downloadVcf(b.name, cards.map((c) => c.text.replace(/\r?\n?$/, '\r\n')).join(''));
      } catch (e) {
        d.error.textContent = refusal(e);
      }
    } }, t('contacts.exportBook')));
    if (b.writable) tools.append(h('button', { type: 'button', class: 'btn', onclick: () => { d.close(); importVcfDialog(writableBooks(), b.href, (bk, msg) => { toast(msg); void reloadBook(bk); }); } }, t('contacts.import')));
    if (b.owned && !b.directory) {
      // Shared with people or groups like a calendar (CalendarServer sharing / share-resource).
      tools.append(h('button', { type: 'button', class: 'btn share-book', onclick: () => { d.close(); shareDialog({ href: b.href, name: b.name, kind: 'addressbook' }); } }, t('sharing.open')));
    }
    if (b.owned) {
      tools.append(h('button', { type: 'button', class: 'btn', onclick: () => { d.close(); nameDialog(t('contacts.renameTitle', { name: b.name }), t('manage.name'), b.name, t('editor.save'), t('contacts.bookNameMissing'), async (name) => { await renameBook(b.href, name); toast(t('contacts.bookSaved', { name })); await loadAll(); }); } }, t('contacts.rename')));
      tools.append(h('button', { type: 'button', class: 'btn btn-danger', onclick: async () => {
        d.close();
        if (!(await confirmDialog(t('contacts.deleteBookTitle', { name: b.name }), `${t('contacts.deleteBookText', { name: b.name })} ${trashHint()}`, t('manage.deleteConfirm', { name: b.name })))) return;
        try {
          await deleteBook(b.href);
          toast(t('contacts.bookDeleted', { name: b.name }));
          if (cs.scope.kind !== 'all') cs.scope = { kind: 'all' };
          await loadAll();
        } catch (e) {
          toast(refusal(e), undefined, 'error');
        }
      } }, t('contacts.deleteBook')));
    } else {
      d.form.append(h('p', { class: 'muted' }, b.writable ? t('contacts.sharedWritable') : t('contacts.readOnlyBook')));
    }
    d.form.append(tools);
    d.actions.append(h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.close')));
    showModal(d);
  }
}

function newGroup(bookHref: string): void {
  nameDialog(t('contacts.newGroupTitle'), t('manage.name'), '', t('manage.create'), t('contacts.groupNameMissing'), async (name) => {
    const form = dominantForm((cs.cards.get(bookHref) ?? []).flatMap((s) => (s.group ? [s.group] : [])));
    const g = newGroupCard(name, form);
    await putCard(newHref(bookHref, g.uid), g.text);
    toast(t('contacts.groupCreated', { name }));
    await reloadBook(bookHref);
  });
}

function drawSidebar(): void {
  if (!els) return;
  const scope = cs.scope;
  const list = h('ul', { class: 'book-list' });
  list.append(h('li', {}, h('button', { type: 'button', class: 'book-open', 'aria-current': scope.kind === 'all' ? 'true' : null, onclick: () => setScope({ kind: 'all' }) }, t('contacts.all'))));
  for (const b of cs.books) {
    const id = `book-${b.href.replace(/[^a-z0-9]/gi, '-')}`;
    const box = h('input', { type: 'checkbox', id, checked: !cs.hidden.has(b.href), 'aria-label': t('contacts.showInAll', { name: b.name }) });
    box.addEventListener('change', () => {
      if (box.checked) cs.hidden.delete(b.href);
      else cs.hidden.add(b.href);
      saveHidden();
      drawList();
    });
    const open = scope.kind === 'book' && scope.href === b.href;
    const li = h('li', { class: 'book' },
      h('div', { class: 'book-row' },
        box,
        h('button', { type: 'button', class: 'book-open', 'aria-current': open ? 'true' : null, onclick: () => setScope({ kind: 'book', href: b.href }) },
          h('span', { class: 'cal-name' }, b.name),
          b.writable ? null : h('span', { class: 'badge' }, t(b.directory ? 'contacts.directoryBadge' : 'contacts.readOnlyBadge')),
          h('span', { class: 'count' }, count(b.href))),
        h('button', { type: 'button', class: 'btn btn-icon cal-options', 'aria-label': t('contacts.bookOptions', { name: b.name }), onclick: () => bookOptions(b) }, icon(ICONS.more))));
    const groups = b.directory ? [] : groupsOf(b.href);
    if (groups.length || b.writable) {
      const gl = h('ul', { class: 'group-list', 'aria-label': t('contacts.groupsOf', { name: b.name }) });
      for (const g of groups) {
        const cur = scope.kind === 'group' && scope.book === b.href && scope.key === g.key;
        gl.append(h('li', {}, h('button', { type: 'button', class: 'book-open group-open', 'aria-current': cur ? 'true' : null, onclick: () => setScope({ kind: 'group', book: b.href, key: g.key }) }, h('span', { class: 'cal-name' }, g.name), g.category ? h('span', { class: 'badge' }, t('contacts.category')) : null)));
      }
      if (b.writable) gl.append(h('li', {}, h('button', { type: 'button', class: 'btn btn-link new-group', onclick: () => newGroup(b.href) }, t('contacts.newGroup'))));
      li.append(gl);
    }
    list.append(li);
  }
  els.sidebar.replaceChildren(
    h('h2', { class: 'sidebar-title' }, t('contacts.books')),
    cs.loaded ? list : h('p', { class: 'loading', role: 'status' }, t('app.loading')),
    h('button', { type: 'button', class: 'btn new-cal', onclick: () => nameDialog(t('contacts.newBookTitle'), t('manage.name'), '', t('manage.create'), t('contacts.bookNameMissing'), async (name) => { await createBook(cs.home, name); toast(t('contacts.bookCreated', { name })); await loadAll(); }) }, icon(ICONS.plus), t('contacts.newBook')),
  );
}

function visible(): Summary[] {
  const q = cs.query;
  const list = scopeCards().filter((s) => (cs.scope.kind === 'group' ? !s.group : true) && matches(s, q));
  return sortByName(list, currentLanguage());
}

function drawList(): void {
  if (!els) return;
  const all = visible();
  const rows = all.slice(0, shownRows);
  const ul = h('ul', { class: 'contact-list', 'aria-label': t('contacts.list') });
  let letter = '';
  for (const s of rows) {
    const l = initial(s.name);
    if (l !== letter) {
      letter = l;
      ul.append(h('li', { class: 'letter', 'aria-hidden': 'true' }, l));
    }
    const box = h('input', { type: 'checkbox', checked: cs.checked.has(s.href), 'aria-label': t('contacts.select', { name: s.name }) });
    box.addEventListener('change', () => {
      if (box.checked) cs.checked.add(s.href);
      else cs.checked.delete(s.href);
      drawTools();
    });
    const sub = s.group ? t('contacts.groupCard') : s.emails[0] || s.org || s.tels[0] || '';
    ul.append(h('li', { class: 'contact' }, box,
      h('button', { type: 'button', class: 'contact-open', 'data-href': s.href, 'aria-current': String(cs.open === s.href), onclick: () => openCard(s.href) },
        avatar(s.name, '', 'small'),
        h('span', { class: 'contact-text' }, h('span', { class: 'contact-name' }, s.name || t('contacts.noName')), sub ? h('span', { class: 'contact-sub' }, sub) : null))));
  }
  const loading = [...cs.progress.values()].some(([a, b]) => b === 0 || a < b);
  const more = all.length > rows.length ? h('button', { type: 'button', class: 'btn show-more', onclick: () => { shownRows += ROWS; drawList(); } }, t('contacts.more', { count: all.length - rows.length })) : null;
  els.list.replaceChildren(all.length ? ul : h('p', { class: 'muted' }, loading ? t('app.loading') : cs.query ? t('contacts.noMatch') : t('contacts.empty')), more ?? '');
  els.status.textContent = t('contacts.count', { count: all.length });
  drawTools();
}

function drawTools(): void {
  if (!els) return;
  const n = cs.checked.size;
  const exp = h('button', { type: 'button', class: 'btn', disabled: !n }, t('contacts.exportSelected', { count: n }));
  exp.addEventListener('click', async () => {
    const byBook = new Map<string, string[]>();
    for (const href of cs.checked) {
      const b = cs.books.find((x) => href.startsWith(x.href))?.href;
      if (b) (byBook.get(b) ?? byBook.set(b, []).get(b)!).push(href);
    }
    try {
      const texts: string[] = [];
      for (const [b, hrefs] of byBook) for (const c of await multiget(b, hrefs)) texts.push(c.text.replace(/\r?\n?$/, '\r\n'));
      downloadVcf(t('contacts.exportName'), texts.join(''));
    } catch (e) {
      toast(refusal(e), undefined, 'error');
    }
  });
  els.tools.replaceChildren(exp);
}

export function contactsPage(ctx: SectionContext): HTMLElement {
  resetFor(state.session?.principal ?? '');
  const search = h('input', { type: 'search', id: 'contact-search', class: 'search-input', value: cs.query, placeholder: t('contacts.searchPlaceholder'), autocomplete: 'off' });
  search.addEventListener('input', () => {
    cs.query = search.value;
    shownRows = ROWS;
    drawList();
  });
  const status = h('p', { class: 'muted list-status', role: 'status' });
  const tools = h('div', { class: 'list-tools' });
  const list = h('div', { class: 'list-host' });
  const card = h('div', { class: 'card-host', role: 'region', 'aria-label': t('contacts.cardRegion') });
  const listPane = h('div', { class: 'list-pane' },
    h('div', { class: 'list-head' }, h('label', { for: search.id, class: 'visually-hidden' }, t('contacts.search')), search),
    h('div', { class: 'list-bar' }, status, tools),
    list);
  const root = h('div', { class: 'contacts' }, listPane, card);
  const sidebar = h('div', { class: 'contacts-sidebar' });
  const newBtn = h('button', { type: 'button', class: 'btn btn-primary new-btn', 'aria-label': t('contacts.new'), onclick: () => edit() }, icon(ICONS.plus), h('span', {}, t('contacts.new')));
  const importBtn = h('button', { type: 'button', class: 'btn', onclick: () => importVcfDialog(writableBooks(), targetBook(), (b, msg) => { toast(msg); void reloadBook(b); }) }, t('contacts.import'));
  els = { sidebar, list, status, card, root, search, tools };
  const page = sectionShell({ id: 'contacts', title: t('sections.contacts'), sidebar: [sidebar], sidebarLabel: t('contacts.books'), main: root, actions: [importBtn, newBtn] }, ctx);
  card.append(emptyCard());
  drawSidebar();
  drawList();
  if (!cs.loaded) void loadAll();
  else if (cs.open) openCard(cs.open, false);
  return page;
}
