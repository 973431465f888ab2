/** The layer panel's provenance list: every imported source with its layer, retrieval time and licence. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredSource } from '../../shared/import/types';
import { useHost } from '../app/host-context';
import { formatDateTime } from '../app/format';
import { useProjectStore } from '../state/project-store';
import { useUiStore } from '../state/ui-store';

export function ImportedSources() {
  const { t } = useTranslation();
  const host = useHost();
  const language = useUiStore((state) => state.language);
  const summary = useProjectStore((state) => state.summary);
  const [sources, setSources] = useState<StoredSource[]>([]);
  useEffect(() => {
    if (!summary) return;
    let cancelled = false;
    const load = () => host.importListSources({}).then((list) => !cancelled && setSources(list), () => undefined);
    void load();
    const off = host.on('projectChanged', (result) => result.touched.includes('import_sources') && void load());
    return () => {
      cancelled = true;
      off();
    };
  }, [host, summary?.path]);
  if (sources.length === 0) return null;
  return (
    <section className="layer-entry imported-sources" data-testid="imported-sources">
      <h3 className="imported-sources-title">{t('importer.sourcesTitle')}</h3>
      <ul>
        {sources.map((source) => (
          <li key={source.id} data-testid={`imported-source-${source.id}`}>
            <span className="imported-source-name">{source.title}</span>
            <span className="field-hint">
              {t('importer.sourceLine', {
                layer: t(`layers.byId.${source.targetLayer}`),
                count: source.featureCount,
                time: formatDateTime(source.lastSyncAt ?? source.createdAt, language),
              })}
            </span>
            {(source.licence || source.attribution) && <span className="field-hint">{[source.licence, source.attribution].filter(Boolean).join(' · ')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
