/**
 * Translations for every user-facing string, shared by the renderer and the CLI. Finnish is the default;
 * Swedish and English must have exactly the same keys (tests/unit/i18n-keys.test.ts fails otherwise).
 */
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type UiLanguage = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: UiLanguage = 'fi';

export const RESOURCES = { fi, sv, en } as const;

/** Picks a UI language from a locale string such as "sv_FI.UTF-8" or "en-GB"; Finnish otherwise. */
export function languageFromLocale(locale: string | undefined | null): UiLanguage {
  const prefix = (locale ?? '').slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(prefix) ? (prefix as UiLanguage) : DEFAULT_LANGUAGE;
}
