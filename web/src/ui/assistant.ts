//! The scheduling assistant: one row per person and room over one day, their busy,
//! tentative and unavailable times from ONE free/busy POST to the outbox (freebusy.ts,
//! two weeks at a time), working hours left light, the meeting's slot drawn over every
//! row; previous/next day, "Next free slot" (everyone free, within working hours, of the
//! meeting's length) and "Use this time", which sets the editor's start and end.
//!
//! The drawing is for the eye only (aria-hidden); the same information is a list of busy
//! periods per person below it, for screen readers and for anyone who prefers text.
import { t } from '../i18n';
import { blocking, nextFreeSlot, queryFreeBusy, HOUR, type FreeBusy, type Period } from '../freebusy';
import { bareAddress, identity, normalizeAddress, type Attendee, type Person } from '../meeting';
import { instantOf, wallOf } from '../tz';
import type { EditorTimes } from './attendees';
import { clear, h } from './dom';
import { openModal, showModal } from './modal';
import { fmtDay, fmtRange, fmtTime, userZone } from './when';

const DAY = 24 * HOUR;
const WINDOW = 14 * DAY;

interface Row {
  address: string;
  name: string;
  cutype: string;
}

export function openAssistant(attendees: Attendee[], organizer: Person, times: EditorTimes): void {
  const tz = userZone();
  const m = openModal(t('assistant.title'));
  m.dialog.classList.add('assistant');
  const now = times.get();
  const outbox = identity()?.outbox;
  if (!now || now.allDay || !outbox) {
    m.form.append(h('p', {}, !outbox ? t('assistant.noOutbox') : t('assistant.needTimes')));
    m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
    showModal(m);
    return;
  }
  let slotStart = instantOf(now.start, tz);
  const duration = Math.max(instantOf(now.end, tz) - slotStart, 15 * 60000);
  const rows: Row[] = [{ address: organizer.address, name: organizer.name || bareAddress(organizer.address), cutype: 'INDIVIDUAL' }, ...attendees.map((a) => ({ address: a.address, name: a.name || bareAddress(a.address), cutype: a.cutype }))];
  const dayOf = (ms: number) => {
    const w = wallOf(ms, tz);
    return instantOf({ ...w, hour: 0, minute: 0, second: 0 }, tz);
  };
  const shiftDay = (dayStart: number, by: number) => {
    const w = wallOf(dayStart + 12 * HOUR, tz);
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + by));
    return instantOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }, tz);
  };
  let day = dayOf(slotStart);
  let fetched: { from: number; to: number; data: Map<string, FreeBusy> } | null = null;

  const dayTitle = h('h3', { class: 'fb-day', 'aria-live': 'polite' });
  const status = h('p', { class: 'fb-status', role: 'status' });
  const grid = h('div', { class: 'fb-grid', 'aria-hidden': 'true' });
  const textList = h('div', { class: 'fb-text' });
  const proposal = h('p', { class: 'fb-proposal' });

  const load = async (from: number): Promise<Map<string, FreeBusy>> => {
    if (fetched && from >= fetched.from && from + DAY <= fetched.to) return fetched.data;
    status.textContent = t('assistant.loading');
    const data = await queryFreeBusy(outbox, organizer.address, rows.map((r) => r.address), from, from + WINDOW);
    fetched = { from, to: from + WINDOW, data };
    status.textContent = '';
    return data;
  };
  const blocksOf = (r: Row, data: Map<string, FreeBusy>, from: number, to: number): Period[] =>
    blocking(data.get(normalizeAddress(r.address)), r.cutype === 'INDIVIDUAL' || r.cutype === 'GROUP', from, to, tz);

  const draw = async () => {
    let data: Map<string, FreeBusy>;
    try {
      data = await load(day);
    } catch {
      status.textContent = t('assistant.failed');
      return;
    }
    const dayEnd = shiftDay(day, 1);
    dayTitle.textContent = fmtDay(day + 12 * HOUR, tz);
    // Hours shown: 07:00–20:00, widened to include the meeting.
    const hourAt = (ms: number) => (ms - day) / HOUR;
    let first = 7;
    let last = 20;
    if (slotStart < dayEnd && slotStart + duration > day) {
      first = Math.max(0, Math.min(first, Math.floor(hourAt(slotStart))));
      last = Math.min(24, Math.max(last, Math.ceil(hourAt(slotStart + duration))));
    }
    const from = day + first * HOUR;
    const to = day + last * HOUR;
    const pct = (ms: number) => `${((Math.min(Math.max(ms, from), to) - from) / (to - from)) * 100}%`;
    const place = (el: HTMLElement, s: number, e: number) => {
      el.style.left = pct(s);
      el.style.width = `calc(${pct(e)} - ${pct(s)})`;
      return el;
    };
    clear(grid);
    const head = h('div', { class: 'fb-track fb-hours' });
    for (let hr = first; hr < last; hr++) head.append(place(h('span', { class: 'fb-hour' }, fmtTime(day + hr * HOUR, tz)), day + hr * HOUR, day + (hr + 1) * HOUR));
    grid.append(h('div', { class: 'fb-row fb-head' }, h('span', { class: 'fb-name' }), head));
    clear(textList);
    const textItems = h('ul', {});
    for (const r of rows) {
      const fb = data.get(normalizeAddress(r.address));
      const track = h('div', { class: 'fb-track' });
      const known = !!fb?.ok;
      const periods = known ? blocksOf(r, data, day, dayEnd).filter((p) => p.end > from && p.start < to) : [];
      if (!known) track.append(h('span', { class: 'fb-unknown' }, t('assistant.unknown')));
      for (const p of periods) track.append(place(h('span', { class: `fb-block fb-${p.kind.toLowerCase()}` }), p.start, p.end));
      if (slotStart < to && slotStart + duration > from) track.append(place(h('span', { class: 'fb-slot' }), slotStart, slotStart + duration));
      grid.append(h('div', { class: 'fb-row' }, h('span', { class: 'fb-name', title: bareAddress(r.address) }, r.name), track));
      // The same periods in words (whole day, not only the hours drawn).
      const dayPeriods = known ? blocksOf(r, data, day, dayEnd).filter((p) => p.end > day && p.start < dayEnd) : [];
      const words = !known
        ? t('assistant.unknown')
        : dayPeriods.length === 0
          ? t('assistant.freeAllDay')
          : dayPeriods.map((p) => `${fmtTime(Math.max(p.start, day), tz)}–${fmtTime(Math.min(p.end, dayEnd), tz)} ${t(`assistant.kind.${p.kind}`)}`).join(', ');
      textItems.append(h('li', {}, h('strong', {}, `${r.name}: `), words));
    }
    textList.append(textItems);
    proposal.textContent = t('assistant.proposal', { when: fmtRange(slotStart, slotStart + duration, false, tz) });
  };

  const findNext = async () => {
    status.textContent = t('assistant.searching');
    try {
      let from = slotStart;
      for (let round = 0; round < 2; round++) {
        const base = dayOf(from);
        const data = await load(base);
        const windowEnd = (fetched?.to ?? base + WINDOW);
        const found = nextFreeSlot(rows.map((r) => (data.get(normalizeAddress(r.address))?.ok ? blocksOf(r, data, base, windowEnd) : [])), from, duration, windowEnd);
        if (found !== null) {
          slotStart = found;
          day = dayOf(found);
          await draw();
          status.textContent = t('assistant.found', { when: fmtRange(found, found + duration, false, tz) });
          return;
        }
        from = windowEnd - 15 * 60000;
        fetched = null;
      }
      status.textContent = t('assistant.noneFound');
    } catch {
      status.textContent = t('assistant.failed');
    }
  };

  const legend = h('ul', { class: 'fb-legend' },
    h('li', {}, h('span', { class: 'fb-key fb-busy', 'aria-hidden': 'true' }), t('assistant.kind.BUSY')),
    h('li', {}, h('span', { class: 'fb-key fb-busy-tentative', 'aria-hidden': 'true' }), t('assistant.kind.BUSY-TENTATIVE')),
    h('li', {}, h('span', { class: 'fb-key fb-busy-unavailable', 'aria-hidden': 'true' }), t('assistant.kind.BUSY-UNAVAILABLE')),
    h('li', {}, h('span', { class: 'fb-key fb-slot-key', 'aria-hidden': 'true' }), t('assistant.meeting')));
  m.form.append(
    h('div', { class: 'fb-nav' },
      h('button', { type: 'button', class: 'btn', onclick: () => { day = shiftDay(day, -1); void draw(); } }, t('assistant.prevDay')),
      dayTitle,
      h('button', { type: 'button', class: 'btn', onclick: () => { day = shiftDay(day, 1); void draw(); } }, t('assistant.nextDay'))),
    legend,
    h('div', { class: 'fb-scroll', tabindex: '0', role: 'region', 'aria-label': t('assistant.timeline') }, grid),
    proposal,
    status,
    h('details', { class: 'fb-details' }, h('summary', {}, t('assistant.asText')), textList),
  );
  m.actions.append(
    h('button', { type: 'button', class: 'btn fb-next', onclick: () => void findNext() }, t('assistant.next')),
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => {
      times.set(wallOf(slotStart, tz), wallOf(slotStart + duration, tz));
      m.close();
    } }, t('assistant.apply')),
    h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
  );
  showModal(m);
  void draw();
}
