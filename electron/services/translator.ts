/**
 * Sentences in a chosen language outside the renderer (the CLI, reports), from shared/i18n through a
 * standalone i18next instance.
 */
import { createInstance, type TFunction } from 'i18next';
import { RESOURCES, type UiLanguage } from '../../shared/i18n';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export async function createTranslator(language: UiLanguage): Promise<Translate> {
  const instance = createInstance();
  const t: TFunction = await instance.init({
    lng: language,
    fallbackLng: 'en',
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([code, translation]) => [code, { translation }])),
    // Plain text for terminals and PDF: nothing to escape, and a file name such as "a&b.gpkg" must print as it is.
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return (key, params) => t(key, params ?? {}) as string;
}
