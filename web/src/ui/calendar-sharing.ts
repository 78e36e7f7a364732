//! The sharing controls of a calendar's options dialog: "Share…" on one's own calendars
//! (share-dialog.ts), "Remove from my calendars" on a share one accepted (the owner's
//! calendar stays; DELETE of its place in one's home), and the question asked before a
//! new publish link replaces the old one.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { leaveShare } from '../sharing';
import { refusal } from './calendar-dialogs';
import { h } from './dom';
import { openModal, showModal, type Modal } from './modal';
import { shareDialog } from './share-dialog';

export function shareButton(cal: CalendarInfo, closeOptions: () => void): HTMLElement {
  return h('button', {
    type: 'button',
    class: 'btn share-btn',
    onclick: () => {
      closeOptions();
      shareDialog({ href: cal.href, name: cal.name, kind: 'calendar' });
    },
  }, t('sharing.open'));
}

/** Asks a yes/no question; resolves true on yes (the safe answer has the focus). */
function confirm(title: string, text: string, yes: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const m = openModal(title, () => resolve(answer));
    m.form.append(h('p', {}, text));
    m.actions.append(
      h('button', { type: 'submit', class: 'btn btn-danger' }, yes),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      answer = true;
      m.close();
    });
    showModal(m);
    (m.actions.lastElementChild as HTMLElement).focus();
  });
}

export const confirmRenew = (name: string) => confirm(t('manage.renewTitle', { name }), t('manage.renewText'), t('manage.renew'));

export function leaveButton(cal: CalendarInfo, m: Modal, changed: (message: string) => void): HTMLElement {
  return h('button', {
    type: 'button',
    class: 'btn btn-danger-plain leave-btn',
    onclick: async () => {
      if (!(await confirm(t('sharing.leaveTitle', { name: cal.name }), t('sharing.leaveText'), t('sharing.leave')))) return;
      m.error.textContent = '';
      try {
        await leaveShare(cal.href);
        m.close();
        changed(t('sharing.left', { name: cal.name }));
      } catch (e) {
        m.error.textContent = refusal(e);
      }
    },
  }, t('sharing.leave'));
}
