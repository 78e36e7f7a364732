//! The note editor: title, day, categories and the text (several lines), and the notebook
//! (moving a note = a new copy, then the old one deleted). Read-only in a notebook one may
//! not write. Resolves with the choice (save, delete) or null.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import type { NoteFields } from '../notes/journal';
import { parseCategories } from '../tasks/ical-dates';
import { confirmDelete } from './calendar-dialogs';
import { h } from './dom';
import { field, openModal, showModal } from './modal';

export type NoteEditorResult = { action: 'save'; notebook: string; fields: NoteFields } | { action: 'delete' } | null;

export function openNoteEditor(f: NoteFields, notebook: string, notebooks: CalendarInfo[], isNew: boolean, readOnly: boolean): Promise<NoteEditorResult> {
  return new Promise((resolve) => {
    let result: NoteEditorResult = null;
    const m = openModal(t(isNew ? 'notes.new' : readOnly ? 'notes.view' : 'notes.edit'), () => resolve(result));
    m.dialog.classList.add('note-editor');
    const title = h('input', { id: m.id('title'), type: 'text', value: f.summary, maxlength: 500, autocomplete: 'off', disabled: readOnly });
    const date = h('input', { id: m.id('date'), type: 'date', value: f.date, disabled: readOnly });
    const book = h('select', { id: m.id('book'), disabled: readOnly });
    for (const b of notebooks.filter((b) => b.writable || b.href === notebook)) book.append(h('option', { value: b.href, selected: b.href === notebook }, b.name));
    const cats = h('input', { id: m.id('cat'), type: 'text', value: f.categories.join(', '), autocomplete: 'off', disabled: readOnly, 'aria-describedby': m.id('cat-help') });
    const text = h('textarea', { id: m.id('text'), rows: 10, disabled: readOnly });
    text.value = f.description;
    m.form.append(
      field(t('notes.title'), title),
      h('div', { class: 'row' }, field(t('notes.date'), date), field(t('notes.notebook'), book)),
      field(t('notes.text'), text),
      field(t('tasks.categories'), cats),
      h('p', { class: 'muted field-help', id: m.id('cat-help') }, t('tasks.categoriesHelp')),
    );
    if (!readOnly) {
      m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t(isNew ? 'notes.create' : 'editor.save')));
      if (!isNew) {
        m.actions.append(h('button', {
          type: 'button',
          class: 'btn btn-danger',
          onclick: async () => {
            if (!(await confirmDelete(f.summary || t('notes.untitled'), { title: 'notes.deleteTitle', text: 'notes.deleteText' }))) return;
            result = { action: 'delete' };
            m.close();
          },
        }, t('notes.delete')));
      }
    }
    m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t(readOnly ? 'common.close' : 'common.cancel')));
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (readOnly) return;
      if (!title.value.trim() && !text.value.trim()) {
        m.error.textContent = t('notes.empty');
        title.focus();
        return;
      }
      result = { action: 'save', notebook: book.value, fields: { summary: title.value.trim(), date: date.value, description: text.value, categories: parseCategories(cats.value) } };
      m.close();
    });
    showModal(m);
  });
}
