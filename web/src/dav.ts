//! WebDAV/CalDAV XML: request bodies are fixed templates (no user text inside but hrefs
//! and UTC instants, which are escaped), answers are read with DOMParser by namespace.

export const NS = {
  D: 'DAV:',
  C: 'urn:ietf:params:xml:ns:caldav',
  CS: 'http://calendarserver.org/ns/',
  A: 'http://apple.com/ns/ical/',
  /** Agora's own properties (feed-status). */
  AG: 'urn:x-agora:ns',
};

export interface DavItem {
  href: string;
  /** Properties found (status 200), by "namespace local-name". */
  props: Map<string, Element>;
  status?: number;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function key(ns: string, local: string): string {
  return `${ns} ${local}`;
}

function statusCode(el: Element | null | undefined): number | undefined {
  const m = el?.textContent?.match(/HTTP\/\d(?:\.\d)?\s+(\d{3})/);
  return m ? Number(m[1]) : undefined;
}

/** Reads a 207 multistatus into one item per response (hrefs decoded, absolute path). */
export function parseMultistatus(xml: string): { items: DavItem[]; syncToken?: string } {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('bad multistatus');
  const items: DavItem[] = [];
  for (const resp of Array.from(doc.getElementsByTagNameNS(NS.D, 'response'))) {
    const hrefEl = child(resp, NS.D, 'href');
    if (!hrefEl) continue;
    const href = normalizeHref(hrefEl.textContent ?? '');
    const props = new Map<string, Element>();
    for (const ps of children(resp, NS.D, 'propstat')) {
      if ((statusCode(child(ps, NS.D, 'status')) ?? 200) !== 200) continue;
      const prop = child(ps, NS.D, 'prop');
      for (const p of Array.from(prop?.children ?? [])) props.set(key(p.namespaceURI ?? '', p.localName), p);
    }
    items.push({ href, props, status: statusCode(child(resp, NS.D, 'status')) });
  }
  const token = doc.getElementsByTagNameNS(NS.D, 'sync-token')[0];
  const root = doc.documentElement;
  const syncToken = token && token.parentElement === root ? token.textContent?.trim() : undefined;
  return { items, syncToken };
}

export function child(el: Element, ns: string, local: string): Element | null {
  for (const c of Array.from(el.children)) if (c.namespaceURI === ns && c.localName === local) return c;
  return null;
}

export function children(el: Element, ns: string, local: string): Element[] {
  return Array.from(el.children).filter((c) => c.namespaceURI === ns && c.localName === local);
}

export function normalizeHref(href: string): string {
  const trimmed = href.trim();
  try {
    return new URL(trimmed, location.origin).pathname;
  } catch {
    return trimmed;
  }
}

export function text(props: Map<string, Element>, ns: string, local: string): string | undefined {
  return props.get(key(ns, local))?.textContent?.trim() || undefined;
}

/** The href inside a property such as current-user-principal or calendar-home-set. */
export function hrefIn(props: Map<string, Element>, ns: string, local: string): string | undefined {
  const el = props.get(key(ns, local));
  const h = el && child(el, NS.D, 'href');
  return h?.textContent ? normalizeHref(h.textContent) : undefined;
}

export function propfindBody(props: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/" xmlns:ag="urn:x-agora:ns"><d:prop>${props}</d:prop></d:propfind>`;
}
