//! The writes of the Tasks section, each one CalDAV request (store.ts): a new task, a
//! change (moved to another list: new copy, then the old one deleted), completing or
//! reopening, deleting. And reading every task of the given lists.
import type { CalendarInfo } from '../calendars';
import { createObject, deleteObject, moveObject, query, updateObject } from './store';
import { completeTask, newTask, parseTask, updateTask, type CompleteResult, type Task, type TaskFields } from './todo';

/** Every task of the lists; a list that cannot be read is named in `failed`. */
export async function loadTasks(lists: CalendarInfo[], tz: string): Promise<{ tasks: Task[]; failed: string[] }> {
  const results = await Promise.allSettled(lists.map((l) => query(l.href, 'VTODO')));
  const tasks: Task[] = [];
  const failed: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      failed.push(lists[i].name);
      return;
    }
    for (const raw of r.value) {
      try {
        tasks.push(parseTask(raw.ics, raw.href, lists[i].href, raw.etag, tz));
      } catch {
        /* one unreadable object must not hide the others */
      }
    }
  });
  return { tasks, failed };
}

export async function saveTask(task: Task | undefined, list: string, fields: TaskFields, tz: string): Promise<void> {
  if (!task) {
    const uid = crypto.randomUUID();
    await createObject(list, uid, newTask(fields, tz, uid));
    return;
  }
  const ics = updateTask(task, fields, tz);
  if (list !== task.list) await moveObject(task, list, ics);
  else await updateObject(task, ics);
}

export async function setDone(task: Task, done: boolean, tz: string): Promise<CompleteResult> {
  const result = completeTask(task, done, tz);
  await updateObject(task, result.ics);
  return result;
}

export const deleteTask = (task: Task) => deleteObject(task);
