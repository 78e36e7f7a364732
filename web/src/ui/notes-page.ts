//! The Notes section (`#/notes`): notebooks in the sidebar (CalDAV calendars that hold
//! VJOURNAL, made with MKCALENDAR; renamed, recoloured and deleted with the calendar
//! dialogs), the notes as a list — title, day, first lines — newest first, with a search
//! over title, text and categories, and the editor.
import { ConflictError } from '../actions';
import type { CalendarInfo } from '../calendars';
import { currentLocale, t } from '../i18n';
import { state } from '../state';
import { excerpt, newNote, noteMatches, parseNote, updateNote, type Note, type NoteFields } from '../notes/journal';
import { formatDayTime } from '../tasks/ical-dates';
import { collections, createObject, deleteObject, holds, moveObject, query, updateObject } from '../tasks/store';
import { wallOf, pad } from '../tz';
import '../styles/tasks.css';
import { timeZone } from './app';
import { calendarOptionsDialog, newCalendarDialog, refusal } from './calendar-dialogs';
import { ICONS, clear, h, icon } from './dom';
import { field } from './modal';
import { openNoteEditor } from './notes-editor';
import { sectionShell, type SectionContext } from './sections';
import { toast } from './toast';

const view = { text: '', book: '' };

export function notesPage(ctx: SectionContext): HTMLElement {
  const tz = timeZone();
  const locale = currentLocale();
  let books: CalendarInfo[] = [];
  let notes: Note[] = [];
  const booksBox = h('section', { class: 'task-lists', 'aria-labelledby': 'notebooks-title' });
  const content = h('div', { class: 'note-content', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('app.loading')));
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const search = h('input', { id: 'note-search', type: 'search', value: view.text, autocomplete: 'off', placeholder: t('notes.searchPlaceholder') });

  const writableBooks = () => books.filter((b) => b.writable);
  const target = () => writableBooks().find((b) => b.href === view.book) ?? writableBooks()[0];
  const today = () => {
    const w = wallOf(Date.now(), tz);
    return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  };

  const edit = async (note: Note | undefined, fields: NoteFields, book: string) => {
    const readOnly = !!note && !books.find((b) => b.href === note.notebook)?.writable;
    const result = await openNoteEditor(fields, book, books, !note, readOnly);
    if (!result) return;
    let message = '';
    try {
      if (result.action === 'delete' && note) {
        await deleteObject(note);
        message = t('notes.deleted', { title: note.summary || t('notes.untitled') });
      } else if (result.action === 'save') {
        const name = result.fields.summary || t('notes.untitled');
        if (!note) {
          const uid = crypto.randomUUID();
          await createObject(result.notebook, uid, newNote(result.fields, tz, uid));
          message = t('notes.created', { title: name });
        } else {
          const ics = updateNote(note, result.fields, tz);
          if (result.notebook !== note.notebook) await moveObject(note, result.notebook, ics);
          else await updateObject(note, ics);
          message = t('notes.saved', { title: name });
        }
      }
    } catch (e) {
      toast(e instanceof ConflictError ? t('errors.conflict') : refusal(e), undefined, 'error');
    }
    // Said once the list shows the change (a failure: the list read again).
    await reload(message || undefined);
  };

  const draw = () => {
    clear(content);
    content.setAttribute('aria-busy', 'false');
    if (!books.length) {
      content.append(h('p', { class: 'muted task-empty' }, t('notes.noBooks')));
      return;
    }
    const shown = notes
      .filter((n) => (!view.book || n.notebook === view.book) && noteMatches(n, view.text))
      .sort((a, b) => b.date.localeCompare(a.date) || b.changedAt - a.changedAt);
    status.textContent = view.text ? t('notes.found', { count: shown.length }) : '';
    if (!shown.length) {
      content.append(h('p', { class: 'muted task-empty' }, t(notes.length ? 'notes.noMatch' : 'notes.none')));
      return;
    }
    const ul = h('ul', { class: 'note-list', 'aria-label': t('sections.notes') });
    for (const n of shown) {
      const title = n.summary || t('notes.untitled');
      const book = books.find((b) => b.href === n.notebook);
      const swatch = h('span', { class: 'list-dot', 'aria-hidden': 'true' });
      if (book) swatch.style.backgroundColor = book.color;
      ul.append(
        h('li', { class: 'note' }, h('button', { type: 'button', class: 'note-open', onclick: () => void edit(n, { summary: n.summary, date: n.date, description: n.description, categories: n.categories }, n.notebook) },
          h('span', { class: 'note-title' }, title),
          h('span', { class: 'note-meta' }, swatch, n.date ? formatDayTime({ date: n.date }, locale, undefined, 'long') : t('notes.noDate'), ...n.categories.map((c) => h('span', { class: 'task-cat' }, c))),
          n.description ? h('span', { class: 'note-excerpt' }, excerpt(n.description)) : null,
        )),
      );
    }
    content.append(ul);
  };

  const drawBooks = () => {
    clear(booksBox);
    const ul = h('ul', { class: 'cal-list task-list-picker' });
    const pick = (href: string, label: string, cal?: CalendarInfo) => {
      const swatch = cal ? h('span', { class: 'list-dot', 'aria-hidden': 'true' }) : null;
      if (swatch && cal) swatch.style.backgroundColor = cal.color;
      const li = h('li', {}, h('button', { type: 'button', class: 'list-pick', 'aria-pressed': String(view.book === href), onclick: () => {
        view.book = href;
        drawBooks();
        draw();
      } }, swatch, h('span', { class: 'cal-name' }, label), cal && !cal.writable ? h('span', { class: 'cal-note' }, ` (${t('calendars.readOnly')})`) : null));
      if (cal) li.append(h('button', { type: 'button', class: 'btn btn-icon cal-options', 'aria-label': t('notes.bookOptions', { name: cal.name }), title: t('notes.bookOptions', { name: cal.name }), onclick: () => calendarOptionsDialog(cal, (message) => void reload(message)) }, icon(ICONS.more)));
      ul.append(li);
    };
    pick('', t('notes.allBooks'));
    for (const b of books) pick(b.href, b.name, b);
    booksBox.append(
      h('h2', { id: 'notebooks-title' }, t('notes.books')),
      ul,
      h('button', { type: 'button', class: 'btn new-cal new-book', onclick: () => newCalendarDialog(state.homes[0] ?? state.session?.calendarHome ?? '', books.length, (href, message) => {
        view.book = href;
        void reload(message);
      }, { components: ['VJOURNAL'], title: t('notes.newBook'), created: 'notes.bookCreated' }) }, icon(ICONS.plus), h('span', {}, t('notes.newBook'))),
    );
  };

  const reload = async (message?: string) => {
    try {
      books = (await collections()).filter((c) => holds(c, 'VJOURNAL'));
      if (view.book && !books.some((b) => b.href === view.book)) view.book = '';
      const results = await Promise.allSettled(books.map((b) => query(b.href, 'VJOURNAL')));
      notes = [];
      results.forEach((r, i) => {
        if (r.status === 'rejected') return toast(t('tasks.loadFailed', { names: books[i].name }), undefined, 'error');
        for (const raw of r.value) {
          try {
            notes.push(parseNote(raw.ics, raw.href, books[i].href, raw.etag, tz));
          } catch {
            /* one unreadable object must not hide the others */
          }
        }
      });
    } catch {
      toast(t('errors.load'), undefined, 'error');
    }
    drawBooks();
    draw();
    if (message) toast(message);
  };

  search.addEventListener('input', () => {
    view.text = search.value;
    draw();
  });
  const newButton = h('button', { type: 'button', class: 'btn btn-primary new-btn new-note', 'aria-label': t('notes.new'), onclick: () => {
    const book = target();
    if (!book) toast(t('notes.noWritableBook'), undefined, 'error');
    else void edit(undefined, { summary: '', date: today(), description: '', categories: [] }, book.href);
  } }, icon(ICONS.plus), h('span', {}, t('notes.new')));

  const page = sectionShell({
    id: 'notes',
    title: t('sections.notes'),
    sidebar: [booksBox],
    sidebarLabel: t('notes.books'),
    main: h('div', { class: 'notes' }, h('div', { class: 'task-tools' }, h('div', { class: 'task-search' }, field(t('notes.search'), search))), status, content),
    actions: [newButton],
  }, ctx);
  drawBooks();
  void reload();
  return page;
}
