/** "About the data": where every dataset in the project comes from, and what is generated or illustrative. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataSource } from '../../shared/domain/project';
import { useHost, useReportingCall } from './host-context';
import { Modal } from './modal';

export function AboutDataDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const [sources, setSources] = useState<DataSource[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    void run(() => host.getDataSources({})).then((result) => {
      if (!cancelled) setSources(result ?? []);
    });
    return () => {
      cancelled = true;
    };
  }, [host, run]);

  return (
    <Modal title={t('aboutData.title')} onClose={onClose} wide testId="about-data-dialog">
      <div className="about-notes">
        <p className="panel-callout">{t('aboutData.catchmentsGenerated')}</p>
        <p className="panel-callout">{t('aboutData.illustrative')}</p>
      </div>
      <h3 className="section-title">{t('aboutData.sources')}</h3>
      {sources === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : sources.length === 0 ? (
        <p className="muted">{t('aboutData.none')}</p>
      ) : (
        <ul className="source-list" data-testid="data-sources">
          {sources.map((source) => (
            <li key={source.id} className="source-item">
              <h4>{source.title}</h4>
              <dl className="source-facts">
                <div>
                  <dt>{t('aboutData.publisher')}</dt>
                  <dd>{source.publisher}</dd>
                </div>
                <div>
                  <dt>{t('aboutData.licence')}</dt>
                  <dd>{source.licence}</dd>
                </div>
                {source.layers && (
                  <div>
                    <dt>{t('aboutData.layers')}</dt>
                    <dd>{source.layers}</dd>
                  </div>
                )}
                {source.retrieved && (
                  <div>
                    <dt>{t('aboutData.retrieved')}</dt>
                    <dd>{source.retrieved}</dd>
                  </div>
                )}
                {source.url && (
                  <div>
                    <dt>{t('aboutData.url')}</dt>
                    <dd>
                      <a href={source.url} target="_blank" rel="noreferrer noopener">
                        {source.url}
                      </a>
                    </dd>
                  </div>
                )}
              </dl>
              {source.note && <p className="source-note">{source.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
