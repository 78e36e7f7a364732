//! Reading and writing tasks and notes over CalDAV: one calendar-query per collection
//! with a comp-filter on VTODO or VJOURNAL (RFC 4791 §7.8, §9.7.1), with a time-range
//! when only a period matters (§9.9: a VTODO without any date matches every range, so the
//! caller still checks the dates). Writes are the calendar section's (actions.ts): PUT
//! with If-None-Match: * for a new object, If-Match for a change, DELETE with If-Match.
import { dav } from '../api';
import { NS, key, parseMultistatus } from '../dav';
import { put, remove, type Stored } from '../actions';
import { listCollections, type CalendarInfo } from '../calendars';
import { state } from '../state';

export interface Raw {
  href: string;
  etag: string;
  ics: string;
}

const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export async function query(collection: string, comp: 'VTODO' | 'VJOURNAL', range?: { start: Date; end: Date }): Promise<Raw[]> {
  const tr = range ? `<c:time-range start="${utc(range.start)}" end="${utc(range.end)}"/>` : '';
  const body = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="${comp}">${tr}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
  const res = await dav('REPORT', collection, { body, headers: { Depth: '1' } });
  if (res.status !== 207) throw new Error(`REPORT ${collection}: ${res.status}`);
  const out: Raw[] = [];
  for (const item of parseMultistatus(res.text).items) {
    const ics = item.props.get(key(NS.C, 'calendar-data'))?.textContent;
    if (ics) out.push({ href: item.href, etag: item.props.get(key(NS.D, 'getetag'))?.textContent?.trim() ?? '', ics });
  }
  return out;
}

/** A new object in `collection`, named by its UID. */
export async function createObject(collection: string, uid: string, ics: string): Promise<Stored> {
  const href = `${collection.replace(/\/?$/, '/')}${encodeURIComponent(uid)}.ics`;
  const etag = await put(href, ics, { 'If-None-Match': '*' });
  return { href, etag, ics };
}

/** The object rewritten, only if nobody changed it since it was read (412 otherwise). */
export async function updateObject(stored: Raw, ics: string): Promise<Stored> {
  const etag = await put(stored.href, ics, stored.etag ? { 'If-Match': stored.etag } : {});
  return { href: stored.href, etag, ics };
}

/** Moves an object to another collection: the new copy first, then the old one goes. */
export async function moveObject(stored: Raw, collection: string, ics: string): Promise<Stored> {
  const name = stored.href.split('/').pop() ?? `${crypto.randomUUID()}.ics`;
  const href = `${collection.replace(/\/?$/, '/')}${name}`;
  const etag = await put(href, ics, { 'If-None-Match': '*' });
  await remove(stored);
  return { href, etag, ics };
}

export const deleteObject = (stored: Raw) => remove(stored);

/** The user's collections (own, shared, delegated), read again: not the calendar
 * section's list, which keeps only calendars of events. Subscriptions are left out. */
export async function collections(): Promise<CalendarInfo[]> {
  return (await listCollections(state.homes)).filter((c) => !c.subscribed);
}

export const holds = (c: CalendarInfo, comp: 'VTODO' | 'VJOURNAL') => c.components.includes(comp);
