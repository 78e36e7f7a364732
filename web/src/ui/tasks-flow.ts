//! What happens when a task is opened, completed or given a subtask — the same from the
//! Tasks section and from the calendar views: the editor, then the write, then a message;
//! a refusal or a conflict (412: changed elsewhere meanwhile) is said in words.
import { ConflictError } from '../actions';
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { deleteTask, saveTask } from '../tasks/actions';
import { categoriesIn } from '../tasks/tree';
import { fieldsOf, type Task, type TaskFields } from '../tasks/todo';
import { refusal } from './calendar-dialogs';
import { toggleDone } from './tasks-complete';
import { openTaskEditor } from './tasks-editor';
import { toast } from './toast';

export interface TaskContext {
  lists: CalendarInfo[];
  /** The tasks known (parents, subtasks, categories). */
  tasks: Task[];
  tz: string;
  locale: string;
  /** Reads again and redraws, after a write or a failed one. */
  changed: () => Promise<void> | void;
}

export const blankTask = (parent?: Task): TaskFields => ({ summary: '', description: '', priority: 0, percent: 0, status: 'NEEDS-ACTION', categories: [], parent: parent?.uid });

const writable = (c: TaskContext, list: string) => !!c.lists.find((l) => l.href === list)?.writable;

function failed(c: TaskContext, e: unknown): Promise<void> | void {
  toast(e instanceof ConflictError ? t('errors.conflict') : refusal(e), undefined, 'error');
  return c.changed();
}

export async function editTask(c: TaskContext, task: Task | undefined, fields: TaskFields, list: string, parentTitle?: string): Promise<void> {
  const collator = new Intl.Collator(c.locale, { sensitivity: 'base' });
  const result = await openTaskEditor({
    fields, list, lists: c.lists.filter((l) => l.writable || l.href === list), isNew: !task,
    readOnly: !writable(c, list), parentTitle, knownCategories: categoriesIn(c.tasks, collator),
  });
  if (!result) return;
  if (result.action === 'subtask' && task) return addSubtask(c, task);
  if (result.action === 'done' && task) return toggleTask(c, task, result.done);
  try {
    let message = '';
    if (result.action === 'delete' && task) {
      await deleteTask(task);
      message = t('tasks.deleted', { title: task.summary || t('tasks.untitled') });
    } else if (result.action === 'save') {
      await saveTask(task, result.list, result.fields, c.tz);
      message = t(task ? 'tasks.saved' : 'tasks.created', { title: result.fields.summary });
    }
    // Said once the list shows the change.
    await c.changed();
    if (message) toast(message);
  } catch (e) {
    await failed(c, e);
  }
}

export function openTask(c: TaskContext, task: Task): Promise<void> {
  const parent = task.parent ? c.tasks.find((p) => p.uid === task.parent) : undefined;
  return editTask(c, task, fieldsOf(task), task.list, parent ? parent.summary || t('tasks.untitled') : undefined);
}

export function addSubtask(c: TaskContext, parent: Task): Promise<void> {
  return editTask(c, undefined, blankTask(parent), parent.list, parent.summary || t('tasks.untitled'));
}

export async function toggleTask(c: TaskContext, task: Task, done: boolean): Promise<void> {
  try {
    const message = await toggleDone(task, done, c.tasks, c.tz, c.locale);
    await c.changed();
    if (message) toast(message);
  } catch (e) {
    await failed(c, e);
  }
}
