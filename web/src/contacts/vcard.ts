//! A vCard (3.0 or 4.0) held as its content lines, so that a web edit rewrites only the
//! lines it changed: every other line — X-ABLabel item groups, X-SOCIALPROFILE, IMPP,
//! custom TEL types, unknown X- properties, parameter spellings — goes back byte for
//! byte (docs/web.md §5: unknown and custom properties must survive). ical.js reads the
//! values (its `vcard` / `vcard3` design sets, chosen by VERSION being the first line,
//! RFC 6350 §6.7.9); lines the page changes are written here (RFC 6350 §3.3 escaping,
//! §3.2 folding at 75 octets), because ical.js escapes the comma of a `data:` URI and
//! rewrites vCard 3 dates — both of which other clients then misread.
import ICAL from 'ical.js';

export type Version = '3.0' | '4.0';

export interface Line {
  /** The line as stored, unfolded. Kept as is unless the page changes the property. */
  raw: string;
  /** Lower-case property name without its group (`tel`, `x-ablabel`). */
  name: string;
  /** The item group (`item1` in `item1.TEL`), lower-case, if any. */
  group?: string;
  /** Parameters, names lower-case, each a list of values. */
  params: Record<string, string[]>;
  /** The value as written (escapes still in). */
  rawValue: string;
  /** ical.js's reading of the value (null when it could not read the line). */
  values: unknown[];
}

/** Unfolds (RFC 6350 §3.2) and splits into content lines, blank lines dropped. */
export function contentLines(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** Splits `NAME;P=V;Q="a,b":value` at the first colon outside quotes. */
function splitLine(raw: string): { head: string; value: string } {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return { head: raw.slice(0, i), value: raw.slice(i + 1) };
  }
  return { head: raw, value: '' };
}

function parseHead(head: string): { name: string; group?: string; params: Record<string, string[]> } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of head) {
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const full = parts.shift()!.toLowerCase();
  const dot = full.lastIndexOf('.');
  const params: Record<string, string[]> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    // vCard 2.1/3 clients write bare types (`TEL;CELL:`): they are TYPE values.
    const k = eq < 0 ? 'type' : p.slice(0, eq).toLowerCase();
    const v = eq < 0 ? p : p.slice(eq + 1);
    const vals = splitList(v).map((x) => x.replace(/^"|"$/g, ''));
    (params[k] ??= []).push(...vals);
  }
  return { name: dot < 0 ? full : full.slice(dot + 1), group: dot < 0 ? undefined : full.slice(0, dot), params };
}

function splitList(v: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of v) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** ical.js's values for one line, read inside a card of the same version. */
function icalValues(raw: string, version: Version): unknown[] {
  try {
    const jcard = ICAL.parse(`BEGIN:VCARD\r\nVERSION:${version}\r\n${raw}\r\nEND:VCARD\r\n`) as unknown as [string, unknown[][]];
    const prop = new ICAL.Component(jcard as never).getAllProperties()[1];
    return prop ? prop.getValues() : [];
  } catch {
    return [];
  }
}

export class Card {
  constructor(
    public version: Version,
    public lines: Line[],
  ) {}

  /** Reads one card (the first BEGIN:VCARD … END:VCARD of `text`). */
  static parse(text: string): Card {
    const all = contentLines(text);
    const begin = all.findIndex((l) => /^begin:vcard$/i.test(l.trim()));
    const end = all.findIndex((l, i) => i > begin && /^end:vcard$/i.test(l.trim()));
    if (begin < 0 || end < 0) throw new Error('not a vCard');
    const body = all.slice(begin + 1, end);
    const versionLine = body.find((l) => /^version:/i.test(l));
    const version: Version = versionLine && /4\.0/.test(versionLine) ? '4.0' : '3.0';
    // The whole card through ical.js once; a line it cannot read is read on its own.
    let props: ICAL.Property[] | undefined;
    try {
      const jcard = ICAL.parse(['BEGIN:VCARD', ...body, 'END:VCARD', ''].join('\r\n'));
      const comp = new ICAL.Component(jcard as never);
      props = comp.getAllProperties();
      if (props.length !== body.length) props = undefined;
    } catch {
      props = undefined;
    }
    const lines = body.map((raw, i): Line => {
      const { head, value } = splitLine(raw);
      const { name, group, params } = parseHead(head);
      let values: unknown[];
      try {
        values = props ? props[i].getValues() : icalValues(raw, version);
      } catch {
        values = icalValues(raw, version);
      }
      return { raw, name, group, params, rawValue: value, values };
    });
    return new Card(version, lines);
  }

  all(name: string): Line[] {
    return this.lines.filter((l) => l.name === name);
  }

  first(name: string): Line | undefined {
    return this.lines.find((l) => l.name === name);
  }

  /** A text value (first value) of the first `name` line. */
  text(name: string): string {
    return textOf(this.first(name));
  }

  /** Lines of an item group (`item1.X-ABLabel` with `item1.TEL`). */
  groupLines(group: string | undefined): Line[] {
    return group ? this.lines.filter((l) => l.group === group) : [];
  }

  /** A fresh item group name (`itemN`). */
  newGroup(): string {
    let n = 0;
    for (const l of this.lines) {
      const m = l.group?.match(/^item(\d+)$/);
      if (m) n = Math.max(n, Number(m[1]));
    }
    return `item${n + 1}`;
  }

  toString(): string {
    const out = ['BEGIN:VCARD', ...this.lines.map((l) => l.raw), 'END:VCARD'];
    return out.map(fold).join('\r\n') + '\r\n';
  }
}

/** The first value of a line as text (structured values joined by spaces). */
export function textOf(line: Line | undefined): string {
  if (!line) return '';
  const v = line.values[0];
  if (Array.isArray(v)) return v.flat().filter(Boolean).join(' ');
  if (v === undefined || v === null) return unescapeText(line.rawValue);
  if (typeof v === 'string') return v;
  return line.rawValue;
}

/** The components of a structured value (N, ADR, ORG), unescaped. */
export function components(line: Line | undefined, count: number): string[] {
  const out: string[] = [];
  if (line) {
    // Split the raw value ourselves: ical.js gives nested arrays for comma lists.
    const parts = splitEscaped(line.rawValue, ';');
    for (const p of parts) out.push(unescapeText(p));
  }
  while (out.length < count) out.push('');
  return out;
}

function splitEscaped(v: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      cur += c + v[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Values of a comma list (CATEGORIES, NICKNAME), unescaped. */
export function listOf(line: Line): string[] {
  return splitEscaped(line.rawValue, ',').map(unescapeText).map((s) => s.trim()).filter(Boolean);
}

export function unescapeText(v: string): string {
  return v.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** RFC 6350 §3.4: backslash, comma, semicolon and newline escaped in text. */
export function escapeText(v: string): string {
  return v.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

function paramValue(v: string): string {
  return /[:;,"]/.test(v) ? `"${v.replace(/"/g, "'")}"` : v;
}

/** One content line: `group.NAME;PARAM=a,b:value` (the value already escaped). */
export function writeLine(name: string, params: Record<string, string[]>, value: string, group?: string): string {
  let head = (group ? `${group}.` : '') + name;
  for (const [k, vals] of Object.entries(params)) {
    if (!vals.length) continue;
    head += `;${k.toUpperCase()}=${vals.map(paramValue).join(',')}`;
  }
  return `${head}:${value}`;
}

/** A new line object from a written line (read back, so `values` are ical.js's). */
export function makeLine(raw: string, version: Version): Line {
  const { head, value } = splitLine(raw);
  const { name, group, params } = parseHead(head);
  return { raw, name, group, params, rawValue: value, values: icalValues(raw, version) };
}

/** RFC 6350 §3.2: lines longer than 75 octets folded, never inside a UTF-8 sequence. */
export function fold(line: string): string {
  const bytes = new TextEncoder();
  if (bytes.encode(line).length <= 75) return line;
  const out: string[] = [];
  let cur = '';
  let size = 0;
  for (const ch of line) {
    const n = bytes.encode(ch).length;
    const limit = out.length ? 74 : 75;
    if (size + n > limit) {
      out.push(cur);
      cur = '';
      size = 0;
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/** Splits a file holding many cards into the text of each (for import). */
export function splitCards(text: string): string[] {
  const cards: string[] = [];
  let cur: string[] | null = null;
  let depth = 0;
  for (const line of contentLines(text)) {
    if (/^begin:vcard\s*$/i.test(line)) {
      if (depth === 0) cur = [];
      depth++;
    }
    cur?.push(line);
    if (/^end:vcard\s*$/i.test(line) && depth > 0) {
      depth--;
      if (depth === 0 && cur) {
        cards.push(cur.map(fold).join('\r\n') + '\r\n');
        cur = null;
      }
    }
  }
  return cards;
}

/** A new vCard 4.0 with a urn:uuid UID (RFC 6350 §6.7.6). */
export function newCard(): Card {
  const uid = `urn:uuid:${crypto.randomUUID()}`;
  return new Card('4.0', [makeLine('VERSION:4.0', '4.0'), makeLine(`UID:${uid}`, '4.0'), makeLine('PRODID:-//Agora//Web//EN', '4.0')]);
}
