//! What the card view shows and the editor changes, read from a Card, and the edits
//! written back into it touching only the lines that changed (vcard.ts). Types follow
//! RFC 6350 §6.4 (TYPE=home/work, TEL's cell/fax) and vCard 3 (RFC 2426); a custom label
//! is Apple's `itemN.X-ABLabel` in the same item group, which is also how labels are
//! read (`_$!<Mobile>!$_` is Apple's spelling of its own standard labels). Dates
//! (BDAY, ANNIVERSARY — vCard 3 has only X-ANNIVERSARY) keep a missing year: RFC 6350
//! §4.3.1 `--MMDD`, Apple's X-APPLE-OMIT-YEAR in vCard 3.
import { Card, type Line, type Version, components, escapeText, listOf, makeLine, textOf, writeLine } from './vcard';

export type Kind = 'home' | 'work' | 'cell' | 'fax' | 'other' | 'custom';
export type Field = 'email' | 'tel' | 'url' | 'adr';

export interface Entry {
  /** The value; for an address its 7 components (RFC 6350 §6.3.1). */
  value: string[];
  kind: Kind;
  /** The custom label (kind 'custom'). */
  label: string;
  /** The line it was read from; absent for a new entry. */
  line?: Line;
}

export interface ContactData {
  /** N: family, given, additional, prefix, suffix (RFC 6350 §6.2.2). */
  n: string[];
  fn: string;
  org: string;
  title: string;
  /** `YYYY-MM-DD`, `--MM-DD` (no year) or ''. */
  bday: string;
  anniversary: string;
  note: string;
  email: Entry[];
  tel: Entry[];
  url: Entry[];
  adr: Entry[];
  /** A data: URL of the photo, '' without one (photos elsewhere are not fetched). */
  photo: string;
}

const MANAGED = new Set(['home', 'work', 'cell', 'fax', 'mobile', 'other']);
const APPLE: Record<string, Kind> = { mobile: 'cell', iphone: 'cell', home: 'home', work: 'work', other: 'other', homepage: 'other', homefax: 'fax', workfax: 'fax' };

function appleLabel(v: string): string {
  return v.replace(/^_\$!<(.*)>!\$_$/, '$1');
}

function readEntry(card: Card, line: Line, field: Field): Entry {
  const value = field === 'adr' ? components(line, 7).slice(0, 7) : [textOf(line)];
  const labelLine = card.groupLines(line.group).find((l) => l.name === 'x-ablabel');
  if (labelLine) {
    const raw = textOf(labelLine);
    const label = appleLabel(raw);
    const known = raw !== label ? APPLE[label.toLowerCase()] : undefined;
    if (known) return { value, kind: known, label: '', line };
    return { value, kind: 'custom', label, line };
  }
  const types = (line.params.type ?? []).map((t) => t.toLowerCase());
  if (types.includes('cell') || types.includes('mobile')) return { value, kind: 'cell', label: '', line };
  if (field === 'tel' && types.includes('fax')) return { value, kind: 'fax', label: '', line };
  if (types.includes('work')) return { value, kind: 'work', label: '', line };
  if (types.includes('home')) return { value, kind: 'home', label: '', line };
  // An unusual type (pager, x-assistant…) is shown as the label it is.
  const odd = types.find((t) => !['pref', 'internet', 'voice', 'x400', 'text', 'msg', 'video', 'uri', 'postal', 'parcel', 'dom', 'intl'].includes(t));
  if (odd) return { value, kind: 'custom', label: odd, line };
  return { value, kind: 'other', label: '', line };
}

/** `YYYY-MM-DD`, `--MM-DD` or '' from a BDAY/ANNIVERSARY line (vCard 3 and 4 forms). */
export function readDate(line: Line | undefined): string {
  if (!line) return '';
  const v = line.rawValue.trim();
  const omit = line.params['x-apple-omit-year']?.[0];
  let m = v.match(/^(\d{4})-?(\d{2})-?(\d{2})/);
  if (m) return omit === m[1] ? `--${m[2]}-${m[3]}` : `${m[1]}-${m[2]}-${m[3]}`;
  m = v.match(/^--(\d{2})-?(\d{2})/);
  return m ? `--${m[1]}-${m[2]}` : '';
}

/** The photo as a data: URL, when it is embedded (never a request to another host). */
export function photoOf(card: Card): string {
  const line = card.first('photo');
  if (!line) return '';
  const v = line.rawValue.trim().replace(/\\,/g, ',');
  if (/^data:image\/(jpeg|png|gif|webp);base64,[A-Za-z0-9+/=]+$/i.test(v)) return v;
  const enc = (line.params.encoding?.[0] ?? '').toLowerCase();
  if ((enc === 'b' || enc === 'base64') && /^[A-Za-z0-9+/=]+$/.test(v)) {
    const type = (line.params.type?.[0] ?? 'jpeg').toLowerCase().replace(/^image\//, '');
    const mime = ['png', 'gif', 'webp'].includes(type) ? type : 'jpeg';
    return `data:image/${mime};base64,${v}`;
  }
  return '';
}

export function anniversaryLine(card: Card): Line | undefined {
  const std = card.first('anniversary') ?? card.first('x-anniversary');
  if (std) return std;
  // Apple: itemN.X-ABDATE with the label _$!<Anniversary>!$_.
  return card.all('x-abdate').find((l) => /anniversary/i.test(textOf(card.groupLines(l.group).find((g) => g.name === 'x-ablabel'))));
}

/** The name to show: FN, else the parts of N, else the organisation. */
export function displayName(card: Card): string {
  const fn = card.text('fn').trim();
  if (fn) return fn;
  const [family, given, , prefix, suffix] = components(card.first('n'), 5);
  const n = [prefix, given, family, suffix].filter(Boolean).join(' ').trim();
  return n || components(card.first('org'), 1)[0] || card.text('email');
}

export function readContact(card: Card): ContactData {
  const entries = (name: Field) => card.all(name).map((l) => readEntry(card, l, name));
  return {
    n: components(card.first('n'), 5).slice(0, 5),
    fn: card.text('fn'),
    org: components(card.first('org'), 1)[0],
    title: card.text('title'),
    bday: readDate(card.first('bday')),
    anniversary: readDate(anniversaryLine(card)),
    note: card.text('note'),
    email: entries('email'),
    tel: entries('tel'),
    url: entries('url'),
    adr: entries('adr'),
    photo: photoOf(card),
  };
}

export function categoriesOf(card: Card): string[] {
  return card.all('categories').flatMap(listOf);
}

// ---- writing back -------------------------------------------------------------------

function same(a: Entry, b: Entry): boolean {
  return a.kind === b.kind && a.label === b.label && a.value.join('\u0000') === b.value.join('\u0000');
}

function dateValue(d: string, version: Version): { value: string; params: Record<string, string[]> } {
  const noYear = d.match(/^--(\d{2})-(\d{2})$/);
  if (version === '4.0') return { value: noYear ? `--${noYear[1]}${noYear[2]}` : d.replace(/-/g, ''), params: {} };
  // vCard 3 has no year-less date: Apple's X-APPLE-OMIT-YEAR with a placeholder year.
  if (noYear) return { value: `1604-${noYear[1]}-${noYear[2]}`, params: { 'x-apple-omit-year': ['1604'] } };
  return { value: d, params: {} };
}

/** Replaces, drops (null) or adds (no `old`) the single line `name`, where it stood. */
function setSingle(card: Card, name: string, old: Line | undefined, raw: string | null): void {
  const line = raw === null ? null : makeLine(raw, card.version);
  if (old) {
    const i = card.lines.indexOf(old);
    if (line) card.lines.splice(i, 1, line);
    else card.lines.splice(i, 1);
  } else if (line) {
    card.lines.push(line);
  }
  void name;
}

function typeParams(line: Line | undefined, e: Entry, field: Field, version: Version): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(line?.params ?? {})) params[k] = [...v];
  const kept = (params.type ?? []).filter((t) => !MANAGED.has(t.toLowerCase()) && !(field === 'tel' && t.toLowerCase() === 'fax'));
  // A former odd type that the user replaced by a custom label or another kind goes.
  const odd = line ? readEntry(new Card(version, [line]), line, field) : undefined;
  const rest = odd?.kind === 'custom' && !line?.group ? kept.filter((t) => t.toLowerCase() !== odd.label.toLowerCase()) : kept;
  const up = (s: string) => (version === '3.0' ? s.toUpperCase() : s);
  if (e.kind === 'home' || e.kind === 'work' || e.kind === 'cell' || e.kind === 'fax') rest.push(up(e.kind));
  if (field === 'email' && version === '3.0' && !rest.some((t) => t.toLowerCase() === 'internet')) rest.unshift('INTERNET');
  if (rest.length) params.type = rest;
  else delete params.type;
  return params;
}

function entryValue(e: Entry, field: Field): string {
  if (field === 'adr') return e.value.map(escapeText).join(';');
  // URL is a URI (no text escaping, RFC 6350 §6.7.8); the others text.
  return field === 'url' ? e.value[0].trim() : escapeText(e.value[0].trim());
}

/** Writes one field's entries: unchanged lines stay as they were, in place. */
function writeEntries(card: Card, field: Field, before: Entry[], after: Entry[]): void {
  const NAME = field.toUpperCase();
  const keptLines = new Set(after.map((e) => e.line).filter(Boolean));
  // Removed entries: the line and its item group's label lines.
  for (const old of before) {
    if (old.line && !keptLines.has(old.line)) {
      const group = old.line.group;
      card.lines = card.lines.filter((l) => l !== old.line && !(group && l.group === group && (l.name === 'x-ablabel' || l.name === 'x-abadr')));
    }
  }
  let anchor = card.all(field).at(-1);
  for (const e of after) {
    if (!e.value.some((v) => v.trim())) {
      if (e.line) card.lines = card.lines.filter((l) => l !== e.line && !(e.line!.group && l.group === e.line!.group && l.name === 'x-ablabel'));
      continue;
    }
    const orig = before.find((b) => b.line && b.line === e.line);
    if (orig && same(orig, e)) continue;
    let group = e.line?.group;
    const label = card.groupLines(group).find((l) => l.name === 'x-ablabel');
    if (e.kind === 'custom' && e.label.trim()) {
      group ??= card.newGroup();
      const raw = writeLine('X-ABLabel', {}, escapeText(e.label.trim()), group);
      if (label) setSingle(card, 'x-ablabel', label, raw);
      else card.lines.push(makeLine(raw, card.version));
    } else if (label) {
      card.lines = card.lines.filter((l) => l !== label);
    }
    const raw = writeLine(NAME, typeParams(e.line, e, field, card.version), entryValue(e, field), group);
    const line = makeLine(raw, card.version);
    if (e.line) {
      card.lines.splice(card.lines.indexOf(e.line), 1, line);
    } else {
      // New lines after the last of their kind, so the card still reads in order.
      const at = anchor ? card.lines.indexOf(anchor) + 1 : card.lines.length;
      card.lines.splice(at, 0, line);
      // A new label line was pushed at the end: keep it next to its line.
      const lab = card.lines.findIndex((l) => l.group === group && l.name === 'x-ablabel');
      if (group && lab > at) card.lines.splice(at + 1, 0, ...card.lines.splice(lab, 1));
    }
    anchor = line;
  }
}

/** Photo from the editor: new base64 JPEG, or '' to remove it. */
export interface PhotoChange {
  jpegBase64: string;
}

/** Applies the editor's data to the card; lines that did not change are left alone. */
export function writeContact(card: Card, before: ContactData, after: ContactData, photo?: PhotoChange | 'remove'): void {
  const v = card.version;
  if (after.n.join(';') !== before.n.join(';')) setSingle(card, 'n', card.first('n'), writeLine('N', card.first('n')?.params ?? {}, after.n.map(escapeText).join(';'), card.first('n')?.group));
  // FN is required (RFC 6350 §6.2.1): a name from N or the organisation when left empty.
  let fn = after.fn.trim();
  if (!fn) fn = [after.n[3], after.n[1], after.n[0], after.n[4]].filter(Boolean).join(' ') || after.org || after.email[0]?.value[0] || '';
  if (fn !== before.fn || !card.first('fn')) setSingle(card, 'fn', card.first('fn'), writeLine('FN', card.first('fn')?.params ?? {}, escapeText(fn), card.first('fn')?.group));
  if (after.org !== before.org) {
    const old = card.first('org');
    const units = components(old, 1).slice(1);
    setSingle(card, 'org', old, after.org.trim() || units.some(Boolean) ? writeLine('ORG', old?.params ?? {}, [after.org.trim(), ...units].map(escapeText).join(';'), old?.group) : null);
  }
  if (after.title !== before.title) setSingle(card, 'title', card.first('title'), after.title.trim() ? writeLine('TITLE', card.first('title')?.params ?? {}, escapeText(after.title.trim()), card.first('title')?.group) : null);
  if (after.note !== before.note) setSingle(card, 'note', card.first('note'), after.note.trim() ? writeLine('NOTE', {}, escapeText(after.note), card.first('note')?.group) : null);
  if (after.bday !== before.bday) {
    const d = after.bday && dateValue(after.bday, v);
    setSingle(card, 'bday', card.first('bday'), d ? writeLine('BDAY', d.params, d.value) : null);
  }
  if (after.anniversary !== before.anniversary) {
    const old = anniversaryLine(card);
    const d = after.anniversary && dateValue(after.anniversary, v);
    const name = old ? old.name.toUpperCase() : v === '4.0' ? 'ANNIVERSARY' : 'X-ANNIVERSARY';
    setSingle(card, name, old, d ? writeLine(name === 'X-ABDATE' ? 'X-ABDATE' : name, d.params, d.value, old?.group) : null);
  }
  for (const f of ['email', 'tel', 'adr', 'url'] as const) writeEntries(card, f, before[f], after[f]);
  if (photo) {
    const old = card.first('photo');
    const raw =
      photo === 'remove'
        ? null
        : v === '4.0'
          ? writeLine('PHOTO', {}, `data:image/jpeg;base64,${photo.jpegBase64}`)
          : writeLine('PHOTO', { encoding: ['b'], type: ['JPEG'] }, photo.jpegBase64);
    setSingle(card, 'photo', old, raw);
  }
  touchRev(card);
}

/** REV (RFC 6350 §6.7.4): the time of this change, so clients that compare it see it. */
export function touchRev(card: Card): void {
  const old = card.first('rev');
  if (!old) return; // a card without REV stays without it
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  setSingle(card, 'rev', old, writeLine('REV', {}, now));
}
