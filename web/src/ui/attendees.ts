//! The editor's "Attendees" section. For the organiser (or a new event): add people with
//! an autocomplete on the directory (principal-property-search, debounced) or any
//! e-mail address typed in full, set each one's role (required, optional, chair, RFC
//! 5545 §3.2.16), remove them, open the room finder and the scheduling assistant. Each
//! attendee shows their answer (accepted, tentative, declined, waiting) in words and
//! with an icon, and the comment they replied with. For an attendee: the same list,
//! read-only, and their own answer (Accept / Tentative / Decline with a comment).
//!
//! The combobox follows the ARIA 1.2 pattern: the input owns a listbox; Up/Down move
//! through the suggestions, Enter picks, Escape closes the list.
import '../styles/meeting.css';
import { searchPrincipals, type Principal } from '../directory';
import { t } from '../i18n';
import { answerInvitation } from '../invitations';
import { bareAddress, identity, isMine, normalizeAddress, sameAddress, type Attendee, type Meeting, type MeetingFields, type Person } from '../meeting';
import type { Wall } from '../tz';
import { clear, h, icon } from './dom';
import { toast } from './toast';

export interface MeetingContext {
  meeting: Meeting;
  role: 'organizer' | 'attendee' | 'none';
  /** Attendees' reply comments by normalised address (organiser's view). */
  comments: Map<string, string>;
  /** The stored object, for answering from the editor. */
  href?: string;
  /** Called after the user answered from the editor. */
  answered?: () => void;
}

/** The editor's times, read and written by the assistant and the room finder. */
export interface EditorTimes {
  get(): { start: Wall; end: Wall; allDay: boolean } | null;
  set(start: Wall, end: Wall): void;
}

export interface AttendeeSection {
  el: HTMLElement;
  /** What to write on save; undefined when the event is not (and was not) a meeting. */
  fields(): MeetingFields | undefined;
}

const STATUS_ICON: Record<string, string> = {
  ACCEPTED: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  DECLINED: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  TENTATIVE: 'M11 18h2v-2h-2zm1-16a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm0-14a4 4 0 0 0-4 4h2a2 2 0 1 1 4 0c0 2-3 1.75-3 5h2c0-2.25 3-2.5 3-5a4 4 0 0 0-4-4z',
  'NEEDS-ACTION': 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7z',
  DELEGATED: 'M12 4 10.6 5.4 16.2 11H4v2h12.2l-5.6 5.6L12 20l8-8z',
  NEW: 'M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 4-8 5-8-5V6l8 5 8-5z',
};

export const ROLES = ['REQ-PARTICIPANT', 'OPT-PARTICIPANT', 'CHAIR'] as const;
const EMAIL = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+\.[^\s@<>"(),;:\\[\]]+$/;

/** An answer in words with its icon (never colour alone). */
export function statusBadge(partstat: string): HTMLElement {
  const ps = STATUS_ICON[partstat] ? partstat : 'NEEDS-ACTION';
  return h('span', { class: `att-status att-${ps.toLowerCase()}` }, icon(STATUS_ICON[ps]), h('span', {}, t(`meeting.status.${ps}`)));
}

let seq = 0;

export function attendeeSection(ctx: MeetingContext, times: EditorTimes, readOnly: boolean, closeEditor: () => void, tools: {
  assistant: (people: Attendee[], organizer: Person, times: EditorTimes) => void;
  rooms: (times: EditorTimes, taken: string[], add: (p: Principal) => void) => void;
}): AttendeeSection {
  const n = ++seq;
  const id = (s: string) => `att-${s}-${n}`;
  const me = identity();
  const m = ctx.meeting;
  const editable = !readOnly && ctx.role !== 'attendee' && (ctx.role === 'organizer' || !m.organizer || m.attendees.length === 0);
  const organizer: Person | null = ctx.role === 'organizer' || !m.organizer ? (me?.mailto ? { address: me.mailto, name: me.name } : m.organizer) : m.organizer;
  const wasMeeting = !!m.organizer && m.attendees.length > 0;
  let rows: Attendee[] = m.attendees.filter((a) => !organizer || !sameAddress(a.address, organizer.address));
  const selfRow = organizer ? m.attendees.find((a) => sameAddress(a.address, organizer.address)) : undefined;

  const list = h('ul', { class: 'att-list', 'aria-label': t('meeting.list') });
  // Attendees added in this editor: invited when the event is saved.
  const added = new Set<Attendee>();
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const render = () => {
    clear(list);
    if (organizer && (rows.length || wasMeeting)) {
      list.append(
        h('li', { class: 'att-row' },
          h('span', { class: 'att-who' }, h('span', { class: 'att-name' }, organizer.name || bareAddress(organizer.address)), h('span', { class: 'att-addr' }, bareAddress(organizer.address))),
          h('span', { class: 'att-role-text' }, t('meeting.organizer')),
          statusBadge(selfRow?.partstat ?? 'ACCEPTED')),
      );
    }
    rows.forEach((a, i) => {
      const label = a.name || bareAddress(a.address);
      const comment = ctx.comments.get(normalizeAddress(a.address));
      const li = h('li', { class: 'att-row' },
        h('span', { class: 'att-who' }, h('span', { class: 'att-name' }, label), h('span', { class: 'att-addr' }, bareAddress(a.address))),
      );
      if (editable && a.cutype !== 'ROOM') {
        const sel = h('select', { id: id(`role-${i}`), class: 'select-compact', 'aria-label': t('meeting.roleOf', { name: label }) });
        for (const r of ROLES) sel.append(h('option', { value: r, selected: r === a.role }, t(`meeting.role.${r}`)));
        if (!(ROLES as readonly string[]).includes(a.role)) sel.append(h('option', { value: a.role, selected: true }, a.role));
        sel.addEventListener('change', () => (a.role = sel.value));
        li.append(sel);
      } else {
        li.append(h('span', { class: 'att-role-text' }, a.cutype === 'ROOM' ? t('meeting.room') : t(`meeting.role.${a.role}`, { defaultValue: a.role })));
      }
      li.append(added.has(a) ? statusBadge('NEW') : statusBadge(a.partstat));
      if (editable) {
        li.append(h('button', {
          type: 'button', class: 'btn btn-icon att-remove', 'aria-label': t('meeting.remove', { name: label }), title: t('meeting.remove', { name: label }),
          onclick: () => {
            rows = rows.filter((r) => r !== a);
            render();
            live.textContent = t('meeting.removed', { name: label });
            search.focus();
          },
        }, icon(STATUS_ICON.DECLINED)));
      }
      if (comment) li.append(h('p', { class: 'att-comment' }, h('span', { class: 'visually-hidden' }, `${t('meeting.commentOf', { name: label })} `), `“${comment}”`));
      list.append(li);
    });
    if (!list.children.length) list.append(h('li', { class: 'muted att-empty' }, t('meeting.none')));
  };

  const add = (a: Omit<Attendee, 'partstat'>): boolean => {
    if ((organizer && sameAddress(a.address, organizer.address)) || rows.some((r) => sameAddress(r.address, a.address))) {
      live.textContent = t('meeting.already', { name: a.name || bareAddress(a.address) });
      return false;
    }
    const row = { ...a, partstat: 'NEEDS-ACTION' };
    rows.push(row);
    added.add(row);
    render();
    live.textContent = t('meeting.added', { name: a.name || bareAddress(a.address) });
    return true;
  };

  const fieldset = h('fieldset', { class: 'attendees' }, h('legend', {}, t('meeting.title')));
  // The combobox: suggestions from the directory as one types.
  const search = h('input', {
    id: id('search'), type: 'text', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': id('list'), 'aria-describedby': id('hint'), placeholder: t('meeting.searchPlaceholder'),
  });
  const listbox = h('ul', { id: id('list'), role: 'listbox', class: 'att-suggest', 'aria-label': t('meeting.suggestions'), hidden: true });
  let suggestions: Principal[] = [];
  let active = -1;
  let timer: number | undefined;
  let asked = 0;
  const closeList = () => {
    listbox.hidden = true;
    search.setAttribute('aria-expanded', 'false');
    search.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const showList = () => {
    clear(listbox);
    suggestions.forEach((p, i) => {
      const opt = h('li', { id: id(`opt-${i}`), role: 'option', class: 'att-option', 'aria-selected': String(i === active) },
        h('span', { class: 'att-name' }, p.name), h('span', { class: 'att-addr' }, `${bareAddress(p.address)}${p.cutype !== 'INDIVIDUAL' ? ` · ${t(`meeting.cutype.${p.cutype}`, { defaultValue: p.cutype })}` : ''}`));
      opt.addEventListener('mousedown', (e) => e.preventDefault()); // keep the focus in the input
      opt.addEventListener('click', () => pick(p));
      listbox.append(opt);
    });
    listbox.hidden = suggestions.length === 0;
    search.setAttribute('aria-expanded', String(suggestions.length > 0));
    if (active >= 0) search.setAttribute('aria-activedescendant', id(`opt-${active}`));
    else search.removeAttribute('aria-activedescendant');
    live.textContent = suggestions.length ? t('meeting.suggestionCount', { count: suggestions.length }) : '';
  };
  const pick = (p: Principal) => {
    add({ address: p.address, name: p.name, role: 'REQ-PARTICIPANT', cutype: p.cutype || 'INDIVIDUAL' });
    search.value = '';
    suggestions = [];
    closeList();
    search.focus();
  };
  const addTyped = () => {
    const v = search.value.trim();
    if (!v) return;
    if (!EMAIL.test(v)) {
      live.textContent = t('meeting.badAddress');
      error.textContent = t('meeting.badAddress');
      return;
    }
    error.textContent = '';
    add({ address: `mailto:${v}`, name: '', role: 'REQ-PARTICIPANT', cutype: 'INDIVIDUAL' });
    search.value = '';
    closeList();
  };
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    error.textContent = '';
    const q = search.value.trim();
    if (q.length < 2) {
      suggestions = [];
      closeList();
      return;
    }
    timer = window.setTimeout(async () => {
      const mine = ++asked;
      try {
        const found = await searchPrincipals(q);
        if (mine !== asked) return; // a later keystroke asked again
        suggestions = found.filter((p) => !isMine(p.address));
        active = -1;
        showList();
      } catch {
        suggestions = [];
        closeList();
      }
    }, 250);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!suggestions.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length;
      showList();
    } else if (e.key === 'Enter') {
      e.preventDefault(); // never submits the editor
      if (active >= 0 && suggestions[active]) pick(suggestions[active]);
      else if (suggestions.length === 1 && !EMAIL.test(search.value.trim())) pick(suggestions[0]);
      else addTyped();
    } else if (e.key === 'Escape' && !listbox.hidden) {
      e.preventDefault();
      e.stopPropagation();
      closeList();
    }
  });
  search.addEventListener('blur', () => window.setTimeout(closeList, 150));
  const error = h('p', { class: 'form-error', role: 'alert' });

  if (editable && organizer) {
    fieldset.append(
      h('div', { class: 'field att-search' },
        h('label', { for: search.id }, t('meeting.add')),
        h('div', { class: 'att-combo' }, search, h('button', { type: 'button', class: 'btn', onclick: addTyped }, t('meeting.addButton')), listbox),
        h('span', { id: id('hint'), class: 'muted att-hint' }, t('meeting.hint'))),
      error,
    );
  } else if (editable) {
    fieldset.append(h('p', { class: 'muted' }, t('meeting.noAddress')));
  }
  fieldset.append(list, live);
  if (editable && organizer) {
    const people = () => rows;
    fieldset.append(
      h('div', { class: 'att-tools' },
        h('button', { type: 'button', class: 'btn', onclick: () => tools.rooms(times, [...rows.map((r) => r.address)], (p) => add({ address: p.address, name: p.name, role: 'REQ-PARTICIPANT', cutype: 'ROOM' })) }, t('rooms.open')),
        h('button', { type: 'button', class: 'btn', onclick: () => tools.assistant(people(), organizer, times) }, t('assistant.open'))),
    );
  }
  if (ctx.role === 'attendee' && ctx.href && !readOnly) fieldset.append(answerBox(ctx, id, closeEditor));
  render();
  if (!editable && !wasMeeting) fieldset.hidden = true;

  return {
    el: fieldset,
    fields: () => {
      if (!editable || !organizer) return undefined;
      if (rows.length === 0 && !wasMeeting) return undefined;
      return { organizer, attendees: rows.map(({ address, name, role, cutype }) => ({ address, name, role, cutype })) };
    },
  };
}

/** The attendee's answer in the editor: the current one in words, a comment, three buttons. */
function answerBox(ctx: MeetingContext, id: (s: string) => string, closeEditor: () => void): HTMLElement {
  const mine = ctx.meeting.attendees.find((a) => isMine(a.address));
  const comment = h('input', { id: id('comment'), type: 'text', maxlength: 500, autocomplete: 'off' });
  const answered = mine && mine.partstat !== 'NEEDS-ACTION';
  const status = h('p', { class: 'att-mine' }, answered ? t('meeting.yourAnswer') : t('meeting.notAnswered'), answered ? statusBadge(mine.partstat) : null);
  const go = (ps: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED') => async () => {
    try {
      await answerInvitation(ctx.href as string, ps, comment.value);
      toast(t(`invitations.done.${ps}`));
      closeEditor();
      ctx.answered?.();
    } catch {
      toast(t('errors.write'), undefined, 'error');
    }
  };
  return h('div', { class: 'att-answer', role: 'group', 'aria-labelledby': id('answer-h') },
    h('h3', { id: id('answer-h') }, t('meeting.answer')),
    status,
    h('div', { class: 'field' }, h('label', { for: comment.id }, t('invitations.comment')), comment),
    h('div', { class: 'att-answer-buttons' },
      h('button', { type: 'button', class: 'btn btn-primary', onclick: go('ACCEPTED') }, t('invitations.accept')),
      h('button', { type: 'button', class: 'btn', onclick: go('TENTATIVE') }, t('invitations.tentative')),
      h('button', { type: 'button', class: 'btn btn-danger-plain', onclick: go('DECLINED') }, t('invitations.decline'))),
  );
}
