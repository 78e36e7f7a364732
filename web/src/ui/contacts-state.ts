//! What the Contacts section knows while it is open: the address books, the cards'
//! summaries loaded so far for each book, what is shown (all books, one book, one
//! group), the open card and the checked cards. Kept across redraws (a language change
//! redraws the page without reloading anything).
import type { BookInfo } from '../contacts/books';
import type { Summary } from '../contacts/cards';
import { memberKey } from '../contacts/groups';

export type Scope = { kind: 'all' } | { kind: 'book'; href: string } | { kind: 'group'; book: string; key: string };

export const cs = {
  /** Whose contacts these are: another sign-in starts afresh. */
  principal: '',
  home: '',
  gateway: undefined as string | undefined,
  books: [] as BookInfo[],
  /** Summaries by book href. */
  cards: new Map<string, Summary[]>(),
  /** [loaded, total] by book href while a book is loading. */
  progress: new Map<string, [number, number]>(),
  scope: { kind: 'all' } as Scope,
  /** The open card's href. */
  open: undefined as string | undefined,
  checked: new Set<string>(),
  query: '',
  /** Books left out of "All contacts" (the directory by default). */
  hidden: new Set<string>(JSON.parse(localStorage.getItem('agora.contacts.hidden') ?? 'null') ?? []),
  hiddenSet: localStorage.getItem('agora.contacts.hidden') !== null,
  loaded: false,
  /** Bumped when books are listed again, so older loads stop. */
  generation: 0,
};

export function saveHidden(): void {
  localStorage.setItem('agora.contacts.hidden', JSON.stringify([...cs.hidden]));
}

export function bookOf(href: string): string | undefined {
  return cs.books.find((b) => href.startsWith(b.href))?.href;
}

export function book(href: string | undefined) {
  return href ? cs.books.find((b) => b.href === href) : undefined;
}

export function summary(href: string | undefined): Summary | undefined {
  if (!href) return undefined;
  const b = bookOf(href);
  return b ? cs.cards.get(b)?.find((s) => s.href === href) : undefined;
}

/** A group of a book: a group card (key = its href) or a category (key = `cat:NAME`). */
export interface GroupEntry {
  key: string;
  name: string;
  card?: Summary;
  category?: string;
}

export function groupsOf(bookHref: string): GroupEntry[] {
  const cards = cs.cards.get(bookHref) ?? [];
  const out: GroupEntry[] = cards.filter((s) => s.group).map((s) => ({ key: s.href, name: s.name, card: s }));
  const cats = new Map<string, string>();
  for (const s of cards) for (const c of s.categories) if (!cats.has(c.toLowerCase())) cats.set(c.toLowerCase(), c);
  for (const c of cats.values()) out.push({ key: `cat:${c}`, name: c, category: c });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether a contact is in a group. */
export function inGroup(g: GroupEntry, s: Summary): boolean {
  if (g.category) return s.categories.some((c) => c.toLowerCase() === g.category!.toLowerCase());
  return !!g.card?.group?.members.includes(memberKey(s.uid));
}

/** The summaries the list shows, before the search. */
export function scopeCards(): Summary[] {
  const scope = cs.scope;
  if (scope.kind === 'all') return cs.books.filter((b) => !cs.hidden.has(b.href)).flatMap((b) => cs.cards.get(b.href) ?? []);
  if (scope.kind === 'book') return cs.cards.get(scope.href) ?? [];
  const g = groupsOf(scope.book).find((x) => x.key === scope.key);
  return g ? (cs.cards.get(scope.book) ?? []).filter((s) => !s.group && inGroup(g, s)) : [];
}

/** Forgets everything when another user signed in. */
export function resetFor(principal: string): void {
  if (cs.principal === principal) return;
  Object.assign(cs, { principal, home: '', gateway: undefined, books: [], cards: new Map(), progress: new Map(), scope: { kind: 'all' }, open: undefined, checked: new Set(), query: '', loaded: false });
  cs.generation++;
}
