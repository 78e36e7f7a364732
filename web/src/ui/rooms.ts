//! The room finder: every room of the directory (principal-property-search on
//! calendar-user-type ROOM, RFC 6638 §2.4.2) with whether it is free at the editor's
//! time, from one free/busy POST to the outbox; free rooms first. Picking one adds it
//! as an attendee with CUTYPE=ROOM; the server books it when the event is saved (the
//! room accepts, or declines when it is taken meanwhile).
import { listRooms, type Principal } from '../directory';
import { isFree, queryFreeBusy } from '../freebusy';
import { t } from '../i18n';
import { bareAddress, identity, normalizeAddress, sameAddress } from '../meeting';
import { instantOf } from '../tz';
import type { EditorTimes } from './attendees';
import { clear, h } from './dom';
import { openModal, showModal } from './modal';
import { fmtRange, userZone } from './when';

type Availability = 'free' | 'busy' | 'unknown';

export function openRoomFinder(times: EditorTimes, taken: string[], add: (p: Principal) => void): void {
  const tz = userZone();
  const m = openModal(t('rooms.title'));
  m.dialog.classList.add('room-finder');
  const when = times.get();
  const start = when ? instantOf(when.start, tz) : Date.now();
  const end = when ? instantOf(when.end, tz) : start + 3600000;
  const status = h('p', { class: 'fb-status', role: 'status' }, t('rooms.loading'));
  const list = h('ul', { class: 'room-list', 'aria-label': t('rooms.list') });
  m.form.append(h('p', { class: 'room-when' }, t('rooms.at', { when: fmtRange(start, end, when?.allDay ?? false, tz) })), status, list);
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  showModal(m);

  void (async () => {
    let rooms: Principal[];
    const avail = new Map<string, Availability>();
    try {
      rooms = await listRooms();
    } catch {
      status.textContent = t('rooms.failed');
      return;
    }
    const me = identity();
    if (rooms.length && me?.outbox && me.mailto) {
      try {
        const fb = await queryFreeBusy(me.outbox, me.mailto, rooms.map((r) => r.address), start, end);
        for (const r of rooms) {
          const answer = fb.get(normalizeAddress(r.address));
          avail.set(r.address, !answer?.ok ? 'unknown' : isFree(answer.periods, start, end) ? 'free' : 'busy');
        }
      } catch {
        /* shown as unknown */
      }
    }
    const rank = (a: Availability | undefined) => (a === 'free' ? 0 : a === 'unknown' || !a ? 1 : 2);
    rooms.sort((a, b) => rank(avail.get(a.address)) - rank(avail.get(b.address)) || a.name.localeCompare(b.name));
    clear(list);
    status.textContent = rooms.length ? t('rooms.count', { count: rooms.length, free: rooms.filter((r) => avail.get(r.address) === 'free').length }) : t('rooms.none');
    for (const r of rooms) {
      const a = avail.get(r.address) ?? 'unknown';
      const already = taken.some((x) => sameAddress(x, r.address));
      list.append(
        h('li', { class: `room-row room-${a}` },
          h('span', { class: 'att-who' }, h('span', { class: 'att-name' }, r.name), h('span', { class: 'att-addr' }, bareAddress(r.address)), r.capacity ? h('span', { class: 'room-capacity' }, t('rooms.capacity', { count: r.capacity })) : null),
          h('span', { class: `room-state room-state-${a}` }, t(`rooms.state.${a}`)),
          h('button', {
            type: 'button', class: a === 'free' ? 'btn btn-primary' : 'btn', disabled: already, 'aria-label': already ? t('rooms.added', { name: r.name }) : t('rooms.pick', { name: r.name }),
            onclick: () => {
              add(r);
              m.close();
            },
          }, already ? t('rooms.addedShort') : t('rooms.pickShort'))),
      );
    }
    (list.querySelector('button:not([disabled])') as HTMLElement | null)?.focus();
  })();
}
