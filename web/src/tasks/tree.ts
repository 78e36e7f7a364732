//! The task list as shown: subtasks under their parent (RELATED-TO;RELTYPE=PARENT,
//! RFC 5545 §3.8.4.5), siblings sorted, and the filters (text, category, list, hide
//! completed). A task whose parent is missing (deleted, in a list not shown) stands at
//! the top level; a loop of parents (bad data from elsewhere) is cut where it closes.
import { isDone, type Task } from './todo';

export type SortKey = 'due' | 'priority' | 'title' | 'created';
export const SORT_KEYS: SortKey[] = ['due', 'priority', 'title', 'created'];

export interface Filter {
  text: string;
  category: string;
  /** A list's href, or '' for every list. */
  list: string;
  hideCompleted: boolean;
}

export interface Node {
  task: Task;
  children: Node[];
  /** Open subtasks at any depth (for "complete the parent?"). */
  openBelow: number;
}

const last = Number.MAX_SAFE_INTEGER;

export function compare(key: SortKey, collator: Intl.Collator): (a: Task, b: Task) => number {
  const title = (a: Task, b: Task) => collator.compare(a.summary, b.summary);
  switch (key) {
    case 'due':
      return (a, b) => (a.dueAt ?? last) - (b.dueAt ?? last) || (a.priority || 10) - (b.priority || 10) || title(a, b);
    case 'priority':
      return (a, b) => (a.priority || 10) - (b.priority || 10) || (a.dueAt ?? last) - (b.dueAt ?? last) || title(a, b);
    case 'title':
      return title;
    case 'created':
      return (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || title(a, b);
  }
}

function matches(t: Task, f: Filter): boolean {
  if (f.list && t.list !== f.list) return false;
  if (f.category && !t.categories.includes(f.category)) return false;
  if (f.text) {
    const q = f.text.toLocaleLowerCase();
    if (![t.summary, t.description, ...t.categories].some((s) => s.toLocaleLowerCase().includes(q))) return false;
  }
  return true;
}

/** The forest of tasks: a task is shown when it matches the filter and is not a hidden
 * completed one, or when one of its subtasks is shown (its context stays visible). */
export function buildTree(tasks: Task[], f: Filter, key: SortKey, collator: Intl.Collator): Node[] {
  const byUid = new Map(tasks.map((t) => [t.uid, t]));
  const kids = new Map<string, Task[]>();
  const roots: Task[] = [];
  for (const t of tasks) {
    const p = t.parent && t.parent !== t.uid ? byUid.get(t.parent) : undefined;
    if (p && !ancestors(p, byUid).has(t.uid)) (kids.get(p.uid) ?? kids.set(p.uid, []).get(p.uid)!).push(t);
    else roots.push(t);
  }
  const cmp = compare(key, collator);
  const build = (t: Task): Node | null => {
    const children = (kids.get(t.uid) ?? []).sort(cmp).map(build).filter((n): n is Node => !!n);
    const openBelow = openCount(t.uid, kids);
    const self = matches(t, f) && !(f.hideCompleted && isDone(t));
    return self || children.length ? { task: t, children, openBelow } : null;
  };
  return roots.sort(cmp).map(build).filter((n): n is Node => !!n);
}

function openCount(uid: string, kids: Map<string, Task[]>, seen = new Set<string>()): number {
  if (seen.has(uid)) return 0;
  seen.add(uid);
  return (kids.get(uid) ?? []).reduce((n, c) => n + (isDone(c) ? 0 : 1) + openCount(c.uid, kids, seen), 0);
}

/** The UIDs above a task (to refuse a loop). */
function ancestors(t: Task, byUid: Map<string, Task>): Set<string> {
  const seen = new Set<string>();
  let cur: Task | undefined = t;
  while (cur && !seen.has(cur.uid)) {
    seen.add(cur.uid);
    cur = cur.parent ? byUid.get(cur.parent) : undefined;
  }
  return seen;
}

/** Every category in use, sorted, for the filter. */
export function categoriesIn(tasks: Task[], collator: Intl.Collator): string[] {
  return [...new Set(tasks.flatMap((t) => t.categories))].sort(collator.compare);
}
