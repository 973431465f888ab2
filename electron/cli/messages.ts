/**
 * The CLI's sentences in the user's language (VERKOSTO_LANG, else LC_ALL, else LANG; Finnish by default),
 * from the `cli` and `errors` sections of shared/i18n, through a standalone i18next instance.
 */
import { createInstance, type TFunction } from 'i18next';
import { VerkostoError } from '../../shared/errors';
import { languageFromLocale, RESOURCES, type UiLanguage } from '../../shared/i18n';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function cliLanguage(environment: NodeJS.ProcessEnv = process.env): UiLanguage {
  return languageFromLocale(environment.VERKOSTO_LANG || environment.LC_ALL || environment.LANG);
}

export async function createTranslator(language: UiLanguage): Promise<Translate> {
  const instance = createInstance();
  const t: TFunction = await instance.init({
    lng: language,
    fallbackLng: 'en',
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([code, translation]) => [code, { translation }])),
    // Plain terminal text: nothing to escape, and a file name such as "a&b.gpkg" must print as it is.
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return (key, params) => t(key, params ?? {}) as string;
}

/** The one-line message for an error: a VerkostoError's `errors.<code>` text, else the internal-error text. */
export function errorMessage(translate: Translate, error: unknown): string {
  if (error instanceof VerkostoError) return translate(`errors.${error.code}`, error.params);
  const detail = error instanceof Error ? error.message : String(error);
  return translate('errors.internal', { detail: detail.split('\n')[0] ?? detail });
}
