//! The "Import a file" dialog of a calendar: a file input for an .ics file, a progress
//! line while the objects are written (import.ts), and a summary in words: how many
//! imported, how many already there (left as they were), and each refusal with the
//! server's reason.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { importObjects, ownAddresses, splitCalendar, type ImportResult } from '../import';
import { state } from '../state';
import { h } from './dom';
import { field, openModal, showModal } from './modal';
import { refusal } from './calendar-dialogs';

export function summaryText(r: ImportResult): string {
  const parts = [t('import.imported', { count: r.imported })];
  if (r.present) parts.push(t('import.present', { count: r.present }));
  if (r.refused.length) parts.push(t('import.refused', { count: r.refused.length }));
  return parts.join(', ') + '.';
}

/** `done` gets the last summary, once the dialog closes, if an import wrote something. */
export function importDialog(cal: CalendarInfo, done: (message: string) => void): void {
  let result: ImportResult | undefined;
  let wrote = false;
  const m = openModal(t('import.title', { name: cal.name }), () => {
    if (result && wrote) done(summaryText(result));
  });
  const file = h('input', { id: m.id('file'), type: 'file', accept: '.ics,.ical,.ifb,.icalendar,text/calendar' });
  const progress = h('p', { class: 'import-progress', role: 'status' });
  const details = h('ul', { class: 'import-refusals' });
  m.form.append(h('p', { class: 'muted' }, t('import.help')), field(t('import.file'), file), progress, details);
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
    go.disabled = true;
    file.disabled = true;
    details.replaceChildren();
    try {
      let objects;
      try {
        const own = state.session?.principal ? await ownAddresses(state.session.principal).catch(() => []) : [];
        objects = splitCalendar(await chosen.text(), own);
      } catch {
        m.error.textContent = t('import.unreadable');
        return;
      }
      if (!objects.length) {
        m.error.textContent = t('import.empty');
        return;
      }
      progress.textContent = t('import.progress', { done: 0, total: objects.length });
      result = await importObjects(cal.href, objects, (n, total) => (progress.textContent = t('import.progress', { done: n, total })));
      wrote ||= result.imported > 0;
      progress.textContent = summaryText(result);
      for (const r of result.refused) {
        details.append(h('li', {}, t('import.refusedOne', { name: r.summary || r.uid, reason: r.reason, status: r.status })));
      }
    } catch (err) {
      m.error.textContent = refusal(err);
    } finally {
      go.disabled = false;
      file.disabled = false;
    }
  });
  showModal(m);
}
