//! The share dialog of a calendar or an address book (its owner's): pick people or
//! groups from the directory and an access level, see who it is shared with and whether
//! they accepted, change their level, stop sharing. Requests in sharing.ts. A group is
//! offered to each of its members at the time of sharing (the server expands it), so
//! the list shows people. Read-only sharees never see private events, and see
//! confidential ones as busy time only (README "Sharing").
import '../styles/sharing.css';
import { isMine } from '../meeting';
import { state } from '../state';
import { share, sharees, unshare, type ShareLevel, type SharedKind, type Sharee } from '../sharing';
import { t } from '../i18n';
import { statusBadge } from './attendees';
import { refusal } from './calendar-dialogs';
import { clear, h } from './dom';
import { openModal, showModal } from './modal';
import { principalPicker } from './principal-picker';
import { toast } from './toast';

export interface Shareable {
  href: string;
  name: string;
  kind: SharedKind;
}

/** Free/busy only is for calendars: a sharee then sees when the owner is busy, not what. */
const levels = (kind: SharedKind): ShareLevel[] => (kind === 'calendar' ? ['freebusy', 'read', 'read-write'] : ['read', 'read-write']);
const BADGE = { accepted: 'ACCEPTED', declined: 'DECLINED', pending: 'NEEDS-ACTION' } as const;

export function shareDialog(c: Shareable): void {
  const m = openModal(t('sharing.title', { name: c.name }));
  m.dialog.classList.add('share-dialog');
  if (c.kind === 'calendar') m.form.append(h('p', { class: 'muted share-privacy' }, t('sharing.privacy')));

  // The level new sharees get.
  const level = h('select', { id: m.id('level') });
  for (const l of levels(c.kind)) level.append(h('option', { value: l, selected: l === 'read' }, t(`sharing.level.${l}`)));
  const picker = principalPicker(
    t('sharing.add'),
    (p) => (p.cutype === 'INDIVIDUAL' || p.cutype === 'GROUP') && p.href !== state.session?.principal && !(p.address && isMine(p.address)),
    (p) => void add(p.href, p.name),
  );
  m.form.append(h('div', { class: 'share-add' }, picker.el, h('div', { class: 'field' }, h('label', { for: level.id }, t('sharing.levelLabel')), level)));
  m.form.append(h('p', { class: 'muted share-groups' }, t('sharing.groupNote')));

  const heading = h('h3', { class: 'share-heading', id: m.id('with') }, t('sharing.sharedWith'));
  const list = h('ul', { class: 'share-list att-list', 'aria-labelledby': heading.id });
  const status = h('p', { role: 'status', class: 'fb-status' });
  m.form.append(heading, status, list);

  const row = (s: Sharee, i: number): HTMLElement => {
    const select = h('select', { id: m.id(`l${i}`), class: 'select-compact', 'aria-label': t('sharing.levelOf', { name: s.name }) });
    for (const l of levels(c.kind)) select.append(h('option', { value: l, selected: l === s.level }, t(`sharing.level.${l}`)));
    select.addEventListener('change', () =>
      work(async () => {
        await share(c.href, s.href, select.value as ShareLevel);
        toast(t('sharing.changed', { name: s.name }));
      }),
    );
    const revoke = h('button', { type: 'button', class: 'btn btn-danger-plain share-revoke' }, t('sharing.revoke'));
    revoke.setAttribute('aria-label', t('sharing.revokeFrom', { name: s.name }));
    revoke.addEventListener('click', () =>
      work(async () => {
        await unshare(c.href, s.href);
        toast(t('sharing.revoked', { name: s.name }));
      }, true),
    );
    return h('li', { class: 'att-row share-row' },
      h('span', { class: 'att-who' }, h('span', { class: 'att-name' }, s.name), h('span', { class: 'att-addr' }, s.href.replace(/^mailto:/i, ''))),
      statusBadge(BADGE[s.status]),
      select,
      revoke);
  };

  const load = async () => {
    const found = await sharees(c.href);
    clear(list);
    found.forEach((s, i) => list.append(row(s, i)));
    if (!found.length) list.append(h('li', { class: 'muted att-empty' }, t('sharing.nobody')));
    status.textContent = found.length ? t('sharing.count', { count: found.length }) : '';
  };
  /** Runs a change, then reads the list again; a refusal is said in the dialog. */
  const work = async (change: () => Promise<void>, refocus = false) => {
    m.error.textContent = '';
    try {
      await change();
      await load();
      if (refocus) picker.input.focus();
    } catch (e) {
      m.error.textContent = refusal(e);
    }
  };
  const add = (who: string, name: string) =>
    work(async () => {
      await share(c.href, who, level.value as ShareLevel, c.name);
      toast(t('sharing.shared', { name }));
    });

  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  m.form.addEventListener('submit', (e) => e.preventDefault());
  showModal(m);
  load().catch((e) => (m.error.textContent = refusal(e)));
}
