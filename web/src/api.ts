//! The page's only door to the server: the small JSON API (session, login, preferences)
//! and every DAV request, sent with the session's CSRF token. A 401 anywhere means the
//! session is gone: the sign-in form comes back (web-contract.md).

import { currentLanguage } from './i18n';

export interface Session {
  login: string;
  displayName?: string;
  email?: string;
  principal: string;
  calendarHome: string;
  addressbookHome?: string;
  csrf: string;
  expiresAt?: string;
  /** Shows the Administration section; the server decides again on every request. */
  administrator?: boolean;
}

export type Preferences = {
  locale?: 'fr' | 'en';
  timeZone?: string;
  firstDay?: number;
  hour12?: boolean;
  defaultCalendar?: string;
  /** Minutes before the start of a reminder the editor adds to new events. */
  defaultAlarm?: number;
  hiddenCalendars?: string[];
  calendarColors?: Record<string, string>;
  view?: string;
  /** The Tasks section (ui/tasks-page.ts): completed tasks hidden, sort order, tasks
   * with a due date shown in the calendar views. */
  tasks?: { hideCompleted?: boolean; sort?: string; inCalendar?: boolean };
};

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public retryAfter?: number,
    /** The server's own words (JSON `message`), when it gave some. */
    public reason?: string,
  ) {
    super(`${status} ${code}`);
  }
}

let csrf = '';
let onSignedOut: () => void = () => {};

export function setSession(session: Session | null): void {
  csrf = session?.csrf ?? '';
}

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** One request to the JSON API, with the session's CSRF token; throws ApiError on refusal. */
export async function json<T>(method: string, url: string, body?: unknown): Promise<T> {
  // The server writes its reasons in the language the user chose here.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf) headers['X-Agora-CSRF'] = csrf;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const retry = Number(data.retryAfter ?? res.headers.get('Retry-After') ?? NaN);
    const reason = typeof data.message === 'string' ? data.message : undefined;
    throw new ApiError(res.status, String(data.error ?? 'error'), Number.isFinite(retry) ? retry : undefined, reason);
  }
  return data as T;
}

export async function getSession(): Promise<Session | null> {
  try {
    return await json<Session>('GET', '/api/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export const login = (login: string, password: string) => json<Session>('POST', '/api/login', { login, password });

/** How one may sign in: a password always, and the configured identity provider, if any. */
export interface SignInOptions {
  password: boolean;
  oidc: { label: string; start: string } | null;
}
export const signInOptions = () => json<SignInOptions>('GET', '/api/sign-in');
export const logout = () => json<void>('POST', '/api/logout');
export const getPreferences = () => json<Preferences>('GET', '/api/preferences');
/** Preference writes go one at a time, in the order they were asked, each sending the
 * object as it is when its turn comes: two quick changes (a view, then the language)
 * must not reach the server in the other order and undo one another. */
let preferenceWrites: Promise<unknown> = Promise.resolve();
export function putPreferences(prefs: Preferences): Promise<Preferences> {
  const write = preferenceWrites.then(() => json<Preferences>('PUT', '/api/preferences', prefs));
  preferenceWrites = write.catch(() => undefined);
  return write;
}

export interface DavResponse {
  status: number;
  text: string;
  etag: string | null;
}

/** One DAV request through the cookie session. Throws ApiError on 401 after signing out. */
export async function dav(
  method: string,
  url: string,
  opts: { body?: string; headers?: Record<string, string>; contentType?: string } = {},
): Promise<DavResponse> {
  const headers: Record<string, string> = { 'X-Agora-CSRF': csrf, 'Accept-Language': currentLanguage(), ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/xml; charset=utf-8';
  // Never from the HTTP cache: a GET answered from it (heuristic freshness, no request)
  // would hand an editor an old copy to write back under a current ETag.
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: opts.body, cache: 'no-store' });
  const text = await res.text();
  if (res.status === 401) {
    onSignedOut();
    throw new ApiError(401, 'signed-out');
  }
  return { status: res.status, text, etag: res.headers.get('ETag') };
}
