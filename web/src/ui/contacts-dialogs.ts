//! The Contacts section's small dialogs: a new or renamed address book, a new group,
//! the confirmation before deleting, the import of a .vcf file (progress, a summary in
//! words, each refusal with the server's reason) and the .vcf download.
import { t } from '../i18n';
import type { BookInfo } from '../contacts/books';
import { importCards, readVcf, type CardImport } from '../contacts/import';
import { h } from './dom';
import { busy, field, openModal, showModal } from './modal';


/** One text field and a submit button; `save` gets the trimmed value. */
export function nameDialog(title: string, label: string, value: string, submit: string, missing: string, save: (name: string) => Promise<void>): void {
  const m = openModal(title);
  const input = h('input', { id: m.id('name'), type: 'text', value, required: true, maxlength: 200, autocomplete: 'off' });
  m.form.append(field(label, input));
  m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, submit), h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) {
      m.error.textContent = missing;
      input.focus();
      return;
    }
    if (await busy(m, () => save(name))) m.close();
  });
  showModal(m);
}

/** Asks before deleting; resolves true when confirmed. The safe choice has the focus. */
export function confirmDialog(title: string, text: string, confirm: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const m = openModal(title, () => resolve(answer));
    m.form.append(h('p', {}, text));
    m.actions.append(h('button', { type: 'submit', class: 'btn btn-danger' }, confirm), h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')));
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      answer = true;
      m.close();
    });
    showModal(m);
    (m.actions.lastElementChild as HTMLElement).focus();
  });
}

/** Offers `text` as a .vcf download named after `name`. */
export function downloadVcf(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/vcard;charset=utf-8' }));
  const a = h('a', { href: url, download: `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 100) || 'contacts'}.vcf` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function importSummary(r: CardImport): string {
  const parts = [t('import.imported', { count: r.imported })];
  if (r.present) parts.push(t('import.present', { count: r.present }));
  if (r.refused.length) parts.push(t('import.refused', { count: r.refused.length }));
  return parts.join(', ') + '.';
}

/** Import of a .vcf file into one of the writable books; `done` once something was written. */
export function importVcfDialog(books: BookInfo[], current: string | undefined, done: (book: string, message: string) => void): void {
  let result: CardImport | undefined;
  let target = '';
  const m = openModal(t('contacts.importTitle'), () => {
    if (result && result.imported) done(target, importSummary(result));
  });
  const select = h('select', { id: m.id('book') });
  for (const b of books) select.append(h('option', { value: b.href, selected: b.href === current }, b.name));
  const file = h('input', { id: m.id('file'), type: 'file', accept: '.vcf,.vcard,text/vcard,text/x-vcard' });
  const progress = h('p', { class: 'import-progress', role: 'status' });
  const details = h('ul', { class: 'import-refusals' });
  m.form.append(h('p', { class: 'muted' }, t('contacts.importHelp')), field(t('contacts.importInto'), select), field(t('contacts.importFile'), file), progress, details);
  const go = h('button', { type: 'submit', class: 'btn btn-primary' }, t('import.start'));
  m.actions.append(go, h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    m.error.textContent = '';
    if (!chosen) {
      m.error.textContent = t('import.noFile');
      file.focus();
      return;
    }
    let cards: ReturnType<typeof readVcf> | undefined;
    try {
      cards = readVcf(await chosen.text());
    } catch {
      cards = undefined;
    }
    if (!cards?.length) {
      m.error.textContent = cards ? t('contacts.importEmpty') : t('contacts.importUnreadable');
      return;
    }
    target = select.value;
    details.replaceChildren();
    progress.textContent = t('import.progress', { done: 0, total: cards.length });
    const list = cards;
    await busy(m, async () => {
      const r = await importCards(target, list, (n, total) => (progress.textContent = t('import.progress', { done: n, total })));
      result = { imported: (result?.imported ?? 0) + r.imported, present: r.present, refused: r.refused };
      progress.textContent = importSummary(r);
      for (const x of r.refused) details.append(h('li', {}, t('import.refusedOne', { name: x.name, reason: x.reason, status: x.status })));
    });
  });
  showModal(m);
}
