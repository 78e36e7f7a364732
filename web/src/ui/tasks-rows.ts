//! The task tree as nested lists: each task a real checkbox (complete / reopen, named
//! after the task), its title as a button that opens the editor, and what matters at a
//! glance — due date (overdue said in words, not by colour alone), priority in words,
//! progress, categories, list, "repeats" — then an "add a subtask" button and its
//! subtasks below it.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { formatDayTime } from '../tasks/ical-dates';
import type { Node } from '../tasks/tree';
import { isDone, priorityLevel, type Task } from '../tasks/todo';
import { ICONS, h, icon } from './dom';

export interface RowActions {
  open: (task: Task) => void;
  toggle: (task: Task, done: boolean) => void;
  addSubtask: (parent: Task) => void;
  writable: (task: Task) => boolean;
  list: (href: string) => CalendarInfo | undefined;
  /** Whether the list's name is worth showing (several lists shown at once). */
  showList: boolean;
  locale: string;
  hour12?: boolean;
  now: number;
}

function meta(task: Task, a: RowActions): HTMLElement {
  const bits = h('span', { class: 'task-meta' });
  if (task.due) {
    const overdue = !isDone(task) && (task.dueAt ?? Infinity) < a.now - (task.due.time ? 0 : 86400000);
    bits.append(h('span', { class: `task-due${overdue ? ' overdue' : ''}` }, t(overdue ? 'tasks.overdue' : 'tasks.dueOn', { when: formatDayTime(task.due, a.locale, a.hour12) })));
  }
  const level = priorityLevel(task.priority);
  if (level !== 'none') bits.append(h('span', { class: `task-prio prio-${level}` }, t(`tasks.priority.${level}`)));
  if (task.percent > 0 && task.percent < 100) bits.append(h('span', { class: 'task-pct' }, t('tasks.percentDone', { pct: task.percent })));
  else if (task.status === 'IN-PROCESS') bits.append(h('span', { class: 'task-pct' }, t('tasks.status.IN-PROCESS')));
  if (task.status === 'CANCELLED') bits.append(h('span', { class: 'task-cancelled' }, t('tasks.status.CANCELLED')));
  if (task.recurring) bits.append(h('span', { class: 'task-repeats' }, t('tasks.repeats')));
  for (const c of task.categories) bits.append(h('span', { class: 'task-cat' }, c));
  const list = a.list(task.list);
  if (list && a.showList) {
    const swatch = h('span', { class: 'list-dot', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = list.color;
    bits.append(h('span', { class: 'task-list' }, swatch, list.name));
  }
  return bits;
}

function row(node: Node, a: RowActions, path: string): HTMLElement {
  const task = node.task;
  const name = task.summary || t('tasks.untitled');
  const done = isDone(task);
  const id = `task-${path}`;
  const box = h('input', { type: 'checkbox', id, class: 'task-check', checked: done, disabled: !a.writable(task), 'aria-label': t('tasks.doneLabel', { title: name }) });
  box.addEventListener('change', () => a.toggle(task, box.checked));
  const li = h('li', { class: `task${done ? ' done' : ''}`, 'data-uid': task.uid });
  const line = h(
    'div',
    { class: 'task-line' },
    box,
    h('div', { class: 'task-text' }, h('button', { type: 'button', class: 'task-title', onclick: () => a.open(task) }, name), meta(task, a)),
  );
  if (a.writable(task)) {
    line.append(h('button', { type: 'button', class: 'btn btn-icon task-sub', 'aria-label': t('tasks.addSubtaskTo', { title: name }), title: t('tasks.addSubtaskTo', { title: name }), onclick: () => a.addSubtask(task) }, icon(ICONS.plus)));
  }
  li.append(line);
  if (node.children.length) li.append(tree(node.children, a, `${path}-`, t('tasks.subtasksOf', { title: name })));
  return li;
}

export function tree(nodes: Node[], a: RowActions, prefix = '', label?: string): HTMLElement {
  const ul = h('ul', { class: prefix ? 'task-tree sub' : 'task-tree', 'aria-label': label ?? null });
  nodes.forEach((n, i) => ul.append(row(n, a, `${prefix}${i}`)));
  return ul;
}
