//! The account's and devices' JSON endpoints (the Settings section's Password and
//! Devices panes): app passwords, the password change, the Apple configuration
//! profile and its single-use link. A password change or a revocation ends every
//! session of the user; the server answers with a new one for this browser, which
//! is taken at once (its CSRF token) so the page goes on without a sign-in.
import { json, setSession, type Session } from './api';
import { state } from './state';

export interface AppPassword {
  label: string;
  /** RFC 3339, UTC. */
  created: string;
}

export interface NewAppPassword extends AppPassword {
  login: string;
  /** Shown this once: `xxxxx-xxxxx-xxxxx-xxxxx-xxxxx`. */
  password: string;
  /** This server's address as the browser reached it. */
  server: string | null;
  /** `caldavs://login:password@host/`, which DAVx5 opens. */
  davx5: string | null;
}

export interface ProfileLink {
  url: string;
  expiresAt: string;
}

async function renewing(answer: Promise<{ session: Session }>): Promise<void> {
  const { session } = await answer;
  state.session = session;
  setSession(session);
}

export const listAppPasswords = () => json<AppPassword[]>('GET', '/api/app-passwords');
export const createAppPassword = (label: string) => json<NewAppPassword>('POST', '/api/app-passwords', { label });
export const revokeAppPassword = (label: string) =>
  renewing(json<{ session: Session }>('DELETE', `/api/app-passwords/${encodeURIComponent(label)}`));
export const changePassword = (current: string, next: string) =>
  renewing(json<{ session: Session }>('POST', '/api/password', { current, new: next }));
export const makeProfileLink = () => json<ProfileLink>('POST', '/api/profile-links');

/** Saves the Apple configuration profile through the browser's download. */
export async function downloadProfile(): Promise<void> {
  const res = await fetch('/api/profile', {
    headers: { 'X-Agora-CSRF': state.session?.csrf ?? '' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(String(res.status));
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'agora.mobileconfig';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
