//! Importing a .vcf file holding many cards into an address book: the file is split
//! into cards (BEGIN/END, each read with ical.js to refuse what is no vCard), each card
//! is one PUT with If-None-Match: * (RFC 6352 §6.3.2.1) at a href made from its UID,
//! which is kept (a card without one gets a new UUID). A card whose UID or href is
//! already in the book (412, or 409 no-uid-conflict, RFC 6352 §6.3.2.1) is counted as
//! already present and left as it is; any other refusal is kept with the server's words.
import { DavError } from '../manage';
import { putCard, newHref } from './cards';
import { Card, makeLine, splitCards } from './vcard';
import { displayName } from './contact';

export interface CardRefused {
  name: string;
  status: number;
  reason: string;
}

export interface CardImport {
  imported: number;
  present: number;
  refused: CardRefused[];
}

/** The cards of a file, each with a UID (one is added where missing). */
export function readVcf(text: string): { uid: string; name: string; text: string }[] {
  const out: { uid: string; name: string; text: string }[] = [];
  for (const raw of splitCards(text)) {
    const card = Card.parse(raw);
    let uid = card.text('uid').trim();
    if (!uid) {
      uid = card.version === '4.0' ? `urn:uuid:${crypto.randomUUID()}` : crypto.randomUUID();
      const at = card.lines.findIndex((l) => l.name === 'version') + 1;
      card.lines.splice(at, 0, makeLine(`UID:${uid}`, card.version));
    }
    out.push({ uid, name: displayName(card), text: card.lines.length ? card.toString() : raw });
  }
  return out;
}

export async function importCards(book: string, cards: { uid: string; name: string; text: string }[], progress: (done: number, total: number) => void): Promise<CardImport> {
  const result: CardImport = { imported: 0, present: 0, refused: [] };
  let done = 0;
  for (const c of cards) {
    try {
      await putCard(newHref(book, c.uid), c.text);
      result.imported++;
    } catch (e) {
      if (e instanceof DavError && (e.status === 412 || (e.status === 409 && /uid/i.test(e.reason)))) result.present++;
      else if (e instanceof DavError) result.refused.push({ name: c.name || c.uid, status: e.status, reason: e.reason });
      else throw e;
    }
    progress(++done, cards.length);
  }
  return result;
}
