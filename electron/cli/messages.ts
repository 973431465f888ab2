/**
 * The CLI's sentences in the user's language (VERKOSTO_LANG, else LC_ALL, else LANG; Finnish by default),
 * from the `cli` and `errors` sections of shared/i18n, through a standalone i18next instance.
 */
import { VerkostoError } from '../../shared/errors';
import { languageFromLocale, type UiLanguage } from '../../shared/i18n';
import type { Translate } from '../services/translator';

export { createTranslator, type Translate } from '../services/translator';

export function cliLanguage(environment: NodeJS.ProcessEnv = process.env): UiLanguage {
  return languageFromLocale(environment.VERKOSTO_LANG || environment.LC_ALL || environment.LANG);
}

/** The one-line message for an error: a VerkostoError's `errors.<code>` text, else the internal-error text. */
export function errorMessage(translate: Translate, error: unknown): string {
  if (error instanceof VerkostoError) return translate(`errors.${error.code}`, error.params);
  const detail = error instanceof Error ? error.message : String(error);
  return translate('errors.internal', { detail: detail.split('\n')[0] ?? detail });
}
