/** The error banner: the last reported error in the user's language, until dismissed; and the connection notice. */
import { useTranslation } from 'react-i18next';
import { useUiStore } from '../state/ui-store';
import { CloseIcon, Spinner, WarningIcon } from './icons';

export function ErrorBanner() {
  const { t } = useTranslation();
  const error = useUiStore((state) => state.error);
  const dismissError = useUiStore((state) => state.dismissError);
  if (!error) return null;
  return (
    <div className="banner banner--error" role="alert" data-testid="error-banner">
      <WarningIcon className="banner-icon" />
      <p className="banner-text">{t(error.key, { ...error.params, defaultValue: t('errors.internal', { detail: error.key }) })}</p>
      <button type="button" className="icon-button banner-dismiss" onClick={dismissError} aria-label={t('common.dismiss')} title={t('common.dismiss')}>
        <CloseIcon />
      </button>
    </div>
  );
}

export function ConnectionNotice() {
  const { t } = useTranslation();
  const connection = useUiStore((state) => state.connection);
  if (connection !== 'reconnecting') return null;
  return (
    <div className="banner banner--warning" role="status" data-testid="connection-notice">
      <Spinner />
      <p className="banner-text">{t('connection.reconnecting')}</p>
    </div>
  );
}
