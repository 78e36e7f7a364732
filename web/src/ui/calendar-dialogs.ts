//! Calendar management dialogs: a new calendar (name, colour), and each calendar's options
//! — rename, recolour and delete for the user's own calendars; export as .ics and the
//! publish link for every calendar one may read (creating and removing it only on one's
//! own); a subscription to a calendar on the web; importing an .ics file into a calendar
//! one may write (import-dialog.ts).
//! Server refusals are said in words with the server's reason.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { createCalendar, deleteCalendar, exportCalendar, feedUrl, publish, publishUrl, subscribeCalendar, unpublish, updateCalendar } from '../manage';
import { colorOf } from '../state';
import { h } from './dom';
import { importDialog } from './import-dialog';
import { confirmRenew, leaveButton, shareButton } from './calendar-sharing';
import { busy, field, openModal, showModal, type Modal } from './modal';
import { refusal } from './refusal';
import { trashHint } from '../trash';

export { refusal };
import { toast } from './toast';

const PALETTE = ['#1a5fb4', '#1e7b34', '#b3261e', '#a14e00', '#7b2d96', '#00688b'];


/** Name and colour controls, shared by "new" and "options". */
function nameAndColor(m: Modal, name: string, color: string) {
  const nameInput = h('input', { id: m.id('name'), type: 'text', value: name, required: true, maxlength: 200, autocomplete: 'off' });
  const colorInput = h('input', { id: m.id('color'), type: 'color', value: color });
  m.form.append(h('div', { class: 'row' }, field(t('manage.name'), nameInput), field(t('manage.color'), colorInput)));
  return { nameInput, colorInput };
}


/** What else than an event calendar the dialog makes: a task list or a notebook holds
 * other components (no subscription offered then); its own title and messages. */
export interface CollectionKind {
  components: string[];
  title: string;
  /** i18n key of "… created", with {{name}}. */
  created: string;
}

/** `done` gets the new calendar's href and the message to show once the page is redrawn. */
export function newCalendarDialog(home: string, count: number, done: (href: string, message: string) => void, kind?: CollectionKind): void {
  const m = openModal(kind?.title ?? t('manage.newTitle'));
  const { nameInput, colorInput } = nameAndColor(m, '', PALETTE[count % PALETTE.length]);
  // A calendar of one's own, or a subscription to a feed on the web (read-only).
  const kindOwn = h('input', { type: 'radio', name: m.id('kind'), id: m.id('own'), value: 'own', checked: true });
  const kindFeed = h('input', { type: 'radio', name: m.id('kind'), id: m.id('feed'), value: 'feed' });
  m.form.append(
    h(
      'fieldset',
      { class: 'kind', hidden: !!kind },
      h('legend', { class: 'visually-hidden' }, t('subscribe.kind')),
      h('label', { for: kindOwn.id }, kindOwn, ` ${t('subscribe.own')}`),
      h('label', { for: kindFeed.id }, kindFeed, ` ${t('subscribe.feed')}`),
    ),
  );
  const urlInput = h('input', { id: m.id('url'), type: 'url', inputmode: 'url', autocomplete: 'off', placeholder: 'webcal://…', 'aria-describedby': m.id('url-help') });
  const urlRow = h('div', { hidden: true }, field(t('subscribe.url'), urlInput), h('p', { class: 'muted', id: m.id('url-help') }, t('subscribe.help')));
  m.form.append(urlRow);
  const feed = () => kindFeed.checked;
  const switchKind = () => {
    urlRow.hidden = !feed();
    if (feed()) urlInput.focus();
  };
  kindOwn.addEventListener('change', switchKind);
  kindFeed.addEventListener('change', switchKind);
  m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('manage.create')), h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let name = nameInput.value.trim();
    const url = feed() ? feedUrl(urlInput.value) : undefined;
    if (feed() && !url) {
      m.error.textContent = t('subscribe.badUrl');
      urlInput.focus();
      return;
    }
    // A subscription may go without a name: the feed's host names it.
    if (!name && url) name = new URL(url).hostname || url.slice(0, 60);
    if (!name) {
      m.error.textContent = t('manage.nameMissing');
      nameInput.focus();
      return;
    }
    let href = '';
    const work = url ? () => subscribeCalendar(home, name, colorInput.value, url) : () => createCalendar(home, name, colorInput.value, kind?.components);
    if (await busy(m, async () => void (href = await work()))) {
      m.close();
      done(href, t(url ? 'subscribe.done' : (kind?.created ?? 'manage.created'), { name }));
    }
  });
  showModal(m);
}

/** Asks before deleting, naming the calendar (or, with `words`, a task or a note: the
 * i18n keys of the title and text, each given {{name}}); resolves true when confirmed. */
export function confirmDelete(name: string, words = { title: 'manage.deleteTitle', text: 'manage.deleteText' }): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const m = openModal(t(words.title, { name }), () => resolve(answer));
    m.form.append(h('p', {}, t(words.text, { name })), h('p', { class: 'trash-hint' }, trashHint()));
    m.actions.append(
      h('button', { type: 'submit', class: 'btn btn-danger' }, t('manage.deleteConfirm', { name })),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      answer = true;
      m.close();
    });
    showModal(m);
    // The safe choice has the focus.
    (m.actions.lastElementChild as HTMLElement).focus();
  });
}

function download(name: string, ics: string): void {
  const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
  const a = h('a', { href: url, download: `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 100) || 'calendar'}.ics` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Copies `text`; falls back to selecting `input` and execCommand without the async clipboard. */
export async function copy(text: string, input: HTMLInputElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without the async clipboard (no secure context), the selected field and execCommand.
    input.select();
    if (!document.execCommand('copy')) throw new Error('copy');
  }
}

/** `changed` gets the message to show once the page is redrawn. */
export function calendarOptionsDialog(cal: CalendarInfo, changed: (message: string) => void): void {
  const m = openModal(t('manage.optionsTitle', { name: cal.name }));
  let controls: ReturnType<typeof nameAndColor> | undefined;
  if (cal.owned) controls = nameAndColor(m, cal.name, colorOf(cal));
  else m.form.append(h('p', { class: 'muted' }, t('manage.notOwned')));
  // A feed that could not be read: say why, in the server's words.
  if (cal.feedError) m.form.append(h('p', { class: 'form-error feed-error' }, t('manage.feedFailed', { reason: cal.feedError })));

  // Publish link: shown when it exists; created on demand for one's own calendars.
  const linkInput = h('input', { id: m.id('link'), type: 'text', readonly: true, value: '' });
  const copyButton = h('button', { type: 'button', class: 'btn' }, t('manage.copyLink'));
  const linkRow = h('div', { class: 'link-row', hidden: true }, field(t('manage.publishLink'), linkInput), copyButton);
  const publishButton = h('button', { type: 'button', class: 'btn', hidden: true }, t('manage.publish'));
  const unpublishButton = h('button', { type: 'button', class: 'btn', hidden: true }, t('manage.unpublish'));
  const renewButton = h('button', { type: 'button', class: 'btn', hidden: true }, t('manage.renew'));
  const showLink = (url: string) => {
    linkInput.value = url;
    linkRow.hidden = false;
    publishButton.hidden = true;
    unpublishButton.hidden = !cal.owned;
    renewButton.hidden = !cal.owned;
  };
  // A new secret: publishing again replaces the token, the old link stops working.
  renewButton.addEventListener('click', async () => {
    if (!(await confirmRenew(cal.name))) return;
    if (await busy(m, async () => showLink(await publish(cal.href)))) {
      toast(t('manage.renewed'));
      copyButton.focus();
    }
  });
  unpublishButton.addEventListener('click', () =>
    busy(m, async () => {
      await unpublish(cal.href);
      linkInput.value = '';
      linkRow.hidden = true;
      unpublishButton.hidden = true;
      renewButton.hidden = true;
      publishButton.hidden = false;
      toast(t('manage.unpublished'));
    }).then((ok) => ok && publishButton.focus()),
  );
  copyButton.addEventListener('click', () =>
    copy(linkInput.value, linkInput).then(
      () => toast(t('manage.copied')),
      () => (m.error.textContent = t('manage.copyFailed')),
    ),
  );
  publishButton.addEventListener('click', () =>
    busy(m, async () => showLink(await publish(cal.href))).then((ok) => ok && copyButton.focus()),
  );
  const exportButton = h('button', { type: 'button', class: 'btn' }, t('manage.export'));
  exportButton.addEventListener('click', () => busy(m, async () => download(cal.name, await exportCalendar(cal.href))));
  // Importing writes into the calendar: only where the user may write (not a feed).
  const importButton = cal.writable && !cal.subscribed ? h('button', { type: 'button', class: 'btn import-btn' }, t('import.open')) : null;
  importButton?.addEventListener('click', () => {
    m.close();
    importDialog(cal, changed);
  });
  m.form.append(h('div', { class: 'manage-tools' }, exportButton, importButton, publishButton), h('div', { class: 'link-block' }, linkRow, h('div', { class: 'manage-tools' }, renewButton, unpublishButton)));
  // Sharing with people (one's own calendars), or leaving a share one accepted.
  if (cal.owned) m.form.append(h('div', { class: 'manage-tools' }, shareButton(cal, m.close)));
  else if (cal.sharedWithMe) m.form.append(h('div', { class: 'manage-tools' }, leaveButton(cal, m, changed)));
  publishUrl(cal.href).then(
    (url) => (url ? showLink(url) : (publishButton.hidden = !cal.owned)),
    () => (publishButton.hidden = !cal.owned),
  );

  if (controls) {
    const { nameInput, colorInput } = controls;
    m.actions.append(
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')),
      h('button', {
        type: 'button',
        class: 'btn btn-danger',
        onclick: async () => {
          if (!(await confirmDelete(cal.name))) return;
          if (await busy(m, () => deleteCalendar(cal.href))) {
            m.close();
            changed(t('manage.deleted', { name: cal.name }));
          }
        },
      }, t('manage.delete')),
    );
    m.form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const name = nameInput.value.trim();
      if (!name) {
        m.error.textContent = t('manage.nameMissing');
        nameInput.focus();
        return;
      }
      if (await busy(m, () => updateCalendar(cal.href, name, colorInput.value))) {
        m.close();
        changed(t('manage.saved', { name }));
      }
    });
  } else {
    m.form.addEventListener('submit', (e) => e.preventDefault());
  }
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.close')));
  showModal(m);
}
