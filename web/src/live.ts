//! Live refresh: every 10 s (while the tab is visible) one PROPFIND per calendar home
//! reads each calendar's sync-token or ctag; the calendars whose tag moved are fetched
//! again, so a change made by another client shows without a reload. Before, one Depth-0
//! PROPFIND of the user's principal notices a delegation given or ended (`homes`).
import { currentTags, homesNow } from './calendars';
import { state } from './state';

export const POLL_MS = 10_000;
let timer: number | undefined;

export function stopLive(): void {
  window.clearInterval(timer);
  timer = undefined;
}

export function startLive(visible: () => string[], changed: (calendars: string[]) => void, tick: () => void, homes: () => Promise<void>): void {
  stopLive();
  let running = false;
  const poll = async () => {
    if (running || document.hidden || !state.session) return;
    running = true;
    try {
      tick();
      const next = state.session && (await homesNow(state.session.principal, state.homes));
      if (next) {
        state.homes = next;
        await homes();
      }
      const tags = await currentTags(state.homes);
      const moved = visible().filter((href) => tags.has(href) && tags.get(href) !== state.tags.get(href));
      for (const [href, tag] of tags) state.tags.set(href, tag);
      if (moved.length) changed(moved);
    } catch {
      /* the next poll tries again; a 401 has already shown the sign-in form */
    } finally {
      running = false;
    }
  };
  timer = window.setInterval(poll, POLL_MS);
  document.addEventListener('visibilitychange', () => void poll());
}
