//! The language switch: changes the page at once and, when signed in, stores the choice
//! in the user's preferences so that every browser follows it.
import { putPreferences } from '../api';
import { LANGUAGES, currentLanguage, setLanguage, t, type Language } from '../i18n';
import { state } from '../state';
import { h } from './dom';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export function languageSwitch(rerender: () => void, id = 'lang'): HTMLElement {
  const select = h('select', { id, class: 'select-compact' });
  for (const lang of LANGUAGES) {
    select.append(h('option', { value: lang, lang, selected: lang === currentLanguage() }, NAMES[lang]));
  }
  select.addEventListener('change', async () => {
    const lang = select.value as Language;
    await setLanguage(lang);
    localStorage.setItem('agora.lang', lang);
    if (state.session) {
      state.prefs.locale = lang;
      putPreferences(state.prefs).catch(() => {});
    }
    rerender();
    document.getElementById(id)?.focus();
  });
  return h('span', { class: 'lang-switch' }, h('label', { for: id, class: 'visually-hidden' }, t('common.language')), select);
}
