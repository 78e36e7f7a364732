//! The CalDAV writes of a change to a repeating event (series.ts makes the texts): one
//! PUT with If-Match on the stored object for "this event" and "all events"; for "this
//! and following", the new half first (PUT If-None-Match: *, a new UID and href), then
//! the old half with If-Match, and the new half is deleted again if that fails, so a
//! conflict leaves the calendar as it was. Undo puts back what was there.
import { ConflictError, put, remove, restore, type Stored } from './actions';
import type { Occurrence } from './events';
import { deleteFollowing, deleteThis, editAll, editThis, isFirstInstance, splitFollowing, type Change, type Scope } from './series';

export interface SeriesResult {
  /** The stored object after the write (null when it was deleted). */
  after: Stored | null;
  /** The new object of a split. */
  created?: Stored;
}

async function replace(stored: Stored, ics: string): Promise<Stored> {
  const etag = await put(stored.href, ics, stored.etag ? { 'If-Match': stored.etag } : {});
  return { href: stored.href, etag, ics };
}

export async function saveSeries(stored: Stored, occ: Occurrence, scope: Scope, change: Change, tz: string): Promise<SeriesResult> {
  const rid = occ.recurrenceId!;
  if (scope === 'this') return { after: await replace(stored, editThis(stored.ics, rid, change.fields, tz)) };
  if (scope === 'all' || isFirstInstance(stored.ics, rid, tz)) return { after: await replace(stored, editAll(stored.ics, change, tz)) };
  const split = splitFollowing(stored.ics, rid, change, tz);
  const href = `${occ.calendar.replace(/\/?$/, '/')}${split.uid}.ics`;
  const etag = await put(href, split.next, { 'If-None-Match': '*' });
  const created: Stored = { href, etag, ics: split.next };
  try {
    return { after: await replace(stored, split.old), created };
  } catch (e) {
    await remove(created).catch(() => {});
    throw e;
  }
}

export async function deleteSeries(stored: Stored, occ: Occurrence, scope: Scope, tz: string): Promise<SeriesResult> {
  const rid = occ.recurrenceId!;
  if (scope === 'this') return { after: await replace(stored, deleteThis(stored.ics, rid, tz)) };
  const truncated = scope === 'following' ? deleteFollowing(stored.ics, rid, tz) : null;
  if (truncated === null) {
    await remove(stored);
    return { after: null };
  }
  return { after: await replace(stored, truncated) };
}

/** Undo: the new half of a split goes, the old object gets its earlier text back. */
export async function undoSeries(before: Stored, result: SeriesResult): Promise<void> {
  if (result.created) await remove(result.created);
  if (!result.after) throw new ConflictError();
  await restore(result.after, before.ics);
}
