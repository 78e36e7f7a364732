//! The contact editor: names (N's parts and the display name FN), several e-mails,
//! phones, postal addresses and web sites each with its type (home, work, mobile,
//! fax, other, or a custom label kept as Apple's X-ABLabel), organisation and title,
//! birthday and anniversary, notes and a photo (resized to 256 px, photo.ts). The card
//! is rewritten only where a field changed (contact.ts), in its own VERSION; a new
//! contact is a vCard 4.0 with a urn:uuid UID, written with If-None-Match: *.
import { t } from '../i18n';
import { getCard, newHref, putCard } from '../contacts/cards';
import { readContact, writeContact, type ContactData, type Entry, type Field, type Kind, type PhotoChange } from '../contacts/contact';
import { PhotoError, resizePhoto } from '../contacts/photo';
import { Card, newCard } from '../contacts/vcard';
import { ICONS, h, icon } from './dom';
import { field, openModal, showModal, type Modal } from './modal';
import { busy } from './modal';

const KINDS: Record<Field, Kind[]> = {
  email: ['home', 'work', 'other', 'custom'],
  tel: ['cell', 'home', 'work', 'fax', 'other', 'custom'],
  url: ['home', 'work', 'other', 'custom'],
  adr: ['home', 'work', 'other', 'custom'],
};
const ADR_PARTS: [number, string][] = [
  [2, 'contacts.street'],
  [3, 'contacts.city'],
  [4, 'contacts.region'],
  [5, 'contacts.code'],
  [6, 'contacts.country'],
];

/** One repeated field (e-mails, phones…): rows of type + value, add and remove. */
function entryList(m: Modal, fieldName: Field, entries: Entry[]): { el: HTMLElement; read: () => Entry[] } {
  const rows: { entry: Entry; read: () => Entry; el: HTMLElement }[] = [];
  const list = h('div', { class: 'entry-list' });
  const legend = t(`contacts.${fieldName}s`);
  const addRow = (entry: Entry, focus = false) => {
    const n = m.id(`${fieldName}-${rows.length}-${Math.random().toString(36).slice(2, 6)}`);
    const kind = h('select', { id: `${n}-kind`, 'aria-label': t('contacts.typeOf', { field: t(`contacts.${fieldName}`) }) });
    for (const k of KINDS[fieldName]) kind.append(h('option', { value: k, selected: k === entry.kind }, t(`contacts.kind.${k}`)));
    if (!KINDS[fieldName].includes(entry.kind)) kind.append(h('option', { value: entry.kind, selected: true }, t(`contacts.kind.${entry.kind}`)));
    const label = h('input', { id: `${n}-label`, type: 'text', value: entry.label, 'aria-label': t('contacts.customLabel'), placeholder: t('contacts.customLabel'), class: 'entry-label', hidden: entry.kind !== 'custom' });
    kind.addEventListener('change', () => {
      label.hidden = kind.value !== 'custom';
      if (!label.hidden) label.focus();
    });
    const inputs: HTMLInputElement[] = [];
    const values = h('div', { class: 'entry-values' });
    if (fieldName === 'adr') {
      for (const [i, key] of ADR_PARTS) {
        const input = h('input', { id: `${n}-v${i}`, type: 'text', value: entry.value[i] ?? '', autocomplete: 'off' });
        inputs[i] = input;
        values.append(field(t(key), input));
      }
    } else {
      const type = fieldName === 'email' ? 'email' : fieldName === 'tel' ? 'tel' : 'url';
      const input = h('input', { id: `${n}-v`, type, value: entry.value[0] ?? '', 'aria-label': t(`contacts.${fieldName}`), autocomplete: 'off', inputmode: type === 'url' ? 'url' : undefined });
      inputs[0] = input;
      values.append(input);
    }
    const remove = h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('contacts.removeEntry', { field: t(`contacts.${fieldName}`) }) }, icon(ICONS.close));
    const el = h('div', { class: `entry entry-${fieldName}` }, h('div', { class: 'entry-type' }, kind, label), values, remove);
    const row = {
      entry,
      el,
      read: (): Entry => {
        const value = fieldName === 'adr' ? entry.value.map((v, i) => (inputs[i] ? inputs[i].value.trim() : v)) : [inputs[0].value.trim()];
        while (fieldName === 'adr' && value.length < 7) value.push(inputs[value.length]?.value.trim() ?? '');
        return { ...entry, value, kind: kind.value as Kind, label: kind.value === 'custom' ? label.value.trim() : '' };
      },
    };
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      el.remove();
      add.focus();
    });
    rows.push(row);
    list.append(el);
    if (focus) (inputs[0] ?? inputs[2]).focus();
  };
  const blank = (): Entry => ({ value: fieldName === 'adr' ? ['', '', '', '', '', '', ''] : [''], kind: fieldName === 'tel' ? 'cell' : fieldName === 'email' ? 'home' : 'home', label: '' });
  const add = h('button', { type: 'button', class: 'btn btn-link add-entry' }, t(`contacts.add.${fieldName}`));
  add.addEventListener('click', () => addRow(blank(), true));
  entries.forEach((e) => addRow(e));
  const el = h('fieldset', { class: 'entries' }, h('legend', {}, legend), list, add);
  return { el, read: () => rows.map((r) => r.read()) };
}

function dateInput(m: Modal, name: string, value: string): HTMLInputElement {
  // A date without a year (--MM-DD) has no form in <input type=date>: shown as a hint, kept unless changed.
  return h('input', { id: m.id(name), type: 'date', value: /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '' });
}

/** Opens the editor for `href` (an existing card) or a new contact in `book`; `saved`
 * gets the card's href once it is written. */
export async function contactEditor(book: string, href: string | undefined, saved: (href: string) => void): Promise<void> {
  const stored = href ? await getCard(href) : undefined;
  const card = stored ? Card.parse(stored.text) : newCard();
  const before = readContact(card);
  const m = openModal(href ? t('contacts.editTitle', { name: before.fn || t('contacts.noName') }) : t('contacts.newTitle'));
  m.dialog.classList.add('contact-editor');
  const text = (name: string, value: string, auto = 'off') => h('input', { id: m.id(name), type: 'text', value, autocomplete: auto });
  const [family, given, additional, prefix, suffix] = before.n;
  const inputs = {
    prefix: text('prefix', prefix, 'honorific-prefix'),
    given: text('given', given, 'given-name'),
    additional: text('additional', additional, 'additional-name'),
    family: text('family', family, 'family-name'),
    suffix: text('suffix', suffix, 'honorific-suffix'),
    fn: text('fn', href ? before.fn : ''),
    org: text('org', before.org, 'organization'),
    title: text('title', before.title, 'organization-title'),
  };
  const note = h('textarea', { id: m.id('note'), rows: 3 }, before.note);
  const bday = dateInput(m, 'bday', before.bday);
  const anniversary = dateInput(m, 'anniversary', before.anniversary);
  const yearless = (v: string) => (/^--/.test(v) ? h('p', { class: 'muted' }, t('contacts.noYearKept', { date: v.slice(2) })) : null);

  // The photo: the current one, a file input, and removal.
  let photo: PhotoChange | 'remove' | undefined;
  const preview = h('img', { class: 'photo-preview', alt: '', src: before.photo || undefined, hidden: !before.photo });
  const photoInput = h('input', { id: m.id('photo'), type: 'file', accept: 'image/*' });
  const photoError = h('p', { class: 'form-error', role: 'alert', id: m.id('photo-error') });
  const removePhoto = h('button', { type: 'button', class: 'btn', hidden: !before.photo }, t('contacts.removePhoto'));
  photoInput.setAttribute('aria-describedby', photoError.id);
  photoInput.addEventListener('change', async () => {
    const file = photoInput.files?.[0];
    photoError.textContent = '';
    if (!file) return;
    try {
      const jpegBase64 = await resizePhoto(file);
      photo = { jpegBase64 };
      preview.src = `data:image/jpeg;base64,${jpegBase64}`;
      preview.hidden = false;
      removePhoto.hidden = false;
    } catch (e) {
      photoInput.value = '';
      photoError.textContent = e instanceof PhotoError && e.kind === 'too-big' ? t('contacts.photoTooBig') : t('contacts.photoUnreadable');
    }
  });
  removePhoto.addEventListener('click', () => {
    photo = 'remove';
    preview.hidden = true;
    preview.removeAttribute('src');
    removePhoto.hidden = true;
    photoInput.value = '';
    photoInput.focus();
  });

  const lists = {
    email: entryList(m, 'email', before.email),
    tel: entryList(m, 'tel', before.tel),
    adr: entryList(m, 'adr', before.adr),
    url: entryList(m, 'url', before.url),
  };
  m.form.append(
    h('fieldset', {}, h('legend', {}, t('contacts.name')),
      h('div', { class: 'row' }, field(t('contacts.prefix'), inputs.prefix), field(t('contacts.given'), inputs.given), field(t('contacts.additional'), inputs.additional)),
      h('div', { class: 'row' }, field(t('contacts.family'), inputs.family), field(t('contacts.suffix'), inputs.suffix)),
      field(t('contacts.fn'), inputs.fn)),
    h('fieldset', { class: 'photo-field' }, h('legend', {}, t('contacts.photo')), preview, field(t('contacts.photoFile'), photoInput), photoError, removePhoto),
    h('div', { class: 'row' }, field(t('contacts.org'), inputs.org), field(t('contacts.jobTitle'), inputs.title)),
    lists.email.el,
    lists.tel.el,
    lists.adr.el,
    lists.url.el,
    h('div', { class: 'row' }, h('div', { class: 'field' }, field(t('contacts.bday'), bday), yearless(before.bday)), h('div', { class: 'field' }, field(t('contacts.anniversary'), anniversary), yearless(before.anniversary))),
    field(t('contacts.note'), note),
  );
  m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')), h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const dateOf = (input: HTMLInputElement, old: string) => (input.value ? input.value : /^--/.test(old) ? old : '');
    const after: ContactData = {
      n: [inputs.family.value.trim(), inputs.given.value.trim(), inputs.additional.value.trim(), inputs.prefix.value.trim(), inputs.suffix.value.trim()],
      fn: inputs.fn.value.trim(),
      org: inputs.org.value.trim(),
      title: inputs.title.value.trim(),
      bday: dateOf(bday, before.bday),
      anniversary: dateOf(anniversary, before.anniversary),
      note: note.value.replace(/\s+$/, ''),
      email: lists.email.read(),
      tel: lists.tel.read(),
      adr: lists.adr.read(),
      url: lists.url.read(),
      photo: before.photo,
    };
    const named = after.fn || after.n.some(Boolean) || after.org || after.email.some((x) => x.value[0]);
    if (!named) {
      m.error.textContent = t('contacts.nameMissing');
      inputs.given.focus();
      return;
    }
    const target = href ?? newHref(book, card.text('uid'));
    const ok = await busy(m, async () => {
      const lines = [...card.lines];
      try {
        writeContact(card, before, after, photo);
        await putCard(target, card.toString(), stored?.etag);
      } catch (err) {
        card.lines = lines; // a refused write leaves the card as read, for another try
        throw err;
      }
    });
    if (ok) {
      m.close();
      saved(target);
    }
  });
  showModal(m);
  inputs.given.focus();
}
