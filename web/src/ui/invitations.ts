//! "Invitations (N)" in the sidebar, and the dialog it opens: each meeting the user has
//! not answered (invitations.ts), with its organiser, time and place, a comment field and
//! Accept / Tentative / Decline. The count is read again when the agenda refreshes.
import { findInvitations, answerInvitation, type Invitation } from '../invitations';
import { t } from '../i18n';
import { bareAddress } from '../meeting';
import { state } from '../state';
import { append, clear, h } from './dom';
import { openModal, showModal } from './modal';
import { toast } from './toast';
import { fmtRange } from './when';

let refreshCount: () => void = () => {};

/** Reads the count again (after the agenda changed). */
export function refreshInvitations(): void {
  refreshCount();
}

/** The sidebar entry; `answered` runs after each answer (to redraw the agenda). */
export function invitationsEntry(answered: () => void): HTMLElement {
  const count = h('span', { class: 'inv-count' });
  const button = h('button', { type: 'button', class: 'btn inv-btn', onclick: () => invitationsDialog(answered) }, h('span', {}, t('invitations.entry')), count);
  const update = async () => {
    try {
      const list = await findInvitations(state.calendars);
      count.textContent = ` (${list.length})`;
      button.classList.toggle('inv-some', list.length > 0);
      button.setAttribute('aria-label', t('invitations.entryCount', { count: list.length }));
    } catch {
      count.textContent = '';
    }
  };
  refreshCount = () => void update();
  void update();
  return h('div', { class: 'sidebar-invitations' }, button);
}

function invitationsDialog(answered: () => void): void {
  const m = openModal(t('invitations.title'));
  m.dialog.classList.add('invitations');
  const status = h('p', { role: 'status', class: 'fb-status' }, t('invitations.loading'));
  const list = h('ul', { class: 'inv-list' });
  m.form.append(status, list);
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  showModal(m);
  let n = 0;
  const item = (inv: Invitation): HTMLElement => {
    const k = ++n;
    const comment = h('input', { id: m.id(`c${k}`), type: 'text', maxlength: 500, autocomplete: 'off' });
    const title = inv.title || t('event.untitled');
    const li = h('li', { class: 'inv-item', 'aria-labelledby': m.id(`t${k}`) });
    const answer = (ps: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED') => async () => {
      li.querySelectorAll('button').forEach((b) => (b.disabled = true));
      try {
        await answerInvitation(inv.href, ps, comment.value);
        li.remove();
        status.textContent = `${t(`invitations.done.${ps}`)} ${list.children.length ? '' : t('invitations.none')}`;
        toast(t(`invitations.done.${ps}`));
        refreshCount();
        answered();
        (list.querySelector('input') as HTMLElement | null ?? m.actions.querySelector('button'))?.focus();
      } catch {
        li.querySelectorAll('button').forEach((b) => (b.disabled = false));
        m.error.textContent = t('errors.write');
      }
    };
    append(
      li,
      h('h3', { id: m.id(`t${k}`), class: 'inv-title' }, title),
      h('p', { class: 'inv-when' }, fmtRange(inv.start, inv.end, inv.allDay), inv.recurring ? ` · ${t('invitations.repeats')}` : ''),
      h('p', { class: 'inv-org' }, t('invitations.from', { name: inv.organizer.name || bareAddress(inv.organizer.address) })),
      inv.location ? h('p', { class: 'inv-loc' }, t('invitations.where', { place: inv.location })) : null,
      h('div', { class: 'field' }, h('label', { for: comment.id }, t('invitations.comment')), comment),
      h('div', { class: 'att-answer-buttons', role: 'group', 'aria-label': t('invitations.answerTo', { title }) },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: answer('ACCEPTED') }, t('invitations.accept')),
        h('button', { type: 'button', class: 'btn', onclick: answer('TENTATIVE') }, t('invitations.tentative')),
        h('button', { type: 'button', class: 'btn btn-danger-plain', onclick: answer('DECLINED') }, t('invitations.decline'))),
    );
    return li;
  };
  void (async () => {
    try {
      const found = await findInvitations(state.calendars);
      clear(list);
      found.forEach((inv) => list.append(item(inv)));
      status.textContent = found.length ? t('invitations.count', { count: found.length }) : t('invitations.none');
      (list.querySelector('input') as HTMLElement | null)?.focus();
    } catch {
      status.textContent = t('errors.load');
    }
  })();
}
