//! Writes through CalDAV, the same requests every client sends: PUT with If-None-Match: *
//! for a new object (its UID from crypto.randomUUID()), PUT and DELETE with If-Match for
//! changes (RFC 4791 §5.3.2, RFC 7232). A 412 means someone else changed the event first:
//! nothing is overwritten, the view reloads and says so.
import { dav } from './api';
import { newEvent, retimeEvent, updateEvent, type EventFields } from './ical-edit';
import type { Wall } from './tz';

export class ConflictError extends Error {}
export class WriteError extends Error {
  constructor(public status: number) {
    super(`write failed: ${status}`);
  }
}

export interface Stored {
  href: string;
  etag: string;
  ics: string;
}

export async function load(href: string): Promise<Stored> {
  const res = await dav('GET', href, { headers: { Accept: 'text/calendar' } });
  if (res.status !== 200) throw new WriteError(res.status);
  return { href, etag: res.etag ?? '', ics: res.text };
}

export async function put(href: string, ics: string, cond: Record<string, string>): Promise<string> {
  const res = await dav('PUT', href, { body: ics, contentType: 'text/calendar; charset=utf-8', headers: cond });
  if (res.status === 412) throw new ConflictError();
  if (res.status !== 201 && res.status !== 204 && res.status !== 200) throw new WriteError(res.status);
  return res.etag ?? '';
}

export async function create(calendar: string, f: EventFields, tz: string): Promise<Stored> {
  const uid = crypto.randomUUID();
  const href = `${calendar.replace(/\/?$/, '/')}${uid}.ics`;
  const ics = newEvent(f, tz, uid);
  const etag = await put(href, ics, { 'If-None-Match': '*' });
  return { href, etag, ics };
}

export async function update(stored: Stored, f: EventFields, tz: string): Promise<Stored> {
  const ics = updateEvent(stored.ics, f, tz);
  const etag = await put(stored.href, ics, stored.etag ? { 'If-Match': stored.etag } : {});
  return { href: stored.href, etag, ics };
}

/** Moves an object to another calendar: a new copy first, then the old one goes. */
export async function moveTo(stored: Stored, calendar: string, f: EventFields, tz: string): Promise<Stored> {
  const ics = updateEvent(stored.ics, f, tz);
  const name = stored.href.split('/').pop() ?? `${crypto.randomUUID()}.ics`;
  const href = `${calendar.replace(/\/?$/, '/')}${name}`;
  const etag = await put(href, ics, { 'If-None-Match': '*' });
  await remove(stored);
  return { href, etag, ics };
}

export async function remove(stored: Stored): Promise<void> {
  const res = await dav('DELETE', stored.href, { headers: stored.etag ? { 'If-Match': stored.etag } : {} });
  if (res.status === 412) throw new ConflictError();
  if (res.status !== 204 && res.status !== 200 && res.status !== 404) throw new WriteError(res.status);
}

export async function retime(stored: Stored, start: Wall, end: Wall, allDay: boolean, tz: string): Promise<Stored> {
  const ics = retimeEvent(stored.ics, start, end, allDay, tz);
  const etag = await put(stored.href, ics, stored.etag ? { 'If-Match': stored.etag } : {});
  return { href: stored.href, etag, ics };
}

/** Puts back an earlier version (Undo), only if nobody changed the object since. */
export async function restore(current: Stored, previousIcs: string): Promise<Stored> {
  // A PUT the server repaired answers without an ETag: read the current one first.
  if (!current.etag) current = await load(current.href);
  const etag = await put(current.href, previousIcs, current.etag ? { 'If-Match': current.etag } : {});
  return { href: current.href, etag, ics: previousIcs };
}
