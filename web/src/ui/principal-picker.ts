//! A field that finds users and groups in the directory as one types
//! (principal-property-search, directory.ts) and hands the one picked to the caller:
//! for sharing and delegation, which name principals by URL (groups need no address).
//! The ARIA 1.2 combobox pattern, as the editor's attendee search: the input owns a
//! listbox; Up/Down move, Enter picks, Escape closes the list.
import '../styles/meeting.css';
import { searchDirectory, type Principal } from '../directory';
import { t } from '../i18n';
import { clear, h } from './dom';

export interface Picker {
  el: HTMLElement;
  input: HTMLInputElement;
}

let seq = 0;

/** `keep` filters the suggestions (e.g. people and groups only, not oneself). */
export function principalPicker(label: string, keep: (p: Principal) => boolean, pick: (p: Principal) => void): Picker {
  const n = ++seq;
  const id = (s: string) => `pick-${s}-${n}`;
  const input = h('input', {
    id: id('q'), type: 'text', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': id('list'), 'aria-describedby': id('hint'), placeholder: t('sharing.searchPlaceholder'),
  });
  const listbox = h('ul', { id: id('list'), role: 'listbox', class: 'att-suggest', 'aria-label': t('meeting.suggestions'), hidden: true });
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  let found: Principal[] = [];
  let active = -1;
  let timer: number | undefined;
  let asked = 0;
  const close = () => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const show = () => {
    clear(listbox);
    found.forEach((p, i) => {
      const kind = p.cutype === 'GROUP' ? t('sharing.group') : p.address.replace(/^mailto:/i, '');
      const opt = h('li', { id: id(`o${i}`), role: 'option', class: 'att-option', 'aria-selected': String(i === active) },
        h('span', { class: 'att-name' }, p.name), h('span', { class: 'att-addr' }, kind));
      opt.addEventListener('mousedown', (e) => e.preventDefault()); // the focus stays in the field
      opt.addEventListener('click', () => choose(p));
      listbox.append(opt);
    });
    listbox.hidden = found.length === 0;
    input.setAttribute('aria-expanded', String(found.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', id(`o${active}`));
    else input.removeAttribute('aria-activedescendant');
    live.textContent = found.length ? t('meeting.suggestionCount', { count: found.length }) : '';
  };
  const choose = (p: Principal) => {
    input.value = '';
    found = [];
    close();
    pick(p);
    input.focus();
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      found = [];
      close();
      return;
    }
    timer = window.setTimeout(async () => {
      const mine = ++asked;
      try {
        const list = (await searchDirectory(q, 10)).filter(keep);
        if (mine !== asked) return;
        found = list;
        active = -1;
        show();
        if (!list.length) live.textContent = t('sharing.noMatch');
      } catch {
        found = [];
        close();
      }
    }, 250);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!found.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
      show();
    } else if (e.key === 'Enter') {
      e.preventDefault(); // never submits the surrounding form
      const p = active >= 0 ? found[active] : found.length === 1 ? found[0] : undefined;
      if (p) choose(p);
    } else if (e.key === 'Escape' && !listbox.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
  const el = h('div', { class: 'field picker' },
    h('label', { for: input.id }, label),
    h('div', { class: 'att-combo picker-combo' }, input, listbox),
    h('span', { id: id('hint'), class: 'muted att-hint' }, t('sharing.searchHint')),
    live);
  return { el, input };
}
