/**
 * Sources and sync review: every source imported into the project with its provenance; "check for
 * changes" reads the source again (a file imported by upload: choose its new version) and lists what
 * was added, changed and removed and what conflicts with local edits. Nothing changes until the user
 * applies the reviewed plan, which is one undoable change.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../shared/errors';
import type { ConflictResolution, StoredSource, SyncEntry, SyncPlan } from '../../shared/import/types';
import type { SourceStatus } from '../../shared/import/contract';
import { useHost } from '../app/host-context';
import { Modal } from '../app/modal';
import { formatDateTime } from '../app/format';
import { useUiStore } from '../state/ui-store';
import { uploadBytes } from './upload';
import './import.css';

function entryName(entry: SyncEntry): string {
  const values = entry.incoming?.properties ?? entry.local?.properties ?? {};
  return String(values.name_fi ?? values.name ?? values.code ?? entry.sourceFeatureId);
}

export function SyncDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const language = useUiStore((state) => state.language);
  const [sources, setSources] = useState<StoredSource[] | null>(null);
  const [plan, setPlan] = useState<SyncPlan | null>(null);
  const [resolutions, setResolutions] = useState<Record<string, ConflictResolution>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [applied, setApplied] = useState(false);

  const fail = (caught: unknown) => {
    const payload = caught as { code?: ErrorPayload['code']; params?: Record<string, string | number>; message?: string };
    setError({ code: payload.code ?? 'internal', params: payload.params ?? { detail: String(payload.message ?? caught) }, message: String(payload.message ?? caught) });
  };

  useEffect(() => {
    host.importListSources({}).then(setSources, fail);
  }, [host]);

  // Network sources: ask whether each can be reached now; an unreachable one cannot be synced (the reason shows).
  const [statuses, setStatuses] = useState<Record<string, SourceStatus>>({});
  useEffect(() => {
    for (const source of sources ?? []) {
      if (!source.url) continue;
      host.importSourceStatus({ sourceId: source.id }).then(
        (status) => setStatuses((current) => ({ ...current, [source.id]: status })),
        () => undefined,
      );
    }
  }, [host, sources]);

  async function check(source: StoredSource, file?: File) {
    setError(null);
    setPlan(null);
    setApplied(false);
    setBusy(source.id);
    try {
      const uploadId = file ? await uploadBytes(host, file.name, new Uint8Array(await file.arrayBuffer())) : undefined;
      const next = await host.importPreviewSync({ sourceId: source.id, ...(uploadId ? { uploadId } : {}) });
      setPlan(next);
      setResolutions(Object.fromEntries(next.conflicts.map((entry) => [entry.sourceFeatureId, 'keepLocal'])));
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  async function apply() {
    if (!plan) return;
    setBusy('apply');
    try {
      await host.importApplySync({ planId: plan.planId, resolutions });
      setApplied(true);
      setPlan(null);
      setSources(await host.importListSources({}));
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  const total = plan ? plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length : 0;
  const footer = plan ? (
    <>
      <button type="button" className="button button--ghost" onClick={() => setPlan(null)}>
        {t('common.cancel')}
      </button>
      <button type="button" className="button button--primary" disabled={total === 0 || busy !== null} onClick={() => void apply()} data-testid="sync-apply">
        {t('sync.apply', { count: total })}
      </button>
    </>
  ) : undefined;

  const list = (title: string, entries: SyncEntry[], kind: string) =>
    entries.length > 0 && (
      <section className="sync-list" data-testid={`sync-${kind}`}>
        <h3>
          {title} ({entries.length})
        </h3>
        <ul>
          {entries.slice(0, 200).map((entry) => (
            <li key={entry.sourceFeatureId}>
              {entryName(entry)}
              {entry.differences.length > 0 && <span className="field-hint"> — {entry.differences.join(', ')}</span>}
            </li>
          ))}
        </ul>
      </section>
    );

  return (
    <Modal title={t('sync.title')} onClose={onClose} wide testId="sync-dialog" footer={footer}>
      {error && (
        <p className="import-error" role="alert" data-testid="sync-error">
          {t(`errors.${error.code}`, { ...error.params, defaultValue: error.message })}
        </p>
      )}
      {applied && <p className="import-done" data-testid="sync-applied">{t('sync.applied')}</p>}
      {sources && sources.length === 0 && <p>{t('sync.noSources')}</p>}
      {!plan && sources && sources.length > 0 && (
        <table className="data-table" data-testid="sync-sources">
          <thead>
            <tr>
              <th>{t('sync.source')}</th>
              <th>{t('sync.layer')}</th>
              <th>{t('sync.features')}</th>
              <th>{t('sync.lastSync')}</th>
              <th>{t('sync.licence')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source.id}>
                <td>
                  {source.title}
                  <div className="field-hint">{source.url ?? source.file ?? source.kind}</div>
                </td>
                <td>{t(`layers.byId.${source.targetLayer}`)}</td>
                <td>{source.featureCount}</td>
                <td>{source.lastSyncAt ? formatDateTime(source.lastSyncAt, language) : '—'}</td>
                <td>{[source.licence, source.attribution].filter(Boolean).join(', ') || '—'}</td>
                <td>
                  {source.url ? (
                    <>
                      <button type="button" className="button" disabled={busy !== null || statuses[source.id]?.online === false} onClick={() => void check(source)} data-testid={`sync-check-${source.id}`}>
                        {t('sync.check')}
                      </button>
                      {statuses[source.id]?.reason && (
                        <div className="sync-offline" role="status" data-testid={`sync-offline-${source.id}`}>
                          {t('networkPresets.syncDisabledOffline', { reason: t(`errors.${statuses[source.id]!.reason!.code}`, statuses[source.id]!.reason!.params) })}
                        </div>
                      )}
                    </>
                  ) : (
                    <label className="button sync-file-button">
                      {t('sync.chooseNewVersion')}
                      <input type="file" hidden onChange={(event) => event.target.files?.[0] && void check(source, event.target.files[0])} data-testid={`sync-file-${source.id}`} />
                    </label>
                  )}
                  {busy === source.id && <span className="field-hint"> {t('common.loading')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan && (
        <div data-testid="sync-plan">
          <p className="sync-summary">
            {t('sync.summary', { added: plan.added.length, changed: plan.changed.length, removed: plan.removed.length, conflicts: plan.conflicts.length, localEdits: plan.localEdits })}
          </p>
          {list(t('sync.added'), plan.added, 'added')}
          {list(t('sync.changed'), plan.changed, 'changed')}
          {list(t('sync.removed'), plan.removed, 'removed')}
          {plan.conflicts.length > 0 && (
            <section className="sync-list" data-testid="sync-conflicts">
              <h3>
                {t('sync.conflicts')} ({plan.conflicts.length})
              </h3>
              <ul>
                {plan.conflicts.map((entry) => (
                  <li key={entry.sourceFeatureId} className="sync-conflict">
                    <strong>{entryName(entry)}</strong> — {t(`sync.reasons.${entry.conflict ?? 'bothChanged'}`)}
                    {entry.differences.length > 0 && <span className="field-hint"> ({entry.differences.join(', ')})</span>}
                    <span className="sync-choice">
                      {(['keepLocal', 'takeSource'] as const).map((choice) => (
                        <label key={choice}>
                          <input
                            type="radio"
                            name={`resolve-${entry.sourceFeatureId}`}
                            checked={resolutions[entry.sourceFeatureId] === choice}
                            onChange={() => setResolutions({ ...resolutions, [entry.sourceFeatureId]: choice })}
                          />
                          {t(`sync.${choice}`)}
                        </label>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {total === 0 && <p>{t('sync.nothing')}</p>}
        </div>
      )}
    </Modal>
  );
}
