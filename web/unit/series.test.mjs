// Node tests of the pure iCalendar logic of repeating events (no browser): the RRULE
// model (src/recurrence.ts) and the series edits (src/series.ts), bundled with esbuild
// into a temporary module. Run: node --test web/unit/
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
await writeFile(entry, `export * from '${root}/src/recurrence';\nexport * from '${root}/src/series';\nexport * from '${root}/src/event-props';\nexport * from '${root}/src/alarms';\nexport { default as ICAL } from 'ical.js';\n`);
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'm.mjs'), logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
const M = await import(pathToFileURL(join(dir, 'm.mjs')).href);

const TZ = 'Europe/Paris';
const w = (s) => {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/);
  return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: 0 };
};
const zoned = { kind: 'zoned', tzid: TZ };
const unfold = (s) => s.replace(/\r\n[ \t]/g, '');
const lines = (ics, name) => unfold(ics).split('\r\n').filter((l) => l.startsWith(name + ':') || l.startsWith(name + ';'));

test('weekly rule: read, write and describe', () => {
  const start = w('2026-12-07T10:00'); // a Monday
  const st = M.readRepeat(['FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=MO,TH'], false, start, zoned, TZ);
  assert.equal(st.kind, 'rule');
  assert.deepEqual(st.rule.days, ['MO', 'TH']);
  assert.equal(M.writeRepeat(st.rule, start, zoned), 'FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=MO,TH');
  const t = (k, o = {}) => ({ 'repeat.every.WEEKLY': o.count > 1 ? `Every ${o.count} weeks` : 'Every week', 'repeat.onDays': `on ${o.days}`, 'repeat.dayItem': o.day, 'repeat.times': `, ${o.count} times` })[k];
  assert.equal(M.describeRepeat(st, start, t, 'en-US'), 'Every 2 weeks on Monday and Thursday, 10 times');
});

test('monthly by position, last, until in UTC, custom rules', () => {
  const start = w('2026-12-08T09:00'); // second Tuesday
  assert.equal(M.readRepeat(['FREQ=MONTHLY;BYDAY=2TU'], false, start, zoned, TZ).rule.monthly, 'pos');
  assert.equal(M.readRepeat(['FREQ=MONTHLY;BYDAY=3TU'], false, start, zoned, TZ).kind, 'custom');
  const last = w('2026-12-25T09:00'); // last Friday
  const r = M.readRepeat(['FREQ=MONTHLY;BYDAY=-1FR'], false, last, zoned, TZ).rule;
  assert.equal(r.monthly, 'last');
  assert.equal(M.writeRepeat({ ...r, end: { kind: 'until', date: '2027-06-30' } }, last, zoned), 'FREQ=MONTHLY;UNTIL=20270630T215959Z;BYDAY=-1FR');
  assert.equal(M.writeRepeat({ ...r, monthly: 'date', end: { kind: 'until', date: '2027-06-30' } }, last, { kind: 'date' }), 'FREQ=MONTHLY;UNTIL=20270630;BYMONTHDAY=25');
  assert.equal(M.readRepeat(['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2'], false, start, zoned, TZ).kind, 'custom');
  assert.equal(M.readRepeat(['FREQ=DAILY;BYHOUR=9,17'], false, start, zoned, TZ).kind, 'custom');
  assert.equal(M.readRepeat(['FREQ=DAILY', 'FREQ=WEEKLY'], false, start, zoned, TZ).kind, 'custom');
  assert.equal(M.readRepeat(['FREQ=DAILY'], true, start, zoned, TZ).kind, 'custom');
  assert.equal(M.readRepeat(['FREQ=WEEKLY;UNTIL=20270131T225959Z'], false, start, zoned, TZ).rule.end.date, '2027-01-31');
});

const SERIES = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN',
  'BEGIN:VTIMEZONE', 'TZID:Europe/Paris', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:s1', 'DTSTAMP:20261201T000000Z', 'SEQUENCE:0', 'SUMMARY:Standup', 'X-OTHER:kept',
  'DTSTART;TZID=Europe/Paris:20261207T100000', 'DTEND;TZID=Europe/Paris:20261207T103000',
  'RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO,TH',
  'BEGIN:VALARM', 'ACTION:EMAIL', 'TRIGGER:-PT1H', 'SUMMARY:x', 'DESCRIPTION:x', 'ATTENDEE:mailto:a@example.org', 'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT', 'UID:s1', 'DTSTAMP:20261201T000000Z', 'RECURRENCE-ID;TZID=Europe/Paris:20261214T100000',
  'DTSTART;TZID=Europe/Paris:20261214T100000', 'DTEND;TZID=Europe/Paris:20261214T103000', 'SUMMARY:Standup (long)', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

const fields = (start, end, title = 'Standup') => ({ title, location: '', description: '', allDay: false, start: w(start), end: w(end), privacy: 'PUBLIC', transparent: false });

test('this event: an override with RECURRENCE-ID in the master TZID', () => {
  // The Thursday 10 Dec 10:00 Paris = 09:00Z
  const out = M.editThis(SERIES, '20261210T090000Z', fields('2026-12-10T11:00', '2026-12-10T11:30'), TZ);
  assert.deepEqual(lines(out, 'RECURRENCE-ID'), ['RECURRENCE-ID;TZID=Europe/Paris:20261214T100000', 'RECURRENCE-ID;TZID=Europe/Paris:20261210T100000']);
  assert.ok(unfold(out).includes('DTSTART;TZID=Europe/Paris:20261210T110000'));
  assert.equal(lines(out, 'RRULE').length, 1);
  assert.equal(lines(out, 'X-OTHER').length, 2, 'the override copies the master');
  assert.deepEqual(lines(out, 'SEQUENCE'), ['SEQUENCE:0', 'SEQUENCE:1']);
});

test('this event deleted: EXDATE, override removed', () => {
  const out = M.deleteThis(SERIES, '20261214T090000Z', TZ);
  assert.deepEqual(lines(out, 'EXDATE'), ['EXDATE;TZID=Europe/Paris:20261214T100000']);
  assert.equal(lines(out, 'RECURRENCE-ID').length, 0);
});

test('all events moved one day later: BYDAY, overrides and EXDATEs follow', () => {
  const ex = M.deleteThis(SERIES, '20261210T090000Z', TZ);
  const out = M.editAll(ex, { before: { start: w('2026-12-07T10:00'), end: w('2026-12-07T10:30') }, fields: fields('2026-12-08T11:00', '2026-12-08T11:30') }, TZ);
  assert.ok(unfold(out).includes('DTSTART;TZID=Europe/Paris:20261208T110000'));
  assert.deepEqual(lines(out, 'RRULE'), ['RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,FR']);
  assert.deepEqual(lines(out, 'EXDATE'), ['EXDATE;TZID=Europe/Paris:20261211T110000']);
  assert.deepEqual(lines(out, 'RECURRENCE-ID'), ['RECURRENCE-ID;TZID=Europe/Paris:20261215T110000']);
  assert.ok(unfold(out).includes('DTSTART;TZID=Europe/Paris:20261215T110000'));
});

test('this and following: UNTIL on the old, COUNT rest and overrides on the new', () => {
  // split at Thursday 10 Dec: Mon 7 came before (1 instance)
  const s = M.splitFollowing(SERIES, '20261210T090000Z', { before: { start: w('2026-12-10T10:00'), end: w('2026-12-10T10:30') }, fields: fields('2026-12-10T10:00', '2026-12-10T10:30', 'Standup v2') }, TZ);
  assert.deepEqual(lines(s.old, 'RRULE'), ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261210T085959Z']);
  assert.equal(lines(s.old, 'RECURRENCE-ID').length, 0);
  assert.deepEqual(lines(s.old, 'RELATED-TO'), [`RELATED-TO;RELTYPE=NEXT:${s.uid}`]);
  const rule = lines(s.next, 'RRULE');
  assert.equal(rule.length, 1);
  assert.deepEqual(rule[0].slice(6).split(';').sort(), ['BYDAY=MO,TH', 'COUNT=5', 'FREQ=WEEKLY']);
  assert.deepEqual(lines(s.next, 'UID'), [`UID:${s.uid}`, `UID:${s.uid}`]);
  assert.deepEqual(lines(s.next, 'RELATED-TO'), ['RELATED-TO;RELTYPE=SIBLING:s1']);
  assert.ok(unfold(s.next).includes('DTSTART;TZID=Europe/Paris:20261210T100000'));
  assert.deepEqual(lines(s.next, 'RECURRENCE-ID'), ['RECURRENCE-ID;TZID=Europe/Paris:20261214T100000']);
  assert.ok(unfold(s.next).includes('SUMMARY:Standup v2'));
  assert.ok(unfold(s.next).includes('SUMMARY:Standup (long)'), 'an override with its own text keeps it');
});

test('delete this and following; the first instance is all', () => {
  assert.equal(M.deleteFollowing(SERIES, '20261207T090000Z', TZ), null);
  const out = M.deleteFollowing(SERIES, '20261214T090000Z', TZ);
  assert.deepEqual(lines(out, 'RRULE'), ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261214T085959Z']);
  assert.equal(lines(out, 'RECURRENCE-ID').length, 0);
  assert.equal(M.isFirstInstance(SERIES, '20261207T090000Z', TZ), true);
});

test('reminders: editor ones rewritten, others kept', () => {
  const root = new M.ICAL.Component(M.ICAL.parse(SERIES));
  const ev = root.getFirstSubcomponent('vevent');
  assert.deepEqual(M.readExtras(ev), { categories: [], color: '', reminders: [], otherAlarms: 1 });
  M.applyExtras(ev, { reminders: [15], categories: ['Work', 'Paris, FR'], color: 'teal' }, 'Standup');
  const x = M.readExtras(ev);
  assert.deepEqual(x, { categories: ['Work', 'Paris, FR'], color: 'teal', reminders: [15], otherAlarms: 1 });
  const out = unfold(root.toString());
  assert.match(out, /TRIGGER:-PT15M/);
  assert.match(out, /CATEGORIES:Work,Paris\\, FR/);
  assert.match(out, /COLOR:teal/);
  M.applyExtras(ev, { reminders: [] }, 'Standup');
  assert.deepEqual(M.readExtras(ev).reminders, []);
  assert.equal(M.readExtras(ev).otherAlarms, 1);
});

test('due alarms: relative and absolute triggers, acknowledged ones skipped, late window', () => {
  const now = Date.UTC(2026, 11, 7, 9, 0, 0); // 10:00 Paris
  const occ = (start, end, alarms, rid) => ({ uid: 'u', recurrenceId: rid, start, end, alarms, allDay: false, title: 't' });
  const due = M.dueAlarms([
    occ('2026-12-07T10:30:00', '2026-12-07T11:00:00', [{ offset: -900, related: 'START', description: '' }], '20261207T093000Z'),
    occ('2026-12-07T10:30:00', '2026-12-07T11:00:00', [{ offset: -900, related: 'START', acknowledged: now + 20 * 60000, description: '' }], 'ack'),
    occ('2026-12-07T12:00:00', '2026-12-07T13:00:00', [{ offset: 0, related: 'END', description: '' }]),
    occ('2026-12-07T09:00:00', '2026-12-07T09:30:00', [{ offset: 0, related: 'START', description: '' }]),
    occ('2026-12-09T10:00:00', '2026-12-09T11:00:00', [{ at: now + 3600000, description: '' }]),
  ], TZ, now);
  assert.deepEqual(due.map((d) => [d.key.split('|')[1], d.at - now]), [['20261207T093000Z', 15 * 60000], ['', 3600000], ['', 3 * 3600000]]);
});

test('all events made not repeating: the exceptions go with the rule', () => {
  const ex = M.deleteThis(SERIES, '20261210T090000Z', TZ);
  const f = { ...fields('2026-12-07T10:00', '2026-12-07T10:30'), repeat: { kind: 'none' } };
  const out = M.editAll(ex, { before: { start: w('2026-12-07T10:00'), end: w('2026-12-07T10:30') }, fields: f }, TZ);
  assert.equal(lines(out, 'RRULE').length, 0);
  assert.equal(lines(out, 'EXDATE').length, 0);
  assert.equal(lines(out, 'RECURRENCE-ID').length, 0);
  assert.equal(unfold(out).split('\r\n').filter((l) => l === 'BEGIN:VEVENT').length, 1);
});
