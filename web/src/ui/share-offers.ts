//! Shares offered to the user: "Shared with you (N)" in the calendar sidebar when
//! calendars or address books wait for an answer, and the dialog it opens, with each
//! offer's owner, kind and access, and Accept / Decline (sharing.ts). An accepted
//! calendar joins the calendar list at once; an accepted address book is in Contacts.
//! The count is read again when the tab comes back to the front.
import { identity } from '../meeting';
import { answerOffer, pendingOffers, type ShareOffer } from '../sharing';
import { t } from '../i18n';
import { state } from '../state';
import { refusal } from './calendar-dialogs';
import { append, clear, h } from './dom';
import { openModal, showModal } from './modal';
import { toast } from './toast';

let recountOffers: () => void = () => {};
let listening = false;

/** The sidebar entry (hidden while nothing waits); `accepted` gets the message to show
 * once the calendars are read again. */
export function shareOffersEntry(accepted: (message: string) => void): HTMLElement {
  const count = h('span', { class: 'inv-count' });
  const button = h('button', { type: 'button', class: 'btn inv-btn inv-some share-offers-btn' }, h('span', {}, t('offers.entry')), count);
  const entry = h('div', { class: 'sidebar-invitations sidebar-offers', hidden: true }, button);
  const update = async () => {
    try {
      const n = (await pendingOffers(state.session?.principal ?? '')).length;
      count.textContent = ` (${n})`;
      button.setAttribute('aria-label', t('offers.entryCount', { count: n }));
      entry.hidden = n === 0;
    } catch {
      entry.hidden = true;
    }
  };
  button.addEventListener('click', () => offersDialog(accepted, () => void update()));
  recountOffers = () => {
    if (entry.isConnected) void update();
  };
  if (!listening) {
    listening = true;
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && recountOffers());
  }
  void update();
  return entry;
}

function offersDialog(accepted: (message: string) => void, recount: () => void): void {
  let reload = false;
  // Closing after an accepted calendar: the calendars are read again and drawn.
  const m = openModal(t('offers.title'), () => reload && accepted(t('offers.added')));
  m.dialog.classList.add('invitations', 'offers');
  const status = h('p', { role: 'status', class: 'fb-status' }, t('invitations.loading'));
  const list = h('ul', { class: 'inv-list' });
  m.form.append(status, list);
  m.form.addEventListener('submit', (e) => e.preventDefault());
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  showModal(m);
  let n = 0;
  const item = (o: ShareOffer): HTMLElement => {
    const k = ++n;
    const title = o.summary || o.host;
    const li = h('li', { class: 'inv-item offer-item', 'aria-labelledby': m.id(`t${k}`) });
    const answer = (accept: boolean) => async () => {
      li.querySelectorAll('button').forEach((b) => (b.disabled = true));
      m.error.textContent = '';
      try {
        await answerOffer(state.homes[0] ?? state.session?.calendarHome ?? '', identity()?.mailto || (state.session?.principal ?? ''), o, accept);
        li.remove();
        const done = t(accept ? (o.kind === 'calendar' ? 'offers.acceptedCalendar' : 'offers.acceptedBook') : 'offers.declined', { name: title });
        status.textContent = `${done} ${list.children.length ? '' : t('offers.none')}`;
        recount();
        if (accept && o.kind === 'calendar') reload = true;
        else toast(done);
        (list.querySelector('button') as HTMLElement | null ?? m.actions.querySelector('button'))?.focus();
      } catch (e) {
        li.querySelectorAll('button').forEach((b) => (b.disabled = false));
        m.error.textContent = refusal(e);
      }
    };
    append(
      li,
      h('h3', { id: m.id(`t${k}`), class: 'inv-title' }, title),
      h('p', { class: 'inv-org' }, t('offers.from', { name: o.ownerName })),
      h('p', { class: 'inv-when' }, `${t(`offers.kind.${o.kind}`)} · ${t(`sharing.level.${o.level}`)}`),
      h('div', { class: 'att-answer-buttons', role: 'group', 'aria-label': t('offers.answerTo', { name: title }) },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: answer(true) }, t('offers.accept')),
        h('button', { type: 'button', class: 'btn btn-danger-plain', onclick: answer(false) }, t('offers.decline'))),
    );
    return li;
  };
  void (async () => {
    try {
      const found = await pendingOffers(state.session?.principal ?? '');
      clear(list);
      found.forEach((o) => list.append(item(o)));
      status.textContent = found.length ? t('offers.count', { count: found.length }) : t('offers.none');
      (list.querySelector('button') as HTMLElement | null)?.focus();
    } catch (e) {
      status.textContent = refusal(e);
    }
  })();
}
