/**
 * The "From a service" step of the import dialog: pick a preset (grouped by city) or type an address and
 * the kind of service; the host reads the service's layers (WFS GetCapabilities, OGC API collections) and
 * the user picks one from the list (title, name, CRS). What the user picked goes back to the dialog, which
 * continues with the same field mapping, preview and review as for a file.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerId } from '../../shared/domain/project';
import type { NetworkPresetInfo, ServiceConnectionInfo } from '../../shared/import/contract';
import { useHost } from '../app/host-context';
import { useUiStore } from '../state/ui-store';
import { useProjectStore } from '../state/project-store';

/** Kinds a user can type an address for; the others come with a preset's configuration. */
const TYPED_KINDS = ['wfs', 'ogcapi'] as const;

export interface PickedService {
  connection: ServiceConnectionInfo;
  layer: string;
  preset: NetworkPresetInfo | null;
  /** Read only this box (the map view, in the project CRS), or everything (null). */
  bbox: [number, number, number, number] | null;
}

/** Kinds whose services can filter by a box (WFS BBOX, OGC API bbox). */
const BOX_KINDS = ['wfs', 'ogcapi', 'statfi-wfs'];

function newRequestId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A length in metres as kilometres (one decimal under 10 km). */
function kilometres(metres: number): string {
  const km = metres / 1000;
  return km < 10 ? km.toFixed(1) : String(Math.round(km));
}

export function ServicePicker({
  onTargetLayer,
  onKind,
  onPicked,
  onForecast,
  onError,
  busy,
}: {
  onTargetLayer(layer: LayerId): void;
  /** The kind of service chosen (a preset's or the opened one's), so the dialog can hide what does not apply. */
  onKind?(kind: string): void;
  onPicked(picked: PickedService): void;
  /** A PxWeb projection table: stored as the forecast instead of mapped into a layer. */
  onForecast(picked: PickedService): void;
  onError(caught: unknown): void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const host = useHost();
  const [presets, setPresets] = useState<NetworkPresetInfo[]>([]);
  const [presetId, setPresetId] = useState('');
  const [kind, setKind] = useState<(typeof TYPED_KINDS)[number]>('wfs');
  const [url, setUrl] = useState('');
  // The pending connection's request id, so Cancel can stop it (a server that never answers takes a while).
  const [connecting, setConnecting] = useState<string | null>(null);
  const [connection, setConnection] = useState<ServiceConnectionInfo | null>(null);
  const [layer, setLayer] = useState('');
  const [filter, setFilter] = useState('');
  const [onlyView, setOnlyView] = useState(false);
  const viewExtent = useUiStore((state) => state.viewExtent);
  const geographic = useProjectStore((state) => state.summary?.epsg === 4326);

  useEffect(() => {
    host.importListPresets({}).then(setPresets, onError);
  }, [host]);

  const preset = presets.find((candidate) => candidate.id === presetId) ?? null;
  const cities = useMemo(() => [...new Set(presets.map((candidate) => candidate.city))], [presets]);

  function choosePreset(id: string) {
    setPresetId(id);
    setConnection(null);
    const chosen = presets.find((candidate) => candidate.id === id);
    onKind?.(chosen?.kind ?? kind);
    if (!chosen) return;
    setUrl(chosen.url);
    if ((TYPED_KINDS as readonly string[]).includes(chosen.kind)) setKind(chosen.kind as (typeof TYPED_KINDS)[number]);
    if (chosen.targetLayer) onTargetLayer(chosen.targetLayer);
  }

  async function connect() {
    const requestId = newRequestId();
    setConnecting(requestId);
    setConnection(null);
    try {
      // A preset is opened with its kind (a register or feedback service has no other), CRS, options and mapping;
      // a WFS or OGC API preset takes the kind chosen here, should the user point it at another service.
      const presetKindFixed = preset && (!(TYPED_KINDS as readonly string[]).includes(preset.kind) || url.trim() === preset.url);
      const next = await host.importConnectService({ kind: presetKindFixed ? preset.kind : kind, url: url.trim(), presetId: preset ? preset.id : null, requestId });
      setConnection(next);
      setLayer(next.layer || (next.layers.length === 1 ? next.layers[0]!.name : ''));
      setFilter('');
    } catch (caught) {
      // Cancelled by the user: nothing to report.
      if ((caught as { code?: string }).code !== 'importCancelled') onError(caught);
    } finally {
      setConnecting(null);
    }
  }

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const layers = connection?.layers ?? [];
    return needle ? layers.filter((candidate) => `${candidate.title ?? ''} ${candidate.name}`.toLowerCase().includes(needle)) : layers;
  }, [connection, filter]);
  const isProjection = connection?.kind === 'pxweb';
  const noTarget = preset !== null && preset.targetLayer === null && !isProjection && preset.kind !== 'pxweb';

  return (
    <div className="service-picker" data-testid="service-picker">
      <div className="import-grid import-grid--three">
        <label className="field">
          <span className="field-label">{t('importer.service.preset')}</span>
          <select value={presetId} onChange={(event) => choosePreset(event.target.value)} data-testid="service-preset">
            <option value="">{t('importer.service.presetNone')}</option>
            {cities.map((city) => (
              <optgroup key={city} label={t(`networkPresets.cities.${city}`)}>
                {presets
                  .filter((candidate) => candidate.city === city)
                  .map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {t(`networkPresets.titles.${candidate.id}`, { defaultValue: candidate.id })}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('importer.service.kind')}</span>
          {preset && !(TYPED_KINDS as readonly string[]).includes(preset.kind) ? (
            <input value={t(`importer.service.kinds.${preset.kind}`)} readOnly data-testid="service-kind-fixed" />
          ) : (
            <select
              value={kind}
              onChange={(event) => {
                setKind(event.target.value as (typeof TYPED_KINDS)[number]);
                onKind?.(event.target.value);
              }}
              data-testid="service-kind"
            >
              {TYPED_KINDS.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {t(`importer.service.kinds.${candidate}`)}
                </option>
              ))}
            </select>
          )}
        </label>
      </div>
      <form
        className="service-address"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim()) void connect();
        }}
      >
        <label className="field">
          <span className="field-label">{t('importer.service.url')}</span>
          <input type="url" value={url} onChange={(event) => setUrl(event.target.value)} placeholder="https://" maxLength={2000} data-testid="service-url" />
          <span className="field-hint">{t('importer.service.urlHint')}</span>
        </label>
        <button type="submit" className="button" disabled={!url.trim() || connecting !== null || busy} data-testid="service-connect">
          {t('importer.service.connect')}
        </button>
      </form>
      {preset && !preset.verified && <p className="field-hint service-warning">{t('networkPresets.unverified')}</p>}
      {noTarget && <p className="field-hint service-warning">{t('importer.service.noTarget')}</p>}
      {connecting && (
        <p className="import-status service-connecting" role="status" data-testid="service-connecting">
          {t('importer.service.connecting')}{' '}
          <button type="button" className="button button--ghost" onClick={() => void host.importCancel({ jobId: connecting }).catch(() => undefined)} data-testid="service-cancel">
            {t('common.cancel')}
          </button>
        </p>
      )}
      {connection && (
        <section className="service-layers" data-testid="service-layers">
          <div className="service-layers-head">
            <h3>{t(connection.kind === 'ogcapi' ? 'importer.service.collections' : 'importer.service.layers', { count: connection.layers.length })}</h3>
            {connection.layers.length > 8 && (
              <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder={t('importer.service.filter')} aria-label={t('importer.service.filter')} data-testid="service-filter" />
            )}
          </div>
          <div className="service-layer-list">
            <table className="data-table">
              <thead>
                <tr>
                  <th />
                  <th>{t('importer.service.layerTitle')}</th>
                  <th>{t('importer.service.layerName')}</th>
                  <th>{t('importer.service.layerCrs')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((candidate) => (
                  <tr key={candidate.name} className={candidate.name === layer ? 'is-selected' : undefined} onClick={() => setLayer(candidate.name)} data-testid={`service-layer-${candidate.name}`}>
                    <td>
                      <input type="radio" name="service-layer" checked={candidate.name === layer} onChange={() => setLayer(candidate.name)} aria-label={candidate.title ?? candidate.name} />
                    </td>
                    <td>{candidate.title ?? '—'}</td>
                    <td className="service-layer-name">{candidate.name}</td>
                    <td>{candidate.epsg ? `EPSG:${candidate.epsg}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <p className="field-hint">{t('importer.service.noMatches')}</p>}
          </div>
          {BOX_KINDS.includes(connection.kind) && viewExtent && (
            <label className="field field--checkbox service-only-view">
              <input type="checkbox" checked={onlyView} onChange={(event) => setOnlyView(event.target.checked)} data-testid="service-only-view" />
              <span>
                {t('importer.service.onlyView')}
                {!geographic && (
                  <span className="field-hint">
                    {' '}
                    ({t('importer.service.onlyViewHint', { width: kilometres(viewExtent[2] - viewExtent[0]), height: kilometres(viewExtent[3] - viewExtent[1]) })})
                  </span>
                )}
              </span>
            </label>
          )}
          <div className="service-next">
            <span className="field-hint">{layer ? t('importer.service.sourceLayer', { layer }) : t('importer.service.chooseLayer')}</span>
            {isProjection ? (
              <button type="button" className="button button--primary" disabled={!layer || busy} onClick={() => onForecast({ connection, layer, preset, bbox: null })} data-testid="service-forecast">
                {t('importer.service.asForecast')}
              </button>
            ) : (
              <button type="button" className="button button--primary" disabled={!layer || busy || noTarget} onClick={() => onPicked({ connection, layer, preset, bbox: onlyView && viewExtent ? viewExtent : null })} data-testid="service-next">
                {t('importer.service.next')}
              </button>
            )}
          </div>
          {isProjection && <p className="field-hint">{t('importer.service.forecastHint')}</p>}
          {busy && <p className="import-status">{t(isProjection ? 'importer.service.forecastRunning' : 'importer.service.reading')}</p>}
        </section>
      )}
    </div>
  );
}
