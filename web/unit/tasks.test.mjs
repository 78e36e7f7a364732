// Node tests of the tasks' and notes' iCalendar logic (no browser): reading a VTODO,
// writing only what changed, completing and reopening (RFC 5545 §3.8.1.11, §3.8.2.1,
// §3.8.1.8), a repeating task moved to its next occurrence, the subtask tree, and a
// VJOURNAL's several DESCRIPTIONs. Bundled with esbuild like series.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = await mkdtemp(join(tmpdir(), 'agora-unit-'));
const entry = join(dir, 'entry.ts');
await writeFile(entry, `export * from '${root}/src/tasks/todo';\nexport * from '${root}/src/tasks/tree';\nexport * from '${root}/src/notes/journal';\n`);
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'm.mjs'), logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
const M = await import(pathToFileURL(join(dir, 'm.mjs')).href);

const TZ = 'Europe/Paris';
const cal = (name, lines) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//EN', `BEGIN:${name}`, ...lines, `END:${name}`, 'END:VCALENDAR', ''].join('\r\n');
const unfold = (s) => s.replace(/\r\n[ \t]/g, '');
const line = (ics, name) => unfold(ics).split('\r\n').find((l) => l.startsWith(name + ':') || l.startsWith(name + ';')) ?? null;
const task = (lines) => M.parseTask(cal('VTODO', ['UID:t1', 'DTSTAMP:20261201T080000Z', ...lines]), '/c/t/t1.ics', '/c/t/', '"e"', TZ);

test('reading: dates in the user zone, priority levels, parent', () => {
  const t = task(['SUMMARY:A', 'DUE:20261210T130000Z', 'DTSTART;VALUE=DATE:20261201', 'PRIORITY:3', 'RELATED-TO:p1', 'CATEGORIES:x,y']);
  assert.deepEqual(t.due, { date: '2026-12-10', time: '14:00' });
  assert.deepEqual(t.start, { date: '2026-12-01' });
  assert.equal(M.priorityLevel(t.priority), 'high');
  assert.equal(M.priorityLevel(5), 'medium');
  assert.equal(M.priorityLevel(7), 'low');
  assert.equal(t.parent, 'p1', 'RELTYPE defaults to PARENT');
  assert.deepEqual(t.categories, ['x', 'y']);
  assert.equal(task(['RELATED-TO;RELTYPE=SIBLING:p2']).parent, undefined);
});

test('an edit rewrites only what changed; unknown properties and alarms stay', () => {
  const t = task(['SUMMARY:A', 'DUE;TZID=America/New_York:20261210T090000', 'PRIORITY:2', 'X-ODD;P=1:keep', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'DESCRIPTION:x', 'END:VALARM']);
  const out = M.updateTask(t, { ...M.fieldsOf(t), summary: 'B' }, TZ);
  assert.equal(line(out, 'SUMMARY'), 'SUMMARY:B');
  assert.equal(line(out, 'DUE'), 'DUE;TZID=America/New_York:20261210T090000', 'due untouched keeps its zone');
  assert.equal(line(out, 'PRIORITY'), 'PRIORITY:2');
  assert.equal(line(out, 'X-ODD'), 'X-ODD;P=1:keep');
  assert.match(out, /BEGIN:VALARM/);
  assert.equal(line(out, 'SEQUENCE'), 'SEQUENCE:1');
  const moved = M.updateTask(t, { ...M.fieldsOf(t), due: { date: '2026-12-11', time: '10:00' } }, TZ);
  assert.equal(line(moved, 'DUE'), 'DUE;TZID=Europe/Paris:20261211T100000');
  assert.match(moved, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Paris/);
});

test('completing sets STATUS, COMPLETED (UTC) and 100 %; reopening removes COMPLETED', () => {
  const t = task(['SUMMARY:A', 'PERCENT-COMPLETE:40']);
  const done = M.completeTask(t, true, TZ).ics;
  assert.equal(line(done, 'STATUS'), 'STATUS:COMPLETED');
  assert.match(line(done, 'COMPLETED'), /^COMPLETED:\d{8}T\d{6}Z$/);
  assert.equal(line(done, 'PERCENT-COMPLETE'), 'PERCENT-COMPLETE:100');
  const again = M.completeTask(M.parseTask(done, t.href, t.list, '', TZ), false, TZ).ics;
  assert.equal(line(again, 'STATUS'), 'STATUS:NEEDS-ACTION');
  assert.equal(line(again, 'COMPLETED'), null);
  assert.equal(line(again, 'PERCENT-COMPLETE'), null);
  // Completed by another client with COMPLETED alone: reopening removes it too.
  const bare = task(['SUMMARY:A', 'COMPLETED:20261201T100000Z']);
  assert.equal(bare.status, 'COMPLETED');
  assert.equal(line(M.completeTask(bare, false, TZ).ics, 'COMPLETED'), null);
});

test('a repeating task moves to its next occurrence; its last one completes it', () => {
  const t = task(['SUMMARY:Plants', 'DTSTART;TZID=Europe/Paris:20261207T090000', 'DUE;TZID=Europe/Paris:20261207T100000', 'RRULE:FREQ=WEEKLY;COUNT=2', 'EXDATE;TZID=Europe/Paris:20261214T090000', 'RDATE;TZID=Europe/Paris:20261216T090000']);
  const r = M.completeTask(t, true, TZ);
  assert.deepEqual(r.movedTo, { date: '2026-12-16', time: '10:00' }, 'the EXDATE skipped, the RDATE taken');
  assert.equal(line(r.ics, 'DTSTART'), 'DTSTART;TZID=Europe/Paris:20261216T090000');
  assert.equal(line(r.ics, 'RRULE'), 'RRULE:FREQ=WEEKLY;COUNT=1');
  assert.equal(line(r.ics, 'STATUS'), null);
  const last = M.parseTask(cal('VTODO', ['UID:t2', 'DTSTAMP:20261201T080000Z', 'DUE;VALUE=DATE:20261207', 'RRULE:FREQ=DAILY;COUNT=1']), '/x', '/c/', '', TZ);
  const end = M.completeTask(last, true, TZ);
  assert.equal(end.movedTo, undefined);
  assert.equal(line(end.ics, 'STATUS'), 'STATUS:COMPLETED');
  assert.equal(line(end.ics, 'RRULE'), 'RRULE:FREQ=DAILY;COUNT=1', 'the rule is kept');
});

test('the tree: subtasks under parents, filters keep the context, loops are cut', () => {
  const mk = (uid, extra) => M.parseTask(cal('VTODO', [`UID:${uid}`, 'DTSTAMP:20261201T080000Z', ...extra]), `/c/${uid}`, '/c/', '', TZ);
  const all = [mk('p', ['SUMMARY:Parent', 'DUE;VALUE=DATE:20261220']), mk('a', ['SUMMARY:Alpha', 'RELATED-TO:p', 'STATUS:COMPLETED']), mk('b', ['SUMMARY:Beta', 'RELATED-TO:p', 'PRIORITY:1']), mk('x', ['SUMMARY:X', 'RELATED-TO:y']), mk('y', ['SUMMARY:Y', 'RELATED-TO:x'])];
  const coll = new Intl.Collator('en');
  const f = { text: '', category: '', list: '', hideCompleted: false };
  const forest = M.buildTree(all, f, 'title', coll);
  assert.deepEqual(forest.map((n) => n.task.uid), ['p', 'x', 'y']);
  assert.deepEqual(forest[0].children.map((n) => n.task.uid), ['a', 'b']);
  assert.equal(forest[0].openBelow, 1);
  const hidden = M.buildTree(all, { ...f, hideCompleted: true }, 'title', coll);
  assert.deepEqual(hidden[0].children.map((n) => n.task.uid), ['b']);
  const found = M.buildTree(all, { ...f, text: 'beta' }, 'title', coll);
  assert.deepEqual(found.map((n) => n.task.uid), ['p'], 'the parent stays as context');
});

test('a note: several DESCRIPTIONs read as one text, rewritten only when changed', () => {
  const ics = cal('VJOURNAL', ['UID:n1', 'DTSTAMP:20261201T080000Z', 'DTSTART;VALUE=DATE:20261120', 'SUMMARY:Minutes', 'DESCRIPTION:One', 'DESCRIPTION:Two', 'X-KEEP:1']);
  const n = M.parseNote(ics, '/n/n1.ics', '/n/', '', TZ);
  assert.equal(n.description, 'One\n\nTwo');
  const same = M.updateNote(n, { summary: 'Minutes!', date: n.date, description: n.description, categories: [] }, TZ);
  assert.equal(unfold(same).match(/^DESCRIPTION/gm).length, 2);
  assert.equal(line(same, 'X-KEEP'), 'X-KEEP:1');
  const changed = M.updateNote(n, { summary: 'Minutes', date: '2026-11-21', description: 'Three', categories: ['w'] }, TZ);
  assert.equal(unfold(changed).match(/^DESCRIPTION/gm).length, 1);
  assert.equal(line(changed, 'DTSTART'), 'DTSTART;VALUE=DATE:20261121');
  assert.ok(M.noteMatches(n, 'two minutes'));
});
