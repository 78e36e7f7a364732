//! The Settings section: a list of panes on the left, the chosen pane on the right
//! (`#/settings/<pane>`). Other modules add panes with `registerSettingsPane` (devices,
//! password, delegation, working hours…). The "general" pane holds the preferences:
//! language, time zone (the browser's IANA list), first day of the week and 12/24-hour
//! clock, stored with PUT /api/preferences (every browser of the user follows) and
//! applied at once. "Automatic" leaves a setting unset, so it follows the locale or the
//! browser.
import { putPreferences, type Preferences } from '../api';
import { LANGUAGES, currentLanguage, setLanguage, t, type Language } from '../i18n';
import { state } from '../state';
import { browserTimeZone } from '../tz';
import { clear, h } from './dom';
import { field } from './modal';
import { refusal } from './calendar-dialogs';
import { toast } from './toast';
import { notificationSetting } from './alarm-notes';
import { sectionShell, type SectionContext } from './sections';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export interface SettingsPane {
  /** The route: `#/settings/<id>`. */
  id: string;
  /** i18n key of the pane's name. */
  label: string;
  /** Smaller first; "general" is 0. */
  order: number;
  /** Whether this user has it (e.g. password: local accounts only). */
  visible?: () => boolean;
  /** The pane's content; its heading (h2) is added by the frame. */
  render: (ctx: SectionContext) => HTMLElement;
}

const panes: SettingsPane[] = [];

export function registerSettingsPane(pane: SettingsPane): void {
  const at = panes.findIndex((p) => p.id === pane.id);
  if (at >= 0) panes.splice(at, 1, pane);
  else panes.push(pane);
  panes.sort((a, b) => a.order - b.order);
}

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  const current = [state.prefs.timeZone, browserTimeZone(), 'UTC'].filter((z): z is string => !!z);
  return [...new Set([...list, ...current])].sort();
}

/** The general preferences, as a form. */
function generalPane(ctx: SectionContext): HTMLElement {
  const form = h('form', { class: 'settings-form', novalidate: true });
  const lang = h('select', { id: 'set-lang' });
  for (const l of LANGUAGES) lang.append(h('option', { value: l, lang: l, selected: l === currentLanguage() }, NAMES[l]));

  const tz = h('select', { id: 'set-tz' });
  tz.append(h('option', { value: '', selected: !state.prefs.timeZone }, t('settings.auto', { value: browserTimeZone() })));
  for (const z of timeZones()) tz.append(h('option', { value: z, selected: z === state.prefs.timeZone }, z.replace(/_/g, ' ')));

  const firstDay = h('select', { id: 'set-first' });
  const dayName = (d: number) => new Intl.DateTimeFormat(currentLanguage(), { weekday: 'long' }).format(new Date(Date.UTC(2024, 0, 7 + d)));
  firstDay.append(h('option', { value: '', selected: state.prefs.firstDay === undefined }, t('settings.fromLocale')));
  for (const d of [1, 0, 6]) firstDay.append(h('option', { value: String(d), selected: state.prefs.firstDay === d }, dayName(d)));

  const clock = h('select', { id: 'set-clock' });
  const current = state.prefs.hour12 === undefined ? '' : state.prefs.hour12 ? '12' : '24';
  for (const [v, label] of [['', t('settings.fromLocale')], ['24', t('settings.h24')], ['12', t('settings.h12')]]) {
    clock.append(h('option', { value: v, selected: v === current }, label));
  }

  const error = h('p', { class: 'form-error', role: 'alert' });
  form.append(
    field(t('common.language'), lang),
    field(t('settings.timeZone'), tz),
    h('div', { class: 'row' }, field(t('settings.firstDay'), firstDay), field(t('settings.clock'), clock)),
    notificationSetting(),
    error,
    h('div', { class: 'editor-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save'))),
  );
  form.addEventListener('submit', async (e) => {
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
      error.textContent = `${t('errors.prefs')} ${refusal(err)}`;
      return;
    }
    state.prefs = prefs;
    localStorage.setItem('agora.lang', prefs.locale ?? 'en');
    await setLanguage(prefs.locale as Language);
    ctx.rerender();
    toast(t('settings.saved'));
  });
  return form;
}

registerSettingsPane({ id: 'general', label: 'settings.general', order: 0, render: generalPane });

/** The pane the address names (`#/settings/<pane>`), else the first. */
function currentPane(): SettingsPane {
  const id = location.hash.replace(/^#\/?/, '').split('/')[1];
  const shown = panes.filter((p) => !p.visible || p.visible());
  return shown.find((p) => p.id === id) ?? shown[0];
}

export function settingsPage(ctx: SectionContext): HTMLElement {
  const pane = currentPane();
  const list = h('ul', { class: 'pane-list' });
  for (const p of panes.filter((p) => !p.visible || p.visible())) {
    list.append(h('li', {}, h('a', { href: `#/settings/${p.id}`, class: 'pane-link', 'aria-current': p === pane ? 'page' : null }, t(p.label))));
  }
  const main = h('div', { class: 'pane' });
  const heading = h('h2', { class: 'pane-title', id: 'pane-title' }, t(pane.label));
  clear(main);
  main.append(heading, pane.render(ctx));
  return sectionShell({ id: 'settings', title: t('settings.title'), sidebar: [h('nav', { 'aria-label': t('settings.panes') }, list)], main }, ctx);
}
