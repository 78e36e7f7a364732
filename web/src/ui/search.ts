//! The search field of the top bar (behind an icon on a phone) and its results: title,
//! date in the user's locale, place, calendar colour. Keyboard: Enter searches, Down
//! goes into the results, Up/Down/Home/End move among them, Escape closes them and comes
//! back to the field. Choosing a result shows its date in the current view and opens it.
import { fetchRange, type Occurrence } from '../events';
import { currentLocale, t } from '../i18n';
import { search, type SearchHit } from '../search';
import { calendarByHref, colorOf, state } from '../state';
import { instantOf } from '../tz';
import { clear, h, icon } from './dom';

export interface SearchHooks {
  /** The calendars searched: the visible ones. */
  calendars: () => string[];
  tz: string;
  hour12: boolean;
  goTo: (date: Date) => void;
  open: (occ: Occurrence) => void;
}

const SEARCH_ICON = 'M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9z';

/** Shows the hit's day in the grid, then finds its occurrence there and opens it. */
export async function openHit(hit: SearchHit, hooks: SearchHooks): Promise<void> {
  const [y, m, d] = hit.start.slice(0, 10).split('-').map(Number);
  hooks.goTo(new Date(y, m - 1, d));
  const from = instantOf({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, hooks.tz);
  const list = await fetchRange(hit.calendar, state.tags.get(hit.calendar), new Date(from), new Date(from + 86400000), hooks.tz);
  const occ = list.find((o) => o.href === hit.href && o.start.slice(0, 10) === hit.start.slice(0, 10)) ?? list.find((o) => o.href === hit.href);
  if (occ) hooks.open(occ);
}

export function formatHitDate(hit: SearchHit, hour12: boolean): string {
  const [y, m, d] = hit.start.slice(0, 10).split('-').map(Number);
  const date = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } as const;
  if (hit.allDay) return new Intl.DateTimeFormat(currentLocale(), date).format(new Date(y, m - 1, d));
  return new Intl.DateTimeFormat(currentLocale(), { ...date, hour: 'numeric', minute: '2-digit', hour12 }).format(new Date(hit.start));
}

export function searchBox(hooks: SearchHooks): HTMLElement {
  const input = h('input', { type: 'search', id: 'search-input', class: 'search-input', placeholder: t('search.placeholder'), autocomplete: 'off', enterkeyhint: 'search', 'aria-controls': 'search-results' });
  const form = h('form', { class: 'search-form', id: 'search-form' }, h('label', { for: 'search-input', class: 'visually-hidden' }, t('search.label')), input);
  const toggle = h('button', { type: 'button', class: 'btn btn-icon search-toggle', 'aria-label': t('search.label'), 'aria-expanded': 'false', 'aria-controls': 'search-form' }, icon(SEARCH_ICON));
  const status = h('p', { class: 'search-status', role: 'status' });
  const list = h('ul', { class: 'search-list' });
  const panel = h('div', { class: 'search-results', id: 'search-results', role: 'region', 'aria-label': t('search.results'), hidden: true }, status, list);
  const box = h('div', { class: 'search', role: 'search' }, toggle, form, panel);

  let seq = 0;
  const close = (focusInput: boolean) => {
    panel.hidden = true;
    if (focusInput) input.focus();
  };
  const items = () => Array.from(list.querySelectorAll<HTMLButtonElement>('.search-hit'));
  const run = async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (text.length < 2) {
      clear(list);
      status.textContent = text ? t('search.tooShort') : '';
      panel.hidden = !text;
      return;
    }
    panel.hidden = false;
    status.textContent = t('search.searching');
    const { hits, failed } = await search(hooks.calendars(), text, hooks.tz);
    if (mine !== seq) return;
    clear(list);
    for (const hit of hits.slice(0, 100)) {
      const cal = calendarByHref(hit.calendar);
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      if (cal) swatch.style.backgroundColor = colorOf(cal);
      const button = h(
        'button',
        { type: 'button', class: 'search-hit' },
        swatch,
        h(
          'span',
          { class: 'search-text' },
          h('span', { class: 'search-title' }, hit.title || t('event.untitled')),
          h('span', { class: 'search-when' }, formatHitDate(hit, hooks.hour12), hit.recurring ? ` · ${t('search.repeats')}` : ''),
          hit.location ? h('span', { class: 'search-where' }, hit.location) : null,
          cal ? h('span', { class: 'visually-hidden' }, `, ${cal.name}`) : null,
        ),
      );
      button.addEventListener('click', () => {
        close(false);
        void openHit(hit, hooks);
      });
      list.append(h('li', {}, button));
    }
    const found = hits.length ? t('search.found', { count: hits.length }) : t('search.none', { text });
    status.textContent = failed ? `${found} ${t('search.partial')}` : found;
  };

  let typing: number | undefined;
  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => void run(), 400);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typing);
    void run();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !panel.hidden) {
      e.preventDefault();
      items()[0]?.focus();
    } else if (e.key === 'Escape' && !panel.hidden) {
      e.preventDefault();
      close(true);
    }
  });
  list.addEventListener('keydown', (e) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => {
      e.preventDefault();
      all[Math.max(0, Math.min(all.length - 1, i))]?.focus();
    };
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') {
      if (at <= 0) {
        e.preventDefault();
        input.focus();
      } else go(at - 1);
    } else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    }
  });
  toggle.addEventListener('click', () => {
    const open = box.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
    if (open) input.focus();
    else close(false);
  });
  const outside = (e: Event) => {
    if (!box.isConnected) document.removeEventListener('pointerdown', outside);
    else if (!box.contains(e.target as Node)) panel.hidden = true;
  };
  document.addEventListener('pointerdown', outside);
  input.addEventListener('focus', () => {
    if (list.childElementCount || status.textContent) panel.hidden = !input.value.trim();
  });
  return box;
}
