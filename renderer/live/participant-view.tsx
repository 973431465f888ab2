/**
 * What a workshop participant sees: the facilitator's map, following along, read-only; a button to leave
 * a comment pin when the facilitator allows it. No file, editing or sharing controls exist here at all.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHost, useReportingCall } from '../app/host-context';
import { LogoMark } from '../app/icons';
import { LanguageSelect } from '../app/language-select';
import { StatusBar } from '../app/status-bar';
import { MapView } from '../map/map-view';
import { useProjectStore } from '../state/project-store';
import { suppressCount } from '../../shared/analysis/privacy';
import { analysisSettingsFrom } from '../../shared/analysis/settings';
import { useAnalysisStore } from '../analysis/analysis-store';
import { formatNumber, formatPercent } from '../app/format';
import { Card } from '../present/presentation-mode';
import { useUiStore } from '../state/ui-store';
import { liveShortfallTotal } from './live-analysis';
import { useLiveStore } from './live-store';

function CommentForm() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const draftPoint = useLiveStore((state) => state.draftPoint);
  const [text, setText] = useState('');
  const [author, setAuthor] = useState('');
  const [sent, setSent] = useState(false);
  if (!draftPoint) return null;
  const send = async () => {
    const posted = await run(() => host.postComment({ x: draftPoint[0], y: draftPoint[1], text: text.trim(), author: author.trim() }));
    if (posted) {
      setText('');
      setSent(true);
      useLiveStore.getState().cancelPlacing();
    }
  };
  return (
    <form
      className="comment-form"
      data-testid="comment-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void send();
      }}
    >
      <label className="field">
        <span className="field-label">{t('participant.commentText')}</span>
        <textarea value={text} maxLength={500} rows={3} onChange={(event) => setText(event.target.value)} data-testid="comment-text" />
      </label>
      <label className="field">
        <span className="field-label">{t('participant.commentAuthor')}</span>
        <input type="text" value={author} maxLength={60} onChange={(event) => setAuthor(event.target.value)} data-testid="comment-author" />
      </label>
      <div className="comment-form-actions">
        <button type="button" className="button" onClick={() => useLiveStore.getState().cancelPlacing()}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={!text.trim()} data-testid="comment-send">
          {t('participant.send')}
        </button>
      </div>
      {sent && <p className="field-hint">{t('participant.sent')}</p>}
    </form>
  );
}

/** The facilitator's headline figures for the year shown: city totals only, small counts as "<5". */
function LiveCards() {
  const { t } = useTranslation();
  const language = useUiStore((state) => state.language);
  const { result, year, service } = useAnalysisStore();
  const threshold = analysisSettingsFrom(useProjectStore((state) => state.summary?.settings) ?? {}).privacyThreshold;
  if (!result) return null;
  const network = result.network;
  const shortfall = liveShortfallTotal();
  const shown = shortfall === null ? '–' : suppressCount(shortfall, threshold);
  const utilisation = network.utilisation;
  return (
    <div className="participant-cards" data-testid="participant-cards">
      <p className="participant-cards-title">
        {year} · {t(`report.service.${service}`)}
      </p>
      <div className="present-cards">
        <Card label={t('present.overCapacity')} value={typeof shown === 'number' ? formatNumber(shown, language) : shown} tone={shortfall ? 'bad' : 'good'} testId="participant-over-capacity" />
        <Card label={t('present.utilisation')} value={utilisation === null ? '–' : formatPercent(utilisation, language)} tone={utilisation === null ? undefined : utilisation >= 1 ? 'bad' : utilisation >= 0.9 ? 'warn' : 'good'} testId="participant-utilisation" />
        <Card label={t('present.overTransportLimit')} value={network.overLimitShare === null ? '–' : formatPercent(network.overLimitShare, language)} testId="participant-over-limit" />
        <Card label={t('present.costPerUser')} value={network.costPerUser === null ? '–' : `${formatNumber(network.costPerUser, language)} €`} testId="participant-cost" />
      </div>
    </div>
  );
}

export function ParticipantView() {
  const { t } = useTranslation();
  const summary = useProjectStore((state) => state.summary);
  const hostInfo = useProjectStore((state) => state.hostInfo);
  const placing = useLiveStore((state) => state.placingComment);
  const scaleRef = useRef<HTMLDivElement>(null);

  return (
    <div className="workspace participant" data-testid="participant-view">
      <header className="top-bar">
        <div className="brand">
          <LogoMark className="logo-mark" width={28} height={28} />
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <div className="top-bar-project">
          <span className="live-badge">{t('participant.live')}</span>
          <span className="project-name">{summary?.name ?? ''}</span>
        </div>
        <div className="top-bar-actions">
          <LanguageSelect />
          {hostInfo?.commentsAllowed && summary && (
            <button type="button" className={placing ? 'button button--primary' : 'button button--ghost'} onClick={() => useLiveStore.getState().startPlacing()} data-testid="add-comment">
              {t('participant.addComment')}
            </button>
          )}
        </div>
      </header>
      {summary ? (
        <div className="workspace-body participant-body">
          <MapView summary={summary} scaleTargetRef={scaleRef} />
          {placing && (
            <div className="map-note map-note--top" role="status">
              {t('participant.clickToPlace')}
            </div>
          )}
          <CommentForm />
          <LiveCards />
        </div>
      ) : (
        <div className="splash" role="status">
          {t('participant.waiting')}
        </div>
      )}
      {summary && <StatusBar epsg={summary.epsg} scaleRef={scaleRef} />}
    </div>
  );
}
