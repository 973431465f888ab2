/**
 * i18next for the renderer: the shared translations (shared/i18n), Finnish by default, the user's choice
 * remembered in localStorage, and <html lang> kept equal to the UI language (screen readers, hyphenation).
 */
import i18next, { type i18n as I18nInstance } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, RESOURCES, type UiLanguage } from '../../shared/i18n';
import { useUiStore } from '../state/ui-store';

export const LANGUAGE_STORAGE_KEY = 'verkosto.language';

function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function storedLanguage(): UiLanguage {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isUiLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Creates and initialises an i18next instance; usable on return, since the resources are bundled. */
export function setUpI18n(language: UiLanguage = storedLanguage()): I18nInstance {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: {
      fi: { translation: RESOURCES.fi },
      sv: { translation: RESOURCES.sv },
      en: { translation: RESOURCES.en },
    },
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    showSupportNotice: false, // keeps the console clean (end-to-end tests read it)
    initAsync: false, // resources are bundled: initialise synchronously, so the first render is translated
  });
  const apply = (next: string) => {
    const uiLanguage = isUiLanguage(next) ? next : DEFAULT_LANGUAGE;
    document.documentElement.lang = uiLanguage;
    useUiStore.getState().setLanguage(uiLanguage);
  };
  apply(instance.language);
  instance.on('languageChanged', apply);
  return instance;
}

/** Switches the UI language and remembers it for the next start. */
export async function changeLanguage(instance: I18nInstance, language: UiLanguage): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage may be disabled (private window); the switch still applies to this session.
  }
  await instance.changeLanguage(language);
}
