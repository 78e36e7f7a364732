//! Completing and reopening a task from its checkbox (in the list or the calendar).
//! A parent with open subtasks asks first: complete the subtasks too, only the parent,
//! or nothing (docs/decisions.md "Completing a task with open subtasks"). A repeating
//! task moves to its next occurrence instead, and says when that is.
import { t } from '../i18n';
import { setDone } from '../tasks/actions';
import { formatDayTime } from '../tasks/ical-dates';
import { isDone, type Task } from '../tasks/todo';
import { h } from './dom';
import { openModal, showModal } from './modal';

type Answer = 'all' | 'one' | null;

function askSubtasks(task: Task, open: number): Promise<Answer> {
  return new Promise((resolve) => {
    let answer: Answer = null;
    const m = openModal(t('tasks.openSubtasksTitle', { title: task.summary || t('tasks.untitled') }), () => resolve(answer));
    m.form.append(h('p', {}, t('tasks.openSubtasksText', { count: open })));
    const pick = (a: Answer) => () => {
      answer = a;
      m.close();
    };
    m.actions.append(
      h('button', { type: 'button', class: 'btn btn-primary', onclick: pick('all') }, t('tasks.completeAll')),
      h('button', { type: 'button', class: 'btn', onclick: pick('one') }, t('tasks.completeOne')),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', (e) => e.preventDefault());
    showModal(m);
  });
}

/** Open tasks under `task`, at any depth, among `all`. */
export function openSubtasks(task: Task, all: Task[]): Task[] {
  const out: Task[] = [];
  const seen = new Set([task.uid]);
  const walk = (uid: string) => {
    for (const c of all) {
      if (c.parent !== uid || seen.has(c.uid)) continue;
      seen.add(c.uid);
      if (!isDone(c)) out.push(c);
      walk(c.uid);
    }
  };
  walk(task.uid);
  return out;
}

/** Completes (or reopens) `task`; resolves with the message to show, or null when the
 * user cancelled. Write failures are thrown (ConflictError on a 412). */
export async function toggleDone(task: Task, done: boolean, all: Task[], tz: string, locale: string): Promise<string | null> {
  const name = task.summary || t('tasks.untitled');
  if (done) {
    const open = openSubtasks(task, all).filter((c) => !c.recurring);
    if (open.length) {
      const answer = await askSubtasks(task, open.length);
      if (!answer) return null;
      if (answer === 'all') for (const c of open) await setDone(c, true, tz);
    }
  }
  const result = await setDone(task, done, tz);
  if (result.movedTo) {
    const when = formatDayTime(result.movedTo, locale);
    return t('tasks.movedToNext', { title: name, when });
  }
  return t(done ? 'tasks.completed' : 'tasks.reopened', { title: name });
}
