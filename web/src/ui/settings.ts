//! The settings dialog: language, time zone (the browser's IANA list), first day of the
//! week and 12/24-hour clock. Stored with PUT /api/preferences (every browser of the user
//! follows) and applied at once by re-rendering the page. "Automatic" leaves a setting
//! unset, so it follows the locale or the browser.
import { putPreferences, type Preferences } from '../api';
import { LANGUAGES, currentLanguage, setLanguage, t, type Language } from '../i18n';
import { state } from '../state';
import { browserTimeZone } from '../tz';
import { h } from './dom';
import { field, openModal, showModal } from './modal';
import { refusal } from './calendar-dialogs';
import { toast } from './toast';
import { notificationSetting } from './alarm-notes';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  const current = [state.prefs.timeZone, browserTimeZone(), 'UTC'].filter((z): z is string => !!z);
  return [...new Set([...list, ...current])].sort();
}

export function settingsDialog(applied: () => void): void {
  const m = openModal(t('settings.title'));
  const lang = h('select', { id: m.id('lang') });
  for (const l of LANGUAGES) lang.append(h('option', { value: l, lang: l, selected: l === currentLanguage() }, NAMES[l]));

  const tz = h('select', { id: m.id('tz') });
  tz.append(h('option', { value: '', selected: !state.prefs.timeZone }, t('settings.auto', { value: browserTimeZone() })));
  for (const z of timeZones()) tz.append(h('option', { value: z, selected: z === state.prefs.timeZone }, z.replace(/_/g, ' ')));

  const firstDay = h('select', { id: m.id('first') });
  const dayName = (d: number) => new Intl.DateTimeFormat(currentLanguage(), { weekday: 'long' }).format(new Date(Date.UTC(2024, 0, 7 + d)));
  firstDay.append(h('option', { value: '', selected: state.prefs.firstDay === undefined }, t('settings.fromLocale')));
  for (const d of [1, 0, 6]) firstDay.append(h('option', { value: String(d), selected: state.prefs.firstDay === d }, dayName(d)));

  const clock = h('select', { id: m.id('clock') });
  const current = state.prefs.hour12 === undefined ? '' : state.prefs.hour12 ? '12' : '24';
  for (const [v, label] of [['', t('settings.fromLocale')], ['24', t('settings.h24')], ['12', t('settings.h12')]]) {
    clock.append(h('option', { value: v, selected: v === current }, label));
  }

  m.form.append(field(t('common.language'), lang), field(t('settings.timeZone'), tz), h('div', { class: 'row' }, field(t('settings.firstDay'), firstDay), field(t('settings.clock'), clock)), notificationSetting());
  m.actions.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')), h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const prefs: Preferences = { ...state.prefs, locale: lang.value as Language };
    delete prefs.timeZone;
    delete prefs.firstDay;
    delete prefs.hour12;
    if (tz.value) prefs.timeZone = tz.value;
    if (firstDay.value) prefs.firstDay = Number(firstDay.value);
    if (clock.value) prefs.hour12 = clock.value === '12';
    try {
      await putPreferences(prefs);
    } catch (err) {
      m.error.textContent = `${t('errors.prefs')} ${refusal(err)}`;
      return;
    }
    state.prefs = prefs;
    localStorage.setItem('agora.lang', prefs.locale ?? 'en');
    await setLanguage(prefs.locale as Language);
    m.close();
    applied();
    toast(t('settings.saved'));
  });
  showModal(m);
}
