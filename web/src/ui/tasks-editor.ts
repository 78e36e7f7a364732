//! The task editor: title, list, due and start (a day, and a time or none), priority in
//! three words (RFC 5545 §3.8.1.9), status, percentage, categories, description; for a
//! subtask, whose task it belongs to. A task in a list one may not write is shown
//! read-only. Resolves with what the user chose (save, delete, add a subtask) or null.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import type { DayTime } from '../tasks/ical-dates';
import { parseCategories } from '../tasks/ical-dates';
import { LEVEL_VALUE, STATUSES, priorityLevel, type PriorityLevel, type TaskFields, type TaskStatus } from '../tasks/todo';
import { confirmDelete } from './calendar-dialogs';
import { h } from './dom';
import { field, openModal, showModal } from './modal';

export interface TaskEditorInput {
  fields: TaskFields;
  list: string;
  lists: CalendarInfo[];
  isNew: boolean;
  readOnly: boolean;
  /** The parent's title, for a subtask. */
  parentTitle?: string;
  /** Categories already in use (suggested). */
  knownCategories: string[];
}

export type TaskEditorResult =
  | { action: 'save'; list: string; fields: TaskFields }
  | { action: 'delete' }
  | { action: 'subtask' }
  | { action: 'done'; done: boolean }
  | null;

const LEVELS: PriorityLevel[] = ['none', 'high', 'medium', 'low'];

export function openTaskEditor(input: TaskEditorInput): Promise<TaskEditorResult> {
  return new Promise((resolve) => {
    let result: TaskEditorResult = null;
    const f = input.fields;
    const m = openModal(t(input.isNew ? (f.parent ? 'tasks.newSubtask' : 'tasks.new') : input.readOnly ? 'tasks.view' : 'tasks.edit'), () => resolve(result));
    m.dialog.classList.add('task-editor');
    const dis = input.readOnly;
    const title = h('input', { id: m.id('title'), type: 'text', value: f.summary, required: true, maxlength: 500, autocomplete: 'off', disabled: dis });
    const lists = input.lists.filter((l) => l.writable || l.href === input.list);
    const list = h('select', { id: m.id('list'), disabled: dis || !!f.parent });
    for (const l of lists) list.append(h('option', { value: l.href, selected: l.href === input.list }, l.name));

    const dateTime = (name: string, v: DayTime | undefined) => {
      const date = h('input', { id: m.id(`${name}-d`), type: 'date', value: v?.date ?? '', disabled: dis });
      const time = h('input', { id: m.id(`${name}-t`), type: 'time', value: v?.time ?? '', disabled: dis });
      return { date, time, read: (): DayTime | undefined => (date.value ? { date: date.value, time: time.value || undefined } : undefined) };
    };
    const due = dateTime('due', f.due);
    const start = dateTime('start', f.start);

    const priority = h('select', { id: m.id('prio'), disabled: dis });
    const level = priorityLevel(f.priority);
    for (const l of LEVELS) priority.append(h('option', { value: l, selected: l === level }, t(`tasks.priority.${l}`)));
    const status = h('select', { id: m.id('status'), disabled: dis });
    for (const s of STATUSES) status.append(h('option', { value: s, selected: s === f.status }, t(`tasks.status.${s}`)));
    const percent = h('input', { id: m.id('pct'), type: 'number', min: 0, max: 100, step: 5, value: String(f.percent), disabled: dis, inputmode: 'numeric' });
    const catList = h('datalist', { id: m.id('cats') }, ...input.knownCategories.map((c) => h('option', { value: c })));
    const cats = h('input', { id: m.id('cat'), type: 'text', value: f.categories.join(', '), list: catList.id, autocomplete: 'off', disabled: dis, 'aria-describedby': m.id('cat-help') });
    const desc = h('textarea', { id: m.id('desc'), rows: 4, disabled: dis });
    desc.value = f.description;

    if (input.parentTitle) m.form.append(h('p', { class: 'muted task-parent' }, t('tasks.subtaskOf', { title: input.parentTitle })));
    m.form.append(
      field(t('tasks.title'), title),
      field(t('tasks.list'), list),
      h('div', { class: 'row' }, field(t('tasks.due'), due.date), field(t('tasks.dueTime'), due.time)),
      h('div', { class: 'row' }, field(t('tasks.start'), start.date), field(t('tasks.startTime'), start.time)),
      h('div', { class: 'row' }, field(t('tasks.priority.label'), priority), field(t('tasks.status.label'), status), field(t('tasks.percent'), percent)),
      field(t('tasks.categories'), cats),
      h('p', { class: 'muted field-help', id: m.id('cat-help') }, t('tasks.categoriesHelp')),
      catList,
      field(t('tasks.description'), desc),
    );

    const read = (): TaskFields | string => {
      const summary = title.value.trim();
      if (!summary) return 'tasks.titleMissing';
      const d = due.read();
      const s = start.read();
      if ((due.time.value && !due.date.value) || (start.time.value && !start.date.value)) return 'tasks.timeWithoutDay';
      // DTSTART and DUE have the same value type (§3.8.2.3), and the start comes first.
      if (d && s && !!d.time !== !!s.time) return 'tasks.mixedTimes';
      if (d && s && `${s.date}T${s.time ?? ''}` > `${d.date}T${d.time ?? ''}`) return 'tasks.startAfterDue';
      const pct = Number(percent.value || 0);
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) return 'tasks.badPercent';
      const chosen = priority.value as PriorityLevel;
      return {
        summary,
        description: desc.value,
        due: d,
        start: s,
        // A stored 2 or 3 is "high" too: it stays as it was unless the level changed.
        priority: chosen === level ? f.priority : LEVEL_VALUE[chosen],
        percent: Math.round(pct),
        status: status.value as TaskStatus,
        categories: parseCategories(cats.value),
        parent: f.parent,
      };
    };

    if (!dis) {
      m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t(input.isNew ? 'tasks.create' : 'editor.save')));
      if (!input.isNew) {
        const done = f.status === 'COMPLETED' || f.status === 'CANCELLED';
        // Secondary actions in the form, so the sticky foot stays one row on a phone.
        m.form.append(h('div', { class: 'manage-tools task-more' },
          h('button', { type: 'button', class: 'btn task-toggle', onclick: () => ((result = { action: 'done', done: !done }), m.close()) }, t(done ? 'tasks.reopen' : 'tasks.markDone')),
          h('button', { type: 'button', class: 'btn', onclick: () => ((result = { action: 'subtask' }), m.close()) }, t('tasks.addSubtask')),
        ));
        m.actions.append(
          h('button', {
            type: 'button',
            class: 'btn btn-danger',
            onclick: async () => {
              if (!(await confirmDelete(f.summary || t('tasks.untitled'), { title: 'tasks.deleteTitle', text: 'tasks.deleteText' }))) return;
              result = { action: 'delete' };
              m.close();
            },
          }, t('tasks.delete')),
        );
      }
    }
    m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t(dis ? 'common.close' : 'common.cancel')));
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (dis) return;
      const r = read();
      if (typeof r === 'string') {
        m.error.textContent = t(r);
        return;
      }
      result = { action: 'save', list: list.value, fields: r };
      m.close();
    });
    showModal(m);
  });
}
