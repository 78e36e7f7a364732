//! A contact's card: photo, name, organisation and title, e-mails as mailto: links,
//! phones as tel: links, addresses, web sites (http and https only), birthday and
//! anniversary formatted with Intl in the page's language, notes, and the groups it is
//! in — ticked or unticked here when the book may be written (the group card or the
//! contact's CATEGORIES is rewritten, groups.ts). A group card shows its members, each
//! removable. Read-only books (the directory, shares without write) show no edit control.
import { currentLanguage, t } from '../i18n';
import { trashHint } from '../trash';
import { deleteCard, getCard, putCard, type Summary } from '../contacts/cards';
import { readContact, type Entry } from '../contacts/contact';
import { setCategory, setMember } from '../contacts/groups';
import { Card } from '../contacts/vcard';
import { ICONS, h, icon } from './dom';
import { book, bookOf, cs, groupsOf, inGroup, type GroupEntry } from './contacts-state';
import { confirmDialog, downloadVcf } from './contacts-dialogs';
import { refusal } from './calendar-dialogs';
import { toast } from './toast';

export interface ViewHooks {
  /** Back to the list (phones). */
  back: () => void;
  edit: (href: string) => void;
  /** Something was written: reload the book and show `open`. */
  changed: (book: string, open?: string) => void;
}

function formatDate(d: string): string {
  const lang = currentLanguage();
  const m = d.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (m) return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  const y = d.match(/^--(\d{2})-(\d{2})$/);
  if (y) return new Intl.DateTimeFormat(lang, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, +y[1] - 1, +y[2])));
  return d;
}

function kindText(e: Entry): string {
  return e.kind === 'custom' ? e.label : t(`contacts.kind.${e.kind}`);
}

function rows(title: string, entries: Entry[], value: (e: Entry) => Node | string): HTMLElement | null {
  const shown = entries.filter((e) => e.value.some(Boolean));
  if (!shown.length) return null;
  return h('section', { class: 'card-part' }, h('h3', {}, title), h('ul', { class: 'card-rows' }, shown.map((e) => h('li', {}, h('span', { class: 'card-kind' }, kindText(e)), h('span', { class: 'card-value' }, value(e))))));
}

function safeUrl(v: string): string | undefined {
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Initials for a card without a photo. */
export function avatar(name: string, photo: string, size: 'small' | 'large'): HTMLElement {
  if (photo) return h('img', { class: `avatar avatar-${size}`, src: photo, alt: '' });
  const letters = name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => Array.from(w)[0]?.toUpperCase() ?? '').join('');
  return h('span', { class: `avatar avatar-${size}`, 'aria-hidden': 'true' }, letters || '?');
}

async function toggleGroup(g: GroupEntry, s: Summary, present: boolean): Promise<void> {
  if (g.card) {
    const stored = await getCard(g.card.href);
    await putCard(g.card.href, setMember(stored.text, s.uid, present), stored.etag);
  } else if (g.category) {
    const stored = await getCard(s.href);
    await putCard(s.href, setCategory(stored.text, g.category, present), stored.etag);
  }
}

function groupPart(s: Summary, writable: boolean, hooks: ViewHooks): HTMLElement | null {
  const b = bookOf(s.href);
  if (!b) return null;
  const groups = groupsOf(b).filter((g) => g.card?.href !== s.href);
  const mine = groups.filter((g) => inGroup(g, s));
  if (!writable) {
    if (!mine.length) return null;
    return h('section', { class: 'card-part' }, h('h3', {}, t('contacts.groups')), h('p', {}, mine.map((g) => g.name).join(', ')));
  }
  if (!groups.length) return null;
  const list = h('ul', { class: 'group-checks' });
  for (const g of groups) {
    const id = `grp-${Math.random().toString(36).slice(2, 9)}`;
    const box = h('input', { type: 'checkbox', id, checked: inGroup(g, s) });
    box.addEventListener('change', async () => {
      box.disabled = true;
      try {
        await toggleGroup(g, s, box.checked);
        toast(t(box.checked ? 'contacts.addedTo' : 'contacts.removedFrom', { name: s.name, group: g.name }));
        hooks.changed(b, s.href);
      } catch (e) {
        box.checked = !box.checked;
        toast(refusal(e), undefined, 'error');
      } finally {
        box.disabled = false;
      }
    });
    list.append(h('li', { class: 'check' }, box, h('label', { for: id }, g.name, g.category ? h('span', { class: 'muted' }, ` (${t('contacts.category')})`) : null)));
  }
  return h('fieldset', { class: 'card-part group-part' }, h('legend', {}, t('contacts.groups')), list);
}

function membersPart(s: Summary, writable: boolean, hooks: ViewHooks): HTMLElement {
  const b = bookOf(s.href)!;
  const members = (cs.cards.get(b) ?? []).filter((c) => !c.group && s.group!.members.includes(c.uid.replace(/^urn:uuid:/i, '').toLowerCase()));
  const list = h('ul', { class: 'card-rows members' });
  for (const c of members) {
    const remove = writable
      ? h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('contacts.removeMember', { name: c.name, group: s.name }) }, icon(ICONS.close))
      : null;
    remove?.addEventListener('click', async () => {
      try {
        const stored = await getCard(s.href);
        await putCard(s.href, setMember(stored.text, c.uid, false), stored.etag);
        toast(t('contacts.removedFrom', { name: c.name, group: s.name }));
        hooks.changed(b, s.href);
      } catch (e) {
        toast(refusal(e), undefined, 'error');
      }
    });
    list.append(h('li', {}, h('span', { class: 'card-value' }, c.name, c.emails[0] ? h('span', { class: 'muted' }, ` ${c.emails[0]}`) : null), remove));
  }
  const emails = members.map((c) => c.emails[0]).filter(Boolean);
  return h('section', { class: 'card-part' },
    h('h3', {}, t('contacts.members', { count: members.length })),
    members.length ? list : h('p', { class: 'muted' }, t('contacts.noMembers')),
    emails.length ? h('p', {}, h('a', { href: `mailto:${emails.map(encodeURIComponent).join(',')}` }, t('contacts.mailAll'))) : null,
  );
}

/** Fills `host` with the card at `href` (read with GET). */
export async function showCard(host: HTMLElement, href: string, hooks: ViewHooks): Promise<void> {
  const s = cs.cards.get(bookOf(href) ?? '')?.find((x) => x.href === href);
  const b = book(bookOf(href));
  host.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('app.loading')));
  let stored;
  try {
    stored = await getCard(href);
  } catch (e) {
    host.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, refusal(e)));
    return;
  }
  if (cs.open !== href) return; // another card was opened meanwhile
  const card = Card.parse(stored.text);
  const c = readContact(card);
  const name = s?.name || c.fn || t('contacts.noName');
  const writable = !!b?.writable;
  const actions = h('div', { class: 'card-actions' });
  actions.append(h('button', { type: 'button', class: 'btn back-btn', onclick: hooks.back }, icon(ICONS.prev), t('contacts.back')));
  if (writable) actions.append(h('button', { type: 'button', class: 'btn btn-primary', onclick: () => hooks.edit(href) }, t('contacts.edit')));
  actions.append(h('button', { type: 'button', class: 'btn', onclick: () => downloadVcf(name, stored.text) }, t('contacts.exportOne')));
  if (writable) {
    actions.append(h('button', {
      type: 'button',
      class: 'btn btn-danger',
      onclick: async () => {
        if (!(await confirmDialog(t('contacts.deleteTitle', { name }), `${t('contacts.deleteText', { name })} ${trashHint()}`, t('contacts.deleteConfirm', { name })))) return;
        try {
          await deleteCard(href, stored.etag);
          cs.open = undefined;
          toast(t('contacts.deleted', { name }));
          hooks.changed(b!.href);
        } catch (e) {
          toast(refusal(e), undefined, 'error');
        }
      },
    }, t('contacts.delete')));
  }
  const sub = [c.title, c.org].filter(Boolean).join(' · ');
  const adr = (e: Entry) => {
    const [, , street, city, region, code, country] = e.value;
    return h('span', { class: 'address' }, [street, [code, city].filter(Boolean).join(' '), region, country].filter(Boolean).join('\n'));
  };
  const parts = [
    rows(t('contacts.emails'), c.email, (e) => h('a', { href: `mailto:${e.value[0]}` }, e.value[0])),
    rows(t('contacts.tels'), c.tel, (e) => h('a', { href: `tel:${e.value[0].replace(/[^\d+*#]/g, '')}` }, e.value[0])),
    rows(t('contacts.adrs'), c.adr, adr),
    rows(t('contacts.urls'), c.url, (e) => {
      const u = safeUrl(e.value[0]);
      return u ? h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, e.value[0]) : e.value[0];
    }),
  ];
  const dates = h('dl', { class: 'card-dates' });
  if (c.bday) dates.append(h('dt', {}, t('contacts.bday')), h('dd', {}, formatDate(c.bday)));
  if (c.anniversary) dates.append(h('dt', {}, t('contacts.anniversary')), h('dd', {}, formatDate(c.anniversary)));
  host.replaceChildren(
    h('article', { class: 'card-view', 'aria-labelledby': 'card-name' },
      actions,
      h('header', { class: 'card-head' }, avatar(name, c.photo, 'large'), h('div', {}, h('h2', { id: 'card-name' }, name), sub ? h('p', { class: 'muted' }, sub) : null, b ? h('p', { class: 'muted card-book' }, b.name) : null)),
      !writable ? h('p', { class: 'muted read-only-note' }, t('contacts.readOnly')) : null,
      s?.group ? membersPart(s, writable, hooks) : null,
      ...parts,
      dates.childElementCount ? h('section', { class: 'card-part' }, dates) : null,
      c.note ? h('section', { class: 'card-part' }, h('h3', {}, t('contacts.note')), h('p', { class: 'card-note' }, c.note)) : null,
      s && !s.group ? groupPart(s, writable, hooks) : null,
    ),
  );
}
