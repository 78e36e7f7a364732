//! Settings → Delegation: the people (or groups) who manage or read all of the user's
//! calendars, added from the directory and removed one by one, and the people the
//! user acts for. Written as the members of the user's calendar-proxy-write and
//! calendar-proxy-read groups (delegation.ts); a person is in one of the two at most.
import type { Principal } from '../directory';
import { actingFor, delegates, proxyGroups, setDelegates, type ProxyKind } from '../delegation';
import { t } from '../i18n';
import '../styles/sharing.css';
import { isMine } from '../meeting';
import { state } from '../state';
import { refusal } from './calendar-dialogs';
import { clear, h } from './dom';
import { principalPicker } from './principal-picker';
import { registerSettingsPane } from './settings';
import { toast } from './toast';

const KINDS: ProxyKind[] = ['write', 'read'];

function who(p: Principal): HTMLElement {
  return h('span', { class: 'att-who' }, h('span', { class: 'att-name' }, p.name), h('span', { class: 'att-addr' }, p.cutype === 'GROUP' ? t('sharing.group') : p.address.replace(/^mailto:/i, '')));
}

function delegationPane(): HTMLElement {
  const principal = state.session?.principal ?? '';
  const error = h('p', { class: 'form-error', role: 'alert' });
  const root = h('div', { class: 'settings-form delegation' }, h('p', { class: 'muted' }, t('delegation.intro')));
  let groups: Record<ProxyKind, string> | null = null;
  const members: Record<ProxyKind, Principal[]> = { write: [], read: [] };
  const lists = {} as Record<ProxyKind, HTMLElement>;

  const draw = (kind: ProxyKind) => {
    const list = lists[kind];
    clear(list);
    for (const p of members[kind]) {
      list.append(h('li', { class: 'att-row' }, who(p),
        h('button', { type: 'button', class: 'btn btn-danger-plain', 'aria-label': t('delegation.removeWho', { name: p.name }), onclick: () => void change(kind, members[kind].filter((m) => m.href !== p.href), t('delegation.removed', { name: p.name })) }, t('delegation.remove'))));
    }
    if (!members[kind].length) list.append(h('li', { class: 'muted att-empty' }, t('delegation.nobody')));
  };
  /** Writes one group's members (and takes a person added here out of the other). */
  const change = async (kind: ProxyKind, next: Principal[], message: string, added?: Principal) => {
    if (!groups) return;
    error.textContent = '';
    try {
      const other: ProxyKind = kind === 'write' ? 'read' : 'write';
      if (added && members[other].some((m) => m.href === added.href)) {
        const rest = members[other].filter((m) => m.href !== added.href);
        await setDelegates(groups[other], rest.map((m) => m.href));
        members[other] = rest;
        draw(other);
      }
      await setDelegates(groups[kind], next.map((m) => m.href));
      members[kind] = next;
      draw(kind);
      toast(message);
    } catch (e) {
      error.textContent = refusal(e);
    }
  };

  for (const kind of KINDS) {
    const heading = h('h3', { id: `deleg-${kind}` }, t(`delegation.${kind}.title`));
    lists[kind] = h('ul', { class: 'att-list deleg-list', 'aria-labelledby': heading.id }, h('li', { class: 'muted att-empty' }, t('invitations.loading')));
    const picker = principalPicker(
      t(`delegation.${kind}.add`),
      (p) => (p.cutype === 'INDIVIDUAL' || p.cutype === 'GROUP') && p.href !== principal && !(p.address && isMine(p.address)),
      (p) => {
        if (members[kind].some((m) => m.href === p.href)) return;
        void change(kind, [...members[kind], p], t('delegation.added', { name: p.name }), p);
      },
    );
    root.append(h('section', { class: 'deleg-section', 'aria-labelledby': heading.id }, heading, h('p', { class: 'muted' }, t(`delegation.${kind}.text`)), lists[kind], picker.el));
  }
  root.append(error);

  const forHeading = h('h3', { id: 'deleg-for' }, t('delegation.for.title'));
  const forList = h('ul', { class: 'att-list deleg-for', 'aria-labelledby': forHeading.id });
  root.append(h('section', { class: 'deleg-section', 'aria-labelledby': forHeading.id }, forHeading, forList));

  void (async () => {
    try {
      groups = await proxyGroups(principal);
      const [write, read] = await Promise.all([delegates(groups.write), delegates(groups.read)]);
      members.write = write;
      members.read = read;
      KINDS.forEach(draw);
    } catch (e) {
      error.textContent = refusal(e);
    }
    try {
      const others = await actingFor(principal);
      clear(forList);
      for (const o of others) forList.append(h('li', { class: 'att-row' }, who(o.principal), h('span', { class: 'att-role-text' }, t(`delegation.for.${o.kind}`))));
      forList.append(h('li', { class: 'muted att-empty' }, others.length ? t('delegation.for.where') : t('delegation.for.none')));
    } catch (e) {
      error.textContent = refusal(e);
    }
  })();
  return root;
}

registerSettingsPane({ id: 'delegation', label: 'delegation.pane', order: 30, render: delegationPane });
