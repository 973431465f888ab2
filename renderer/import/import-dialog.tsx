/**
 * The import dialog: choose a file (uploaded to the host in chunks) or a network service (a preset or an
 * address; service-picker.tsx), choose the target layer, the source layer and its coordinate system, map
 * source fields to Verkosto attributes with type checks, see a preview of the mapped features on a small
 * map, then import with progress and cancel. A service's configuration is stored in the project, so the
 * Sources dialog can sync it later.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostEvents } from '../../shared/contract/host-api';
import { LAYER_IDS, type LayerId } from '../../shared/domain/project';
import type { ErrorPayload } from '../../shared/errors';
import { SUPPORTED_CRS } from '../../shared/geo/crs';
import type { ImportInspection, ImportPreview, ProjectionForecastResult } from '../../shared/import/contract';
import type { CoordinateColumns, FieldMapping, FieldRule, ImportProgress, ImportResult } from '../../shared/import/types';
import { useHost } from '../app/host-context';
import { Modal } from '../app/modal';
import { formatNumber } from '../app/format';
import { useUiStore } from '../state/ui-store';
import { ImportPreviewMap } from './import-preview-map';
import { targetLabel } from './labels';
import { ServicePicker, type PickedService } from './service-picker';
import { uploadBytes } from './upload';
import './import.css';

const ACCEPT = '.geojson,.json,.gpkg,.zip,.shp,.csv,.txt,.tsv,.xlsx,.xls,.ods,.kml,.kmz,.fgb,.gml,.xml';

type Step = 'choose' | 'map' | 'running' | 'done';

/** What is being imported: an uploaded file, or one layer of an opened service. */
type SourceHandle = { uploadId: string } | { serviceId: string; layer: string; bbox: [number, number, number, number] | null };

/** Layers an import may replace whole (a building register is reloaded, not synced point by point). */
const REPLACEABLE_TARGETS: ReadonlySet<LayerId> = new Set(['residential_points', 'feedback']);
/** Layers with a `code` column to match existing features on. */
const CODED_TARGETS: ReadonlySet<LayerId> = new Set(['facilities', 'demand_units', 'municipality']);

function handleArgs(handle: SourceHandle): { uploadId: string } | { serviceId: string } {
  return 'uploadId' in handle ? { uploadId: handle.uploadId } : { serviceId: handle.serviceId };
}

function errorText(t: ReturnType<typeof useTranslation>['t'], error: ErrorPayload): string {
  return t(`errors.${error.code}`, { ...error.params, defaultValue: error.message });
}

function slugOf(name: string): string {
  return name.replace(/\.[^.]+$/, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'lahde';
}

export function ImportDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const language = useUiStore((state) => state.language);
  const [step, setStep] = useState<Step>('choose');
  const [mode, setMode] = useState<'file' | 'service'>('file');
  const [handle, setHandle] = useState<SourceHandle | null>(null);
  const [readingService, setReadingService] = useState(false);
  const [forecast, setForecast] = useState<ProjectionForecastResult | null>(null);
  // A PxWeb table becomes the forecast, not features of a layer: no target layer to choose.
  const [serviceKind, setServiceKind] = useState<string | null>(null);
  const [targetLayer, setTargetLayer] = useState<LayerId>('facilities');
  const [uploading, setUploading] = useState<{ sent: number; total: number } | null>(null);
  const [inspection, setInspection] = useState<ImportInspection | null>(null);
  const [sourceLayer, setSourceLayer] = useState('default');
  const [epsg, setEpsg] = useState<number | null>(null);
  const [swapAxes, setSwapAxes] = useState(false);
  // Table sources: the coordinate columns, null = as Verkosto recognised them.
  const [coordinates, setCoordinates] = useState<CoordinateColumns | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  // Update existing features with the same code instead of adding new ones (a capacity table).
  const [matchCode, setMatchCode] = useState(false);
  // Residential points (a building register) and feedback are reloaded whole: replace what the layer has.
  const [replaceExisting, setReplaceExisting] = useState(false);
  const canReplace = REPLACEABLE_TARGETS.has(targetLayer);
  const canMatchCode = CODED_TARGETS.has(targetLayer);
  const matching = matchCode && canMatchCode;
  const [mapping, setMapping] = useState<FieldMapping | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [details, setDetails] = useState({ id: '', title: '', publisher: '', licence: '', attribution: '' });
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const jobRef = useRef<string | null>(null);
  const fileRef = useRef<File | null>(null);

  const fail = (caught: unknown) => {
    const payload = caught as { code?: string; params?: Record<string, string | number>; message?: string };
    setError({ code: (payload.code ?? 'internal') as ErrorPayload['code'], params: payload.params ?? { detail: String(payload.message ?? caught) }, message: String(payload.message ?? caught) });
  };

  const inspect = useCallback(
    async (source: SourceHandle, layer: LayerId, crs: number | null, columns: CoordinateColumns | null = null) => {
      setError(null);
      try {
        const next = await host.importInspect(
          'uploadId' in source
            ? { uploadId: source.uploadId, targetLayer: layer, epsg: crs, ...(columns ? { options: { coordinates: columns } } : {}) }
            : { serviceId: source.serviceId, layer: source.layer, targetLayer: layer, bbox: source.bbox },
        );
        setHandle(source);
        setInspection(next);
        const first = 'uploadId' in source ? next.layers[0] : next.layers.find((candidate) => candidate.name === source.layer);
        setSourceLayer(first?.name ?? 'default');
        setEpsg((current) => current ?? first?.epsg ?? null);
        // A re-inspection (other coordinate columns, CRS) keeps the mapping the user has made.
        setMapping((current) => (current && current.targetLayer === layer ? current : next.suggestion));
        setPreview(null);
        setStep('map');
      } catch (caught) {
        fail(caught);
      }
    },
    [host],
  );

  async function chooseFile(file: File) {
    fileRef.current = file;
    setError(null);
    setInspection(null);
    setEpsg(null);
    setCoordinates(null);
    setDetails({ id: slugOf(file.name), title: file.name, publisher: '', licence: '', attribution: '' });
    try {
      setUploading({ sent: 0, total: file.size });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const uploadId = await uploadBytes(host, file.name, bytes, { onProgress: (sent, total) => setUploading({ sent, total }) });
      setUploading(null);
      await inspect({ uploadId }, targetLayer, null);
    } catch (caught) {
      setUploading(null);
      fail(caught);
    }
  }

  async function chooseService(picked: PickedService) {
    setError(null);
    setInspection(null);
    setEpsg(null);
    setCoordinates(null);
    setMapping(null);
    const { connection, layer, preset, bbox } = picked;
    const layerTitle = connection.layers.find((candidate) => candidate.name === layer)?.title ?? layer;
    setDetails({
      id: slugOf(preset?.id ?? `${new URL(connection.url).hostname}-${layer.replace(/^.*:/, '')}`),
      title: preset ? t(`networkPresets.titles.${preset.id}`, { defaultValue: layerTitle }) : layerTitle,
      publisher: preset?.publisher ?? '',
      licence: preset?.licence ?? '',
      attribution: preset?.attribution ?? '',
    });
    setReadingService(true);
    try {
      await inspect({ serviceId: connection.serviceId, layer, bbox }, targetLayer, null);
    } finally {
      setReadingService(false);
    }
  }

  async function importForecast(picked: PickedService) {
    setError(null);
    setReadingService(true);
    try {
      setForecast(await host.importForecastFromService({ serviceId: picked.connection.serviceId, layer: picked.layer }));
      setStep('done');
    } catch (caught) {
      fail(caught);
    } finally {
      setReadingService(false);
    }
  }

  const runPreview = useCallback(async () => {
    if (!inspection || !mapping || !handle) return;
    setPreviewing(true);
    try {
      setPreview(
        await host.importPreview({ ...handleArgs(handle), layer: sourceLayer, mapping, epsg, swapAxes, matchOn: matching ? 'code' : null, ...(coordinates && 'uploadId' in handle ? { options: { coordinates } } : {}) }),
      );
    } catch (caught) {
      fail(caught);
    } finally {
      setPreviewing(false);
    }
  }, [host, inspection, handle, mapping, sourceLayer, epsg, swapAxes, coordinates, matching]);

  // Preview again shortly after every change of the mapping or the source settings.
  useEffect(() => {
    if (step !== 'map') return;
    const timer = setTimeout(() => void runPreview(), 250);
    return () => clearTimeout(timer);
  }, [step, runPreview]);

  useEffect(() => {
    const offProgress = host.on('importProgress', (event: HostEvents['importProgress']) => {
      if (event.jobId === jobRef.current) setProgress(event.progress);
    });
    const offFinished = host.on('importFinished', (event: HostEvents['importFinished']) => {
      if (event.jobId !== jobRef.current) return;
      jobRef.current = null;
      if (event.error) {
        setError(event.error);
        setStep('map');
      } else {
        setResult(event.result);
        setStep('done');
      }
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [host]);

  async function startImport() {
    if (!inspection || !mapping || !handle) return;
    setError(null);
    setProgress(null);
    try {
      const { jobId } = await host.importStart({
        ...handleArgs(handle),
        layer: sourceLayer,
        mapping,
        epsg,
        swapAxes,
        skipInvalid,
        matchOn: matching ? 'code' : null,
        ...(replaceExisting && canReplace ? { replaceExisting: true } : {}),
        ...(coordinates && 'uploadId' in handle ? { options: { coordinates } } : {}),
        source: { id: details.id, title: details.title, publisher: details.publisher || null, licence: details.licence || null, attribution: details.attribution || null },
      });
      jobRef.current = jobId;
      setStep('running');
    } catch (caught) {
      fail(caught);
    }
  }

  const setRule = (target: string, rule: FieldRule | null) =>
    setMapping((current) => {
      if (!current) return current;
      const fields = { ...current.fields };
      if (rule) fields[target] = rule;
      else delete fields[target];
      return { ...current, fields };
    });

  const layerInfo = inspection?.layers.find((layer) => layer.name === sourceLayer) ?? inspection?.layers[0];
  const fields = layerInfo?.fields ?? [];
  const canImport = Boolean(mapping && details.id && details.title && preview && (!preview.error || skipInvalid) && !previewing);
  const crsOptions = useMemo(() => [...SUPPORTED_CRS.values()], []);

  const footer =
    step === 'map' ? (
      <>
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button--primary" disabled={!canImport} onClick={() => void startImport()} data-testid="import-start">
          {t('importer.start', { count: preview?.featuresRead ?? 0 })}
        </button>
      </>
    ) : step === 'running' ? (
      <button type="button" className="button" onClick={() => jobRef.current && void host.importCancel({ jobId: jobRef.current }).catch(() => undefined)} data-testid="import-cancel">
        {t('importer.cancel')}
      </button>
    ) : step === 'done' ? (
      <button type="button" className="button button--primary" onClick={onClose} data-testid="import-close">
        {t('common.close')}
      </button>
    ) : undefined;

  return (
    <Modal title={t('importer.title')} onClose={step === 'running' ? () => undefined : onClose} wide testId="import-dialog" footer={footer}>
      {error && (
        <p className="import-error" role="alert" data-testid="import-error">
          {errorText(t, error)}
        </p>
      )}
      {(step === 'choose' || step === 'map') && (
        <>
          <div className="import-mode" role="radiogroup" aria-label={t('importer.service.mode')}>
            {(['file', 'service'] as const).map((candidate) => (
              <label key={candidate} className={mode === candidate ? 'import-mode-option is-active' : 'import-mode-option'}>
                <input
                  type="radio"
                  name="import-mode"
                  checked={mode === candidate}
                  onChange={() => {
                    setMode(candidate);
                    setStep('choose');
                    setInspection(null);
                    setHandle(null);
                    setPreview(null);
                    setError(null);
                  }}
                  data-testid={`import-mode-${candidate}`}
                />
                {t(candidate === 'file' ? 'importer.service.modeFile' : 'importer.service.modeService')}
              </label>
            ))}
          </div>
          <div className="import-grid">
            {mode === 'file' ? (
              <label className="field">
                <span className="field-label">{t('importer.file')}</span>
                <input type="file" accept={ACCEPT} onChange={(event) => event.target.files?.[0] && void chooseFile(event.target.files[0])} data-testid="import-file" />
                <span className="field-hint">{t('importer.formats')}</span>
              </label>
            ) : (
              <p className="field-hint import-service-summary">
                {inspection && handle && 'serviceId' in handle ? t('importer.service.sourceLayer', { layer: `${inspection.fileName} (${handle.layer})` }) : t('importer.service.intro')}
              </p>
            )}
            {!(mode === 'service' && serviceKind === 'pxweb') && (
              <label className="field">
                <span className="field-label">{t('importer.targetLayer')}</span>
                <select
                  value={targetLayer}
                  onChange={(event) => {
                    const layer = event.target.value as LayerId;
                    setTargetLayer(layer);
                    if (inspection && handle) void inspect(handle, layer, epsg);
                  }}
                  data-testid="import-target"
                >
                  {LAYER_IDS.map((layer) => (
                    <option key={layer} value={layer}>
                      {t(`layers.byId.${layer}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {mode === 'service' && step === 'choose' && <ServicePicker onTargetLayer={setTargetLayer} onKind={setServiceKind} onPicked={(picked) => void chooseService(picked)} onForecast={(picked) => void importForecast(picked)} onError={fail} busy={readingService} />}
        </>
      )}
      {uploading && (
        <p className="import-status">
          {t('importer.uploading', { sent: formatNumber(Math.round(uploading.sent / 1024), language), total: formatNumber(Math.round(uploading.total / 1024), language) })}
        </p>
      )}
      {step === 'map' && inspection && mapping && (
        <>
          {handle && 'serviceId' in handle ? (
            // A service says which CRS it delivers (the one asked for, or the layer's default); the readers handle axis order.
            <p className="import-status" data-testid="import-service-crs">
              {t('importer.service.deliveredCrs', { crs: layerInfo?.epsg ? `EPSG:${layerInfo.epsg}` : '—' })}
            </p>
          ) : (
            <div className="import-grid import-grid--three">
              {inspection.layers.length > 1 && (
                <label className="field">
                  <span className="field-label">{t('importer.sourceLayer')}</span>
                  <select value={sourceLayer} onChange={(event) => setSourceLayer(event.target.value)} data-testid="import-source-layer">
                    {inspection.layers.map((layer) => (
                      <option key={layer.name} value={layer.name}>
                        {layer.title ?? layer.name} {layer.featureCount != null ? `(${layer.featureCount})` : ''}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label className="field">
                <span className="field-label">{t('importer.crs')}</span>
                <select value={epsg ?? ''} onChange={(event) => setEpsg(event.target.value ? Number(event.target.value) : null)} data-testid="import-crs">
                  <option value="">{t('importer.crsUnknown')}</option>
                  {crsOptions.map((crs) => (
                    <option key={crs.code} value={crs.code}>
                      EPSG:{crs.code} — {crs.name}
                      {layerInfo?.epsg === crs.code ? ` (${t('importer.detected')})` : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field field--checkbox">
                <input type="checkbox" checked={swapAxes} onChange={(event) => setSwapAxes(event.target.checked)} data-testid="import-swap" />
                <span>{t('importer.swapAxes')}</span>
              </label>
            </div>
          )}
          {(inspection.kind === 'csv' || inspection.kind === 'xlsx') && (
            <div className="import-grid import-grid--three" data-testid="import-coordinates">
              <label className="field">
                <span className="field-label">{t('importer.coordinates')}</span>
                <select
                  value={coordinates?.kind ?? (layerInfo?.needsCoordinates ? '' : 'auto')}
                  onChange={(event) => {
                    const kind = event.target.value;
                    const next: CoordinateColumns | null = kind === 'auto' || kind === '' ? null : kind === 'wkt' ? { kind: 'wkt', wkt: fields[0]?.name } : { kind: kind as 'xy' | 'lonlat', x: fields[0]?.name, y: fields[1]?.name };
                    setCoordinates(next);
                    if (kind === 'lonlat') setEpsg(4326);
                    void inspect({ uploadId: inspection.uploadId! }, targetLayer, kind === 'lonlat' ? 4326 : epsg, next);
                  }}
                  data-testid="import-coordinates-kind"
                >
                  {layerInfo?.needsCoordinates && !coordinates ? <option value="">{t('importer.coordinatesChoose')}</option> : <option value="auto">{t('importer.coordinatesAuto')}</option>}
                  {(['lonlat', 'xy', 'wkt'] as const).map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`importer.coordinateKinds.${kind}`)}
                    </option>
                  ))}
                </select>
              </label>
              {coordinates &&
                (coordinates.kind === 'wkt' ? (['wkt'] as const) : (['x', 'y'] as const)).map((key) => (
                  <label className="field" key={key}>
                    <span className="field-label">{t(`importer.coordinateColumn.${coordinates.kind === 'lonlat' ? (key === 'x' ? 'lon' : 'lat') : key}`)}</span>
                    <select
                      value={coordinates[key] ?? ''}
                      onChange={(event) => {
                        const next = { ...coordinates, [key]: event.target.value };
                        setCoordinates(next);
                        void inspect({ uploadId: inspection.uploadId! }, targetLayer, epsg, next);
                      }}
                      data-testid={`import-coordinates-${key}`}
                    >
                      {fields.map((field) => (
                        <option key={field.name} value={field.name}>
                          {field.name}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
            </div>
          )}
          {canReplace && (
            <label className="field field--checkbox">
              <input type="checkbox" checked={replaceExisting} onChange={(event) => setReplaceExisting(event.target.checked)} data-testid="import-replace-existing" />
              <span>
                {t('importer.replaceExisting', { layer: t(`layers.byId.${targetLayer}`) })}
                <span className="field-hint"> {t('importer.replaceExistingHint')}</span>
              </span>
            </label>
          )}
          {canMatchCode && (
            <label className="field field--checkbox">
              <input type="checkbox" checked={matchCode} onChange={(event) => setMatchCode(event.target.checked)} data-testid="import-match-code" />
              <span>
                {t('importer.matchCode', { layer: t(`layers.byId.${targetLayer}`) })}
                <span className="field-hint"> {t('importer.matchCodeHint')}</span>
              </span>
            </label>
          )}
          <div className="import-columns">
            <section className="import-mapping" aria-label={t('importer.mapping')}>
              <div className="import-grid">
                <label className="field">
                  <span className="field-label">{t('importer.mappingName')}</span>
                  <input value={mapping.name} maxLength={100} onChange={(event) => setMapping({ ...mapping, name: event.target.value || mapping.name })} data-testid="import-mapping-name" />
                </label>
                {inspection.mappings.length > 0 && (
                  <label className="field">
                    <span className="field-label">{t('importer.savedMappings')}</span>
                    <select value="" onChange={(event) => setMapping(inspection.mappings.find((m) => m.name === event.target.value) ?? mapping)} data-testid="import-saved-mapping">
                      <option value="">—</option>
                      {inspection.mappings.map((m) => (
                        <option key={m.name} value={m.name}>
                          {m.name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
              </div>
              <table className="data-table import-table">
                <thead>
                  <tr>
                    <th>{t('importer.target')}</th>
                    <th>{t('importer.sourceField')}</th>
                    <th>{t('importer.check')}</th>
                  </tr>
                </thead>
                <tbody>
                  {inspection.targets.map((spec) => {
                    const rule = mapping.fields[spec.target];
                    const check = preview?.fieldChecks[spec.target];
                    const mapped = rule?.source !== undefined;
                    return (
                      <tr key={spec.target} data-testid={`import-row-${spec.target}`}>
                        <td>
                          {targetLabel(t, targetLayer, spec.target)}
                          {spec.required && !matching && <span className="import-required" title={t('importer.required')}> *</span>}
                          <span className="import-type">{t(`importer.types.${spec.type}`)}</span>
                        </td>
                        <td>
                          <select value={rule?.source ?? ''} onChange={(event) => setRule(spec.target, event.target.value ? { ...rule, source: event.target.value, constant: undefined } : null)} data-testid={`import-map-${spec.target}`}>
                            <option value="">{t('importer.notMapped')}</option>
                            {fields.map((field) => (
                              <option key={field.name} value={field.name}>
                                {field.name} ({t(`importer.fieldTypes.${field.type}`)})
                              </option>
                            ))}
                          </select>
                        </td>
                        <td className={check && check.bad > 0 ? 'import-check import-check--bad' : 'import-check'}>
                          {mapped && check ? (check.bad > 0 ? t('importer.checkBad', { bad: check.bad, example: check.example ?? '' }) : t('importer.checkOk', { ok: check.ok })) : spec.required && !mapped && !matching ? t('importer.checkRequired') : ''}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            <section className="import-side">
              <ImportPreviewMap features={preview?.features ?? []} />
              <p className="import-status" data-testid="import-preview-status">
                {previewing
                  ? t('common.loading')
                  : preview
                    ? t('importer.previewSummary', { read: preview.featuresRead, shown: preview.features.length, crs: preview.sourceEpsg ? `EPSG:${preview.sourceEpsg}` : '—' })
                    : ''}
              </p>
              {preview?.error && (
                <>
                  <p className="import-error" data-testid="import-preview-error">
                    {errorText(t, preview.error)}
                  </p>
                  <label className="field field--checkbox">
                    <input type="checkbox" checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)} data-testid="import-skip-invalid" />
                    <span>{t('importer.skipInvalid')}</span>
                  </label>
                </>
              )}
              <fieldset className="import-details">
                <legend>{t('importer.provenance')}</legend>
                {(['title', 'id', 'publisher', 'licence', 'attribution'] as const).map((key) => (
                  <label className="field field--compact" key={key}>
                    <span className="field-label">{t(`importer.details.${key}`)}</span>
                    <input value={details[key]} maxLength={key === 'id' ? 100 : 300} onChange={(event) => setDetails({ ...details, [key]: event.target.value })} data-testid={`import-detail-${key}`} />
                  </label>
                ))}
              </fieldset>
            </section>
          </div>
        </>
      )}
      {step === 'running' && (
        <div className="import-progress" data-testid="import-progress">
          <p>{t(`importer.phases.${progress?.phase ?? 'reading'}`, { count: progress?.featuresRead ?? 0 })}</p>
          <progress max={progress?.featuresTotal ?? undefined} value={progress?.featuresTotal ? progress.featuresRead : undefined} />
        </div>
      )}
      {step === 'done' && forecast && (
        <div data-testid="import-forecast-result">
          <p className="import-done">{t('importer.service.forecastDone', { area: forecast.area, from: forecast.fromYear, to: forecast.toYear, rows: forecast.rows, base: forecast.baseYear })}</p>
          <p className="field-hint">{t('importer.undoHint')}</p>
        </div>
      )}
      {step === 'done' && result && (
        <div data-testid="import-result">
          <p className="import-done">{t('importer.done', { count: result.imported, layer: t(`layers.byId.${targetLayer}`) })}</p>
          {(result.replaced ?? 0) > 0 && <p data-testid="import-replaced">{t('importer.replaced', { count: result.replaced })}</p>}
          {result.skipped > 0 && <p>{t('importer.skipped', { count: result.skipped })}</p>}
          {result.issues.map((issue) => (
            <p key={issue.code + JSON.stringify(issue.params)} className="import-issue">
              {t(`importer.issues.${issue.code}`, { ...issue.params, count: issue.count ?? 1, defaultValue: issue.code })}
            </p>
          ))}
          <p className="field-hint">{result.seq != null ? t('importer.undoHint') : t('importer.notUndoable')}</p>
          {handle && 'serviceId' in handle && <p className="field-hint" data-testid="import-sync-hint">{t('importer.service.syncHint')}</p>}
        </div>
      )}
    </Modal>
  );
}
