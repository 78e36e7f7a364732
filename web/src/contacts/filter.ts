//! The list's search and order: a query matches a contact's name, e-mail addresses,
//! phone numbers (digits compared without spaces or dots) and organisation, ignoring
//! case and accents (docs/web.md §5: "Search ignores accents"); contacts are sorted by
//! name with the locale's collation (Intl.Collator).
import type { Summary } from './cards';

export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function matches(s: Summary, query: string): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  const texts = [s.name, s.org, ...s.emails];
  if (texts.some((t) => fold(t).includes(q))) return true;
  const digits = q.replace(/[\s.()/-]/g, '');
  return /^\+?\d{2,}$/.test(digits) && s.tels.some((t) => t.replace(/[\s.()/-]/g, '').includes(digits));
}

export function sortByName(list: Summary[], locale: string): Summary[] {
  const coll = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return list.sort((a, b) => coll.compare(a.name, b.name) || a.href.localeCompare(b.href));
}

/** The heading letter of a name (accents folded), '#' for anything else. */
export function initial(name: string): string {
  const c = fold(name.trim()).charAt(0).toUpperCase();
  return /[A-Z]/.test(c) ? c : '#';
}
