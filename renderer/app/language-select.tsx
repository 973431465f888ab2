/** The UI language switch: a plain <select> (fi/sv/en) so it is reachable by keyboard and testable. */
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type UiLanguage } from '../../shared/i18n';
import { changeLanguage } from './i18n';

/** `compact` shows only the codes (FI/SV/EN), for the crowded top bar; the names stay in each option's title. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-select">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        value={i18n.language}
        onChange={(event) => void changeLanguage(i18n, event.target.value as UiLanguage)}
        data-testid="language-select"
        title={t('language.label')}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} title={t(`language.name.${language}`)}>
            {compact ? t(`language.short.${language}`) : `${t(`language.short.${language}`)} — ${t(`language.name.${language}`)}`}
          </option>
        ))}
      </select>
    </label>
  );
}
