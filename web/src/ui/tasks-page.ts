//! The Tasks section (`#/tasks`): task lists in the sidebar (CalDAV calendars that hold
//! VTODO; created with MKCALENDAR, renamed, recoloured and deleted with the calendar
//! dialogs), the option to show due tasks in the calendar views, and the tasks as a tree
//! with search, category filter, sort and "hide completed" (the last three stored in the
//! preferences), a quick "add a task" field and the editor.
import { putPreferences } from '../api';
import type { CalendarInfo } from '../calendars';
import { currentLocale, localeHour12, t } from '../i18n';
import { state } from '../state';
import { loadTasks, saveTask } from '../tasks/actions';
import { collections, holds } from '../tasks/store';
import { SORT_KEYS, buildTree, categoriesIn, type Filter, type SortKey } from '../tasks/tree';
import type { Task } from '../tasks/todo';
import '../styles/tasks.css';
import { timeZone } from './app';
import { calendarOptionsDialog, newCalendarDialog, refusal } from './calendar-dialogs';
import { ICONS, clear, h, icon } from './dom';
import { field } from './modal';
import { sectionShell, type SectionContext } from './sections';
import { forgetTaskLists } from './tasks-grid';
import { addSubtask as addSubtaskTo, blankTask, editTask, openTask, toggleTask, type TaskContext } from './tasks-flow';
import { tree } from './tasks-rows';
import { toast } from './toast';

/** What the user chose on this page, kept while they visit other sections. */
const view = { text: '', category: '', list: '' };

const prefs = () => (state.prefs.tasks ??= {});
function savePrefs(): void {
  putPreferences(state.prefs).catch(() => toast(t('errors.prefs'), undefined, 'error'));
}

export function tasksPage(ctx: SectionContext): HTMLElement {
  const tz = timeZone();
  const locale = currentLocale();
  const hour12 = state.prefs.hour12 ?? localeHour12(locale);
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  let lists: CalendarInfo[] = [];
  let tasks: Task[] = [];

  const listsBox = h('section', { class: 'task-lists', 'aria-labelledby': 'task-lists-title' });
  const content = h('div', { class: 'task-content', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('app.loading')));
  const search = h('input', { id: 'task-search', type: 'search', value: view.text, autocomplete: 'off', placeholder: t('tasks.searchPlaceholder') });
  const category = h('select', { id: 'task-cat' });
  const sort = h('select', { id: 'task-sort' });
  const current = (prefs().sort ?? 'due') as SortKey;
  for (const k of SORT_KEYS) sort.append(h('option', { value: k, selected: k === current }, t(`tasks.sort.${k}`)));
  const hide = h('input', { id: 'task-hide', type: 'checkbox', checked: !!prefs().hideCompleted });
  const inCal = h('input', { id: 'task-in-cal', type: 'checkbox', checked: !!prefs().inCalendar });

  const writable = (task: Task) => !!lists.find((l) => l.href === task.list)?.writable;
  const writableLists = () => lists.filter((l) => l.writable);
  const targetList = () => writableLists().find((l) => l.href === view.list) ?? writableLists()[0];

  const flow = (): TaskContext => ({ lists, tasks, tz, locale, changed: () => reload() });
  const open = (task: Task) => void openTask(flow(), task);
  const addSubtask = (parent: Task) => void addSubtaskTo(flow(), parent);
  const toggle = (task: Task, done: boolean) => void toggleTask(flow(), task, done);

  const filter = (): Filter => ({ text: view.text.trim(), category: view.category, list: view.list, hideCompleted: hide.checked });
  const draw = () => {
    clear(content);
    content.setAttribute('aria-busy', 'false');
    const cats = categoriesIn(tasks, collator);
    if (view.category && !cats.includes(view.category)) view.category = '';
    clear(category);
    category.append(h('option', { value: '' }, t('tasks.allCategories')), ...cats.map((c) => h('option', { value: c, selected: c === view.category }, c)));
    if (!lists.length) {
      content.append(h('p', { class: 'muted task-empty' }, t('tasks.noLists')));
      return;
    }
    const nodes = buildTree(tasks, filter(), sort.value as SortKey, collator);
    if (!nodes.length) {
      content.append(h('p', { class: 'muted task-empty' }, t(tasks.length ? 'tasks.noMatch' : 'tasks.none')));
      return;
    }
    content.append(
      tree(nodes, {
        open, toggle, addSubtask, writable,
        list: (href) => lists.find((l) => l.href === href), showList: !view.list && lists.length > 1, locale, hour12, now: Date.now(),
      }, '', t('sections.tasks')),
    );
  };

  const drawLists = () => {
    clear(listsBox);
    const ul = h('ul', { class: 'cal-list task-list-picker' });
    const pick = (href: string, label: string, color?: string, cal?: CalendarInfo) => {
      const swatch = color ? h('span', { class: 'list-dot', 'aria-hidden': 'true' }) : null;
      if (swatch) swatch.style.backgroundColor = color!;
      const li = h('li', {}, h('button', { type: 'button', class: 'list-pick', 'aria-pressed': String(view.list === href), onclick: () => {
        view.list = href;
        drawLists();
        draw();
      } }, swatch, h('span', { class: 'cal-name' }, label), cal && !cal.writable ? h('span', { class: 'cal-note' }, ` (${t('calendars.readOnly')})`) : null));
      if (cal) li.append(h('button', { type: 'button', class: 'btn btn-icon cal-options', 'aria-label': t('tasks.listOptions', { name: cal.name }), title: t('tasks.listOptions', { name: cal.name }), onclick: () => calendarOptionsDialog(cal, (message) => void reload(message)) }, icon(ICONS.more)));
      ul.append(li);
    };
    pick('', t('tasks.allLists'));
    for (const l of lists) pick(l.href, l.name, l.color, l);
    listsBox.append(
      h('h2', { id: 'task-lists-title' }, t('tasks.lists')),
      ul,
      h('button', { type: 'button', class: 'btn new-cal new-list', onclick: () => newCalendarDialog(state.homes[0] ?? state.session?.calendarHome ?? '', lists.length, (href, message) => {
        view.list = href;
        void reload(message);
      }, { components: ['VTODO'], title: t('tasks.newList'), created: 'tasks.listCreated' }) }, icon(ICONS.plus), h('span', {}, t('tasks.newList'))),
    );
  };

  const reload = async (message?: string) => {
    try {
      lists = (await collections()).filter((c) => holds(c, 'VTODO'));
      forgetTaskLists();
      if (view.list && !lists.some((l) => l.href === view.list)) view.list = '';
      const r = await loadTasks(lists, tz);
      tasks = r.tasks;
      if (r.failed.length) toast(t('tasks.loadFailed', { names: r.failed.join(', ') }), undefined, 'error');
    } catch {
      toast(t('errors.load'), undefined, 'error');
    }
    drawLists();
    draw();
    if (message) toast(message);
  };

  search.addEventListener('input', () => {
    view.text = search.value;
    draw();
  });
  category.addEventListener('change', () => {
    view.category = category.value;
    draw();
  });
  sort.addEventListener('change', () => {
    prefs().sort = sort.value;
    savePrefs();
    draw();
  });
  hide.addEventListener('change', () => {
    prefs().hideCompleted = hide.checked;
    savePrefs();
    draw();
  });
  inCal.addEventListener('change', () => {
    prefs().inCalendar = inCal.checked;
    savePrefs();
    toast(t(inCal.checked ? 'tasks.inCalendarOn' : 'tasks.inCalendarOff'));
  });

  // Quick add: a title and Enter, in the list chosen (or the first one may write to).
  const quick = h('input', { id: 'task-quick', type: 'text', autocomplete: 'off', maxlength: 500, placeholder: t('tasks.quickPlaceholder') });
  const quickForm = h('form', { class: 'task-quick', novalidate: true }, h('label', { for: quick.id, class: 'visually-hidden' }, t('tasks.quickLabel')), quick, h('button', { type: 'submit', class: 'btn' }, t('tasks.add')));
  quickForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const summary = quick.value.trim();
    const list = targetList();
    if (!summary) return;
    if (!list) {
      toast(t('tasks.noWritableList'), undefined, 'error');
      return;
    }
    try {
      await saveTask(undefined, list.href, { ...blankTask(), summary }, tz);
      quick.value = '';
      await reload(t('tasks.created', { title: summary }));
      quick.focus();
    } catch (err) {
      toast(refusal(err), undefined, 'error');
    }
  });

  const tools = h(
    'div',
    { class: 'task-tools' },
    h('div', { class: 'task-search' }, field(t('tasks.search'), search)),
    field(t('tasks.category'), category),
    field(t('tasks.sort.label'), sort),
    h('div', { class: 'check task-hide' }, hide, h('label', { for: hide.id }, t('tasks.hideCompleted'))),
  );
  const newButton = h('button', { type: 'button', class: 'btn btn-primary new-btn new-task', onclick: () => {
    const list = targetList();
    if (!list) toast(t('tasks.noWritableList'), undefined, 'error');
    else void editTask(flow(), undefined, blankTask(), list.href);
  } }, icon(ICONS.plus), h('span', {}, t('tasks.new')));
  newButton.setAttribute('aria-label', t('tasks.new'));

  const page = sectionShell({
    id: 'tasks',
    title: t('sections.tasks'),
    sidebar: [listsBox, h('div', { class: 'check task-in-cal' }, inCal, h('label', { for: inCal.id }, t('tasks.inCalendar')))],
    sidebarLabel: t('tasks.lists'),
    main: h('div', { class: 'tasks' }, tools, quickForm, content),
    actions: [newButton],
  }, ctx);
  drawLists();
  void reload();
  return page;
}
