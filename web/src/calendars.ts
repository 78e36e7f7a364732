//! Discovery (RFC 4791 §6, RFC 5397): current-user-principal → calendar-home-set → the
//! calendars in it (own, accepted shares, subscriptions), plus the homes of the principals
//! that made this user their proxy (delegation). Access level from
//! current-user-privilege-set (RFC 3744 §5.4): no write, no editing in the page.
import { dav } from './api';
import { NS, child, hrefIn, key, parseMultistatus, propfindBody, text } from './dav';

export interface CalendarInfo {
  href: string;
  name: string;
  color: string;
  writable: boolean;
  components: string[];
  subscribed: boolean;
  /** The user's own calendar (not a share received, a subscription or a delegation):
   * the one kind the page lets them rename, recolour and delete. */
  owned: boolean;
  /** A share someone offered and the user accepted (it lives in their home). */
  sharedWithMe?: boolean;
  /** Whose home it lives in, when it is not the user's own (delegation). */
  ownerHome?: string;
  ctag?: string;
  syncToken?: string;
  /** A subscription whose last fetch failed: the server's reason (Agora's feed-status). */
  feedError?: string;
}

// Default colours, each with at least 4.5:1 contrast against white text (WCAG AA).
const PALETTE = ['#1a5fb4', '#1e7b34', '#b3261e', '#a14e00', '#7b2d96', '#00688b', '#4a55a2', '#5c5c5c'];

async function propfind(url: string, depth: '0' | '1', props: string) {
  const res = await dav('PROPFIND', url, { body: propfindBody(props), headers: { Depth: depth } });
  if (res.status !== 207) throw new Error(`PROPFIND ${url}: ${res.status}`);
  return parseMultistatus(res.text).items;
}

/** Whose each delegated home is (for the " · Owner" suffix of its calendars). */
const delegatedHomes = new Map<string, { owner: string; principal: string }>();

export async function discoverPrincipal(): Promise<{ principal: string; homes: string[] }> {
  const [root] = await propfind('/', '0', '<d:current-user-principal/>');
  const principal = root && hrefIn(root.props, NS.D, 'current-user-principal');
  if (!principal) throw new Error('no current-user-principal');
  const { own, delegators } = await principalHomes(principal);
  const homes: string[] = own ? [own] : [];
  for (const home of await delegatedHomesOf(delegators)) if (!homes.includes(home)) homes.push(home);
  return { principal, homes };
}

/** The user's own calendar home and the principals that made them their proxy. */
async function principalHomes(principal: string): Promise<{ own?: string; delegators: string[] }> {
  const [p] = await propfind(principal, '0', '<c:calendar-home-set/><cs:calendar-proxy-read-for/><cs:calendar-proxy-write-for/>');
  const delegators = new Set<string>();
  for (const local of ['calendar-proxy-read-for', 'calendar-proxy-write-for']) {
    const el = p?.props.get(key(NS.CS, local));
    for (const h of Array.from(el?.getElementsByTagNameNS(NS.D, 'href') ?? [])) {
      if (h.textContent) delegators.add(new URL(h.textContent.trim(), location.origin).pathname);
    }
  }
  return { own: (p && hrefIn(p.props, NS.C, 'calendar-home-set')) || undefined, delegators: [...delegators].sort() };
}

/** The calendar home of each delegator (remembered with its owner's name). */
async function delegatedHomesOf(delegators: string[]): Promise<string[]> {
  const homes: string[] = [];
  for (const d of delegators) {
    try {
      const [dp] = await propfind(d, '0', '<c:calendar-home-set/><d:displayname/>');
      const home = dp && hrefIn(dp.props, NS.C, 'calendar-home-set');
      if (home) {
        homes.push(home);
        delegatedHomes.set(home, { owner: text(dp.props, NS.D, 'displayname') ?? d, principal: d });
      }
    } catch {
      /* a delegation we cannot read is skipped, not fatal */
    }
  }
  return homes;
}

/** The homes as they should be now: a delegation given or taken back since the page
 * loaded adds or drops its home. One Depth-0 PROPFIND of the user's principal when
 * nothing changed; an ended delegation's home is dropped before it is polled (it would
 * answer 403). Returns undefined when the list is unchanged. */
export async function homesNow(principal: string, homes: string[]): Promise<string[] | undefined> {
  const { delegators } = await principalHomes(principal);
  const known = homes.slice(1).map((h) => delegatedHomes.get(h)?.principal).filter((p): p is string => !!p).sort();
  if (known.length === delegators.length && known.every((p, i) => p === delegators[i])) return undefined;
  const next = homes.slice(0, 1);
  for (const home of await delegatedHomesOf(delegators)) if (!next.includes(home)) next.push(home);
  return next;
}

const CALENDAR_PROPS =
  '<d:resourcetype/><d:displayname/><a:calendar-color/><d:current-user-privilege-set/>' +
  '<c:supported-calendar-component-set/><cs:getctag/><d:sync-token/><cs:source/><d:share-access/><ag:feed-status/>';

/** The calendars that hold events (the calendar section's). */
export async function listCalendars(homes: string[]): Promise<CalendarInfo[]> {
  return (await listCollections(homes)).filter((c) => c.components.includes('VEVENT'));
}

/** Every calendar collection of the homes, whatever it holds (events, tasks, notes):
 * the task lists and notebooks are the ones whose supported-calendar-component-set
 * names VTODO or VJOURNAL (RFC 4791 §5.2.3). */
export async function listCollections(homes: string[]): Promise<CalendarInfo[]> {
  const out: CalendarInfo[] = [];
  for (const [homeIndex, home] of homes.entries()) {
    // A delegate lists the owner's home like their own: the server leaves out what stays
    // the owner's alone (notifications, the inbox).
    const items = homeIndex === 0 ? await propfind(home, '1', CALENDAR_PROPS) : await propfind(home, '1', CALENDAR_PROPS).catch(() => []);
    const owner = delegatedHomes.get(home)?.owner;
    for (const item of items) {
      const rt = item.props.get(key(NS.D, 'resourcetype'));
      const isCalendar = rt && child(rt, NS.C, 'calendar');
      const isSubscribed = rt && child(rt, NS.CS, 'subscribed');
      if (!isCalendar && !isSubscribed) continue;
      const privs = item.props.get(key(NS.D, 'current-user-privilege-set'));
      const granted = new Set(Array.from(privs?.getElementsByTagNameNS(NS.D, 'privilege') ?? []).flatMap((p) => Array.from(p.children).map((c) => c.localName)));
      // A free/busy-only share cannot be read: nothing to show in the agenda.
      if (privs && !granted.has('read') && !granted.has('all')) continue;
      const writable = !isSubscribed && (granted.has('all') || granted.has('write') || granted.has('write-content'));
      const compSet = item.props.get(key(NS.C, 'supported-calendar-component-set'));
      const components = compSet
        ? Array.from(compSet.getElementsByTagNameNS(NS.C, 'comp')).map((c) => (c.getAttribute('name') ?? '').toUpperCase())
        : ['VEVENT', 'VTODO'];
      const rawColor = text(item.props, NS.A, 'calendar-color');
      const color = rawColor && /^#[0-9a-f]{6}/i.test(rawColor) ? rawColor.slice(0, 7) : PALETTE[out.length % PALETTE.length];
      const segments = item.href.split('/').filter(Boolean);
      // A share received says read or read-write; the owner's copy not-shared or shared-owner.
      const access = item.props.get(key(NS.D, 'share-access'))?.firstElementChild?.localName;
      const subscribed = !!isSubscribed || !!text(item.props, NS.CS, 'source');
      out.push({
        href: item.href,
        // A delegated calendar says whose it is ("Calendar · Alice Martin").
        name: `${text(item.props, NS.D, 'displayname') ?? decodeURIComponent(segments[segments.length - 1] ?? item.href)}${owner ? ` · ${owner}` : ''}`,
        color,
        writable,
        components,
        subscribed,
        owned: homeIndex === 0 && !subscribed && writable && (access === undefined || access === 'not-shared' || access === 'shared-owner'),
        sharedWithMe: homeIndex === 0 && (access === 'read' || access === 'read-write'),
        ownerHome: homeIndex > 0 ? home : undefined,
        ctag: text(item.props, NS.CS, 'getctag'),
        syncToken: text(item.props, NS.D, 'sync-token'),
        feedError: feedError(item.props.get(key(NS.AG, 'feed-status'))),
      });
    }
  }
  return out;
}

/** The reason of a failed last fetch in a feed-status (empty when it succeeded). */
function feedError(status: Element | undefined): string | undefined {
  return (status && child(status, NS.AG, 'error')?.textContent?.trim()) || undefined;
}

/** The ctag and sync-token of each calendar, for the live refresh (one PROPFIND per home). */
export async function currentTags(homes: string[]): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const [i, home] of homes.entries()) {
    // A delegated home that stopped answering is left to the next discovery, not fatal.
    const items = i === 0 ? await propfind(home, '1', '<cs:getctag/><d:sync-token/>') : await propfind(home, '1', '<cs:getctag/><d:sync-token/>').catch(() => []);
    for (const i of items) {
      const tag = text(i.props, NS.D, 'sync-token') ?? text(i.props, NS.CS, 'getctag');
      if (tag) tags.set(i.href, tag);
    }
  }
  return tags;
}
