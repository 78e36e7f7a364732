//! Messages and locale: i18next with one JSON catalogue per language (a new language is
//! one more catalogue), dates and times through Intl. The locale decides the first day of
//! the week and 12/24 h, not the UI language alone (docs/web.md §10).
import i18next from 'i18next';
import en from './i18n/en.json';
import fr from './i18n/fr.json';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'en';
}

export async function initI18n(lang: Language): Promise<void> {
  await i18next.init({
    lng: lang,
    fallbackLng: 'en',
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false }, // we never build HTML from strings
    returnNull: false,
  });
  document.documentElement.lang = lang;
}

export async function setLanguage(lang: Language): Promise<void> {
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export function t(key: string, options?: Record<string, unknown>): string {
  return String(i18next.t(key, options as never));
}

export function currentLanguage(): Language {
  return (i18next.language as Language) ?? 'en';
}

/** The BCP 47 locale for Intl: the browser's own region when it speaks this language. */
export function currentLocale(): string {
  const lang = currentLanguage();
  const match = (navigator.languages ?? []).find((tag) => tag.toLowerCase().startsWith(lang));
  if (match && match.includes('-')) return match;
  return lang === 'fr' ? 'fr-FR' : 'en-US';
}

interface WeekInfo { firstDay?: number }

/** First day of the week for the locale (0 = Sunday), Monday for fr-FR and most of Europe. */
export function localeFirstDay(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    if (info?.firstDay) return info.firstDay % 7;
  } catch {
    /* old engines: fall through */
  }
  return /^(en-US|en-CA|ja|he|pt-BR)/.test(locale) ? 0 : 1;
}

/** Whether the locale writes times on a 12-hour clock. */
export function localeHour12(locale: string): boolean {
  const opts = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
  return opts.hour12 ?? false;
}
