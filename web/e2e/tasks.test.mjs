// The Tasks and Notes sections: a task list made with MKCALENDAR (VTODO only), a task
// with a due date, priority, categories and two subtasks made in the page and checked as
// stored VTODOs (RELATED-TO;RELTYPE=PARENT on the children); the subtasks and the parent
// completed (STATUS, COMPLETED, PERCENT-COMPLETE), hidden and shown again; a DAV client's
// unknown property and alarm kept through a web edit; a repeating task moved to its next
// occurrence; a due task in the week view with the option on; a note created, found,
// edited and deleted; the task flow in French; a phone's width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, USER, assertAccessible, assertNoProblems, davRequest, eventually, launch, objects, openPage, prop, setPreferences, shot, signIn } from './lib.mjs';
import { parisToday } from './helpers-ui.mjs';

const HOME = `/calendars/${USER.login}/`;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The collections of the home whose displayname is `name`, with their component set. */
async function collection(name) {
  const res = await davRequest('PROPFIND', HOME, {
    headers: { Depth: '1', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:displayname/><c:supported-calendar-component-set/></d:prop></d:propfind>',
  });
  assert.equal(res.status, 207, res.text);
  for (const [, r] of res.text.matchAll(/<D:response>([\s\S]*?)<\/D:response>/gi)) {
    if (r.match(/displayname[^>]*>([^<]*)</i)?.[1] !== name) continue;
    return { href: r.match(/<D:href>([^<]+)<\/D:href>/i)[1], comps: [...r.matchAll(/comp name="(\w+)"/gi)].map((m) => m[1]) };
  }
  return undefined;
}

const bySummary = async (href, summary) => (await objects(href)).find((o) => o.ics.includes(`SUMMARY:${summary}\r\n`));
const rail = (page, name) => page.getByRole('navigation', { name: /Sections|Rubriques/ }).getByRole('link', { name });
const put = (href, ics) => davRequest('PUT', href, { body: ics, headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' } });
const vtodo = (uid, lines) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other client//EN', 'BEGIN:VTODO', `UID:${uid}`, 'DTSTAMP:20261201T080000Z', ...lines, 'END:VTODO', 'END:VCALENDAR', ''].join('\r\n');

describe('tasks', () => {
  let page;
  let list;
  let parentUid;
  const today = parisToday();
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await setPreferences(page, { locale: 'en', view: 'week' }, { drop: ['tasks'] });
    await rail(page, 'Tasks').click();
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('a task list, then a task with due date, priority, categories and two subtasks', async () => {
    await page.getByRole('button', { name: 'New task list' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByRole('heading', { name: 'New task list' }).waitFor();
    assert.equal(await dialog.getByText('A calendar on the web').isVisible().catch(() => false), false, 'no subscription choice');
    await dialog.getByLabel('Name').fill('Errands e2e');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Task list “Errands e2e” created.').waitFor();
    list = await collection('Errands e2e');
    assert.deepEqual(list?.comps, ['VTODO'], 'MKCALENDAR with VTODO only');
    await page.getByRole('button', { name: 'Errands e2e', exact: true, pressed: true }).waitFor();

    await page.getByRole('button', { name: 'New task', exact: true }).click();
    const ed = page.locator('dialog.task-editor');
    await ed.getByRole('heading', { name: 'New task' }).waitFor();
    await ed.getByLabel('Title').fill('Move house');
    await ed.getByLabel('Due date').fill(today.ymd);
    await ed.getByLabel('Priority').selectOption('high');
    await ed.getByLabel('Categories').fill('Home, Urgent');
    await ed.getByLabel('Description').fill('Before the end of the month.');
    await assertAccessible(page, 'task editor');
    await shot(page, 'task-editor-desktop');
    await ed.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Task “Move house” created.').waitFor();

    for (const title of ['Pack boxes', 'Book the van']) {
      await page.getByRole('button', { name: 'Add a subtask to “Move house”' }).click();
      await ed.getByRole('heading', { name: 'New subtask' }).waitFor();
      await ed.getByText('Subtask of “Move house”.').waitFor();
      await ed.getByLabel('Title').fill(title);
      await ed.getByRole('button', { name: 'Create' }).click();
      await page.getByText(`Task “${title}” created.`).waitFor();
    }

    const parent = await bySummary(list.href, 'Move house');
    assert.ok(parent, 'parent stored');
    parentUid = prop(parent.ics, 'UID').slice(1);
    assert.equal(prop(parent.ics, 'DUE'), `;VALUE=DATE:${today.compact}`);
    assert.equal(prop(parent.ics, 'PRIORITY'), ':1');
    assert.equal(prop(parent.ics, 'CATEGORIES'), ':Home,Urgent');
    assert.equal(prop(parent.ics, 'DESCRIPTION'), ':Before the end of the month.');
    for (const title of ['Pack boxes', 'Book the van']) {
      const child = await bySummary(list.href, title);
      assert.ok(child, `${title} stored`);
      assert.equal(prop(child.ics, 'RELATED-TO'), `;RELTYPE=PARENT:${parentUid}`);
    }
    // The tree: both subtasks under their parent.
    const sub = page.locator(`li.task[data-uid="${parentUid}"] ul.task-tree.sub > li`);
    assert.equal(await sub.count(), 2);
    await page.locator('.task-meta', { hasText: 'High' }).first().waitFor();
    await assertAccessible(page, 'task list');
    await shot(page, 'tasks-desktop');
  });

  test('completing: a parent with open subtasks asks; subtasks then parent; hide and show completed', async () => {
    const check = (title) => page.getByRole('checkbox', { name: `Completed: ${title}` });
    await check('Move house').check();
    const ask = page.locator('dialog.modal');
    await ask.getByRole('heading', { name: 'Complete “Move house”?' }).waitFor();
    await ask.getByText('This task has 2 open subtasks.').waitFor();
    await assertAccessible(page, 'open subtasks question');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await eventually(async () => !(await check('Move house').isChecked()), 5000, 'parent unchecked again');
    assert.doesNotMatch((await bySummary(list.href, 'Move house')).ics, /STATUS:COMPLETED/);

    for (const title of ['Pack boxes', 'Book the van']) {
      await check(title).check();
      await page.getByText(`“${title}” completed.`).waitFor();
    }
    await check('Move house').check();
    await page.getByText('“Move house” completed.').waitFor();
    for (const title of ['Pack boxes', 'Book the van', 'Move house']) {
      const { ics } = await bySummary(list.href, title);
      assert.equal(prop(ics, 'STATUS'), ':COMPLETED', title);
      assert.equal(prop(ics, 'PERCENT-COMPLETE'), ':100', title);
      assert.match(prop(ics, 'COMPLETED') ?? '', /^:\d{8}T\d{6}Z$/, `${title}: COMPLETED in UTC`);
    }
    await page.getByLabel('Hide completed tasks').check();
    await eventually(async () => (await page.locator('.task-title', { hasText: 'Move house' }).count()) === 0, 5000, 'hidden');
    assert.equal(await page.locator('.task-title', { hasText: 'Pack boxes' }).count(), 0);
    const stored = await page.evaluate(async () => {
      const { csrf } = await (await fetch('/api/session')).json();
      return (await (await fetch('/api/preferences', { headers: { 'X-Agora-CSRF': csrf } })).json()).tasks;
    });
    assert.equal(stored?.hideCompleted, true, 'stored in the preferences');
    await page.getByLabel('Hide completed tasks').uncheck();
    await page.locator('.task-title', { hasText: 'Move house' }).waitFor();
    // Reopening takes COMPLETED away.
    await check('Book the van').uncheck();
    await page.getByText('“Book the van” reopened.').waitFor();
    const reopened = (await bySummary(list.href, 'Book the van')).ics;
    assert.equal(prop(reopened, 'STATUS'), ':NEEDS-ACTION');
    assert.equal(prop(reopened, 'COMPLETED'), null);
  });

  test('a DAV client’s task keeps its unknown property and alarm through a web edit; a repeating task moves on', async () => {
    const other = vtodo('other-client-task', ['SUMMARY:From a phone', 'X-OTHER-CLIENT;X-P=1:keep me', 'PRIORITY:3', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Ping', 'TRIGGER:-PT15M', 'END:VALARM']);
    assert.equal((await put(`${list.href}other-client-task.ics`, other)).status, 201);
    const weekly = vtodo('weekly-task', ['SUMMARY:Water the plants', `DTSTART;VALUE=DATE:${today.compact}`, `DUE;VALUE=DATE:${today.compact}`, 'RRULE:FREQ=WEEKLY;COUNT=3']);
    assert.equal((await put(`${list.href}weekly-task.ics`, weekly)).status, 201);
    await page.reload();
    await page.locator('.task-title', { hasText: 'From a phone' }).click();
    const ed = page.locator('dialog.task-editor');
    assert.equal(await ed.getByLabel('Priority').inputValue(), 'high', 'PRIORITY 3 reads as high');
    await ed.getByLabel('Title').fill('From a phone (edited)');
    await ed.getByLabel('Status').selectOption('IN-PROCESS');
    await ed.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Task “From a phone (edited)” saved.').waitFor();
    const { ics } = await bySummary(list.href, 'From a phone (edited)');
    assert.equal(prop(ics, 'X-OTHER-CLIENT'), ';X-P=1:keep me');
    assert.equal(prop(ics, 'PRIORITY'), ':3', 'a priority left alone is not rewritten');
    assert.equal(prop(ics, 'STATUS'), ':IN-PROCESS');
    assert.match(ics, /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Ping\r\nTRIGGER:-PT15M\r\nEND:VALARM/);

    await page.getByRole('checkbox', { name: 'Completed: Water the plants' }).check();
    await page.getByText(/“Water the plants” repeats: next time on/).waitFor();
    const moved = (await bySummary(list.href, 'Water the plants')).ics;
    const next = parisToday(7).compact;
    assert.equal(prop(moved, 'DUE'), `;VALUE=DATE:${next}`);
    assert.equal(prop(moved, 'DTSTART'), `;VALUE=DATE:${next}`);
    assert.equal(prop(moved, 'RRULE'), ':FREQ=WEEKLY;COUNT=2');
    assert.equal(prop(moved, 'STATUS'), null, 'still open');
    assert.equal(prop(moved, 'COMPLETED'), null);
  });

  test('with the option on, a due task shows in the week view and opens its editor there', async () => {
    const hour = '13';
    assert.equal((await put(`${list.href}call-bank.ics`, vtodo('call-bank', ['SUMMARY:Call the bank', `DUE:${today.compact}T${hour}0000Z`]))).status, 201);
    await page.getByLabel('Show tasks with a due date in the calendar').check();
    await page.getByText('Tasks with a due date are shown in the calendar.').waitFor();
    await rail(page, 'Calendar').click();
    const item = page.locator('.ec-event.ev-task', { hasText: 'Call the bank' });
    await item.waitFor();
    assert.ok(await page.locator('.ec-event.ev-task.ev-task-done', { hasText: 'Move house' }).count(), 'the completed task, ticked');
    await assertAccessible(page, 'week view with tasks');
    await shot(page, 'week-with-tasks-desktop');
    await item.click();
    const ed = page.locator('dialog.task-editor');
    await ed.getByRole('heading', { name: 'Task', exact: true }).waitFor();
    await ed.getByRole('button', { name: 'Mark as completed' }).click();
    await page.getByText('“Call the bank” completed.').waitFor();
    await page.locator('.ec-event.ev-task-done', { hasText: 'Call the bank' }).waitFor();
    assert.equal(prop((await bySummary(list.href, 'Call the bank')).ics, 'STATUS'), ':COMPLETED');
    // Off again: the grid holds events only.
    await rail(page, 'Tasks').click();
    await page.getByLabel('Show tasks with a due date in the calendar').uncheck();
    await rail(page, 'Calendar').click();
    await page.locator('.ec').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.ec-event.ev-task').count(), 0);
  });
});

describe('notes', () => {
  let page;
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await rail(page, 'Notes').click();
    await page.getByRole('heading', { level: 1, name: 'Notes' }).waitFor();
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('a note is created, found by search, edited and deleted', async () => {
    await page.getByRole('button', { name: 'New notebook' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByLabel('Name').fill('Journal e2e');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Notebook “Journal e2e” created.').waitFor();
    const book = await collection('Journal e2e');
    assert.deepEqual(book?.comps, ['VJOURNAL'], 'MKCALENDAR with VJOURNAL only');

    await page.getByRole('button', { name: 'New note', exact: true }).click();
    const ed = page.locator('dialog.note-editor');
    await ed.getByLabel('Title').fill('Meeting minutes');
    await ed.getByLabel('Date').fill('2026-11-20');
    await ed.getByLabel('Text').fill('Budget approved.\nNext meeting in January.\nThird line.');
    await ed.getByLabel('Categories').fill('Work');
    await assertAccessible(page, 'note editor');
    await shot(page, 'note-editor-desktop');
    await ed.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Note “Meeting minutes” created.').waitFor();
    let stored = await bySummary(book.href, 'Meeting minutes');
    assert.ok(stored, 'stored');
    assert.match(stored.ics, /BEGIN:VJOURNAL/);
    assert.equal(prop(stored.ics, 'DTSTART'), ';VALUE=DATE:20261120');
    assert.equal(prop(stored.ics, 'DESCRIPTION'), ':Budget approved.\\nNext meeting in January.\\nThird line.');
    assert.equal(prop(stored.ics, 'CATEGORIES'), ':Work');
    await page.locator('.note-excerpt', { hasText: 'Budget approved.' }).waitFor();

    await page.getByLabel('Search notes').fill('january');
    await page.getByText('1 note found.').waitFor({ state: 'attached' });
    assert.equal(await page.locator('.note').count(), 1);
    await page.getByLabel('Search notes').fill('nothing like this');
    await page.getByText('No note matches.').waitFor();
    await page.getByLabel('Search notes').fill('budget');
    await assertAccessible(page, 'notes list');
    await shot(page, 'notes-desktop');

    await page.getByRole('button', { name: /Meeting minutes/ }).click();
    await ed.getByLabel('Text').fill('Budget approved by all.');
    await ed.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Note “Meeting minutes” saved.').waitFor();
    stored = await bySummary(book.href, 'Meeting minutes');
    assert.equal(prop(stored.ics, 'DESCRIPTION'), ':Budget approved by all.');
    assert.equal(prop(stored.ics, 'DTSTART'), ';VALUE=DATE:20261120', 'the day is kept');

    await page.getByRole('button', { name: /Meeting minutes/ }).click();
    await ed.getByRole('button', { name: 'Delete note' }).click();
    const confirm = page.locator('dialog.modal', { hasText: 'Delete the note “Meeting minutes”?' });
    await confirm.getByRole('button', { name: 'Delete “Meeting minutes”' }).click();
    await page.getByText('Note “Meeting minutes” deleted.').waitFor();
    assert.equal(await bySummary(book.href, 'Meeting minutes'), undefined);
    await page.getByLabel('Search notes').fill('');
  });
});

test('en français : une tâche et sa sous-tâche, terminées puis masquées', async () => {
  const page = await openPage(browser, { locale: 'fr-FR' });
  await signIn(page);
  await setPreferences(page, { locale: 'fr' }, { drop: ['tasks'] });
  await rail(page, 'Tâches').click();
  await page.getByRole('heading', { level: 1, name: 'Tâches' }).waitFor();
  await page.getByRole('button', { name: 'Errands e2e', exact: true }).click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  const ed = page.locator('dialog.task-editor');
  await ed.getByLabel('Titre').fill('Acheter du pain');
  await ed.getByLabel('Échéance', { exact: true }).fill(parisToday(1).ymd);
  await ed.getByLabel('Priorité').selectOption('medium');
  await assertAccessible(page, 'éditeur de tâche');
  await ed.getByRole('button', { name: 'Créer' }).click();
  await page.getByText('Tâche « Acheter du pain » créée.').waitFor();
  await page.getByRole('button', { name: 'Ajouter une sous-tâche à « Acheter du pain »' }).click();
  await ed.getByLabel('Titre').fill('Prendre de la monnaie');
  await ed.getByRole('button', { name: 'Créer' }).click();
  await page.getByText('Tâche « Prendre de la monnaie » créée.').waitFor();
  await page.locator('.task-meta', { hasText: 'Moyenne' }).first().waitFor();
  await page.getByRole('checkbox', { name: 'Terminée : Acheter du pain' }).check();
  await page.locator('dialog.modal').getByRole('button', { name: 'Terminer aussi les sous-tâches' }).click();
  await page.getByText('« Acheter du pain » terminée.').waitFor();
  const list = await collection('Errands e2e');
  for (const title of ['Acheter du pain', 'Prendre de la monnaie']) assert.equal(prop((await bySummary(list.href, title)).ics, 'STATUS'), ':COMPLETED', title);
  await assertAccessible(page, 'liste de tâches');
  await shot(page, 'tasks-fr-desktop');
  await page.getByLabel('Masquer les tâches terminées').check();
  await eventually(async () => (await page.locator('.task-title', { hasText: 'Acheter du pain' }).count()) === 0, 5000, 'masquée');
  await page.getByLabel('Masquer les tâches terminées').uncheck();
  await page.locator('.task-title', { hasText: 'Acheter du pain' }).waitFor();
  await setPreferences(page, { locale: 'en' }, { reload: false });
  assertNoProblems(page);
  await page.context().close();
});

test('at 360 px: tasks and notes fit, the lists open from the menu', async () => {
  const page = await openPage(browser, { viewport: PHONE });
  await signIn(page);
  await page.goto(page.url().replace(/#.*$/, '') + '#/tasks');
  await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
  await page.locator('.task-title').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  await assertAccessible(page, 'tasks on a phone');
  await shot(page, 'tasks-phone');
  await page.getByRole('button', { name: 'Task lists' }).click();
  await page.getByRole('button', { name: 'New task list' }).waitFor();
  await shot(page, 'tasks-lists-phone');
  await page.getByRole('button', { name: 'Task lists' }).click();
  await page.locator('.task-title', { hasText: 'From a phone (edited)' }).click();
  await page.locator('dialog.task-editor').getByRole('button', { name: 'Save' }).waitFor();
  await shot(page, 'task-editor-phone');
  await page.locator('dialog.task-editor').getByRole('button', { name: 'Cancel' }).click();
  await rail(page, 'Notes').click();
  await page.getByRole('heading', { level: 1, name: 'Notes' }).waitFor();
  await assertAccessible(page, 'notes on a phone');
  await shot(page, 'notes-phone');
  assertNoProblems(page);
  await page.context().close();
});
