//! The trash's JSON endpoints (crates/agora-web/src/trash.rs): what the user deleted,
//! kept by the server for `retentionDays` (0: no trash) unless a legal hold keeps it,
//! restored to where it was or deleted for good. Also the sentence a delete
//! confirmation adds, saying where the item goes and for how long: the retention is
//! learnt once after sign-in (`learnRetention`), and until it is known the words stay
//! generic.
import { json } from './api';
import { t } from './i18n';

/** What an entry was: a calendar object's component, a card, or a collection. */
export type TrashKind = 'VEVENT' | 'VTODO' | 'VJOURNAL' | 'VCARD' | 'calendar' | 'addressbook' | 'collection' | 'resource';

export interface TrashItem {
  id: number;
  what: TrashKind | string;
  /** SUMMARY, FN or display name: written by a user, shown as text only. */
  label: string;
  /** Where it was, from the root: `/calendars/alice/work/x.ics`. */
  path: string;
  collection: boolean;
  size: number;
  /** RFC 3339, UTC. */
  deletedAt: string;
  /** Who deleted it (a login), when the server knows. */
  deletedBy: string | null;
  /** When it is purged; null while a legal hold keeps it. */
  purgeAt: string | null;
}

export interface TrashList {
  retentionDays: number;
  /** Newest first. */
  items: TrashItem[];
}

let retention: number | undefined;

export async function listTrash(): Promise<TrashList> {
  const list = await json<TrashList>('GET', '/api/trash');
  retention = list.retentionDays;
  return list;
}

export const restoreTrash = (id: number) => json<{ path: string; objects: number }>('POST', `/api/trash/${id}/restore`);
export const purgeTrash = (id: number) => json<void>('DELETE', `/api/trash/${id}`);

/** Asks the server once how long it keeps deleted items (for `trashHint`). */
export function learnRetention(): void {
  if (retention === undefined) listTrash().catch(() => undefined);
}

/** "You can restore it from Settings → Trash for 30 days." — or "This cannot be undone."
 * when the server keeps nothing. */
export function trashHint(): string {
  if (retention === undefined) return t('trash.hintGeneric');
  if (retention === 0) return t('trash.hintNone');
  return t('trash.hint', { count: retention });
}
