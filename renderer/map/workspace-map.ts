/**
 * The OpenLayers map of an open project, kept free of React so its behaviour is plain code: layers and
 * their styles, loading features from the host, the basemap with its offline fallback, selection
 * highlight, cursor position and the pixel lookup end-to-end tests use.
 *
 * Layer order, bottom to top: basemap (or land in the vector-only look), 250 m grid, small areas,
 * catchments, municipal boundary, facilities, selection highlight.
 */
import type { Collection } from 'ol';
import type { Control } from 'ol/control.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import { createEmpty, extend as extendExtent, isEmpty, type Extent } from 'ol/extent.js';
import Feature from 'ol/Feature.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import type { Geometry, MultiPolygon, Point, Polygon } from 'ol/geom.js';
import { defaults as defaultInteractions } from 'ol/interaction/defaults.js';
import type BaseLayer from 'ol/layer/Base.js';
import TileLayer from 'ol/layer/Tile.js';
import VectorLayer from 'ol/layer/Vector.js';
import OlMap from 'ol/Map.js';
import OSM from 'ol/source/OSM.js';
import VectorSource from 'ol/source/Vector.js';
import { getArea } from 'ol/sphere.js';
import type { StyleLike } from 'ol/style/Style.js';
import View from 'ol/View.js';
import type { HostClient, ProjectSummary } from '../../shared/contract/host-api';
import { LAYER_IDS, SERVICE_TYPES, type LayerId } from '../../shared/domain/project';
import { SUPPORTED_CRS } from '../../shared/geo/crs';
import { catchmentSetKey, type CatchmentSet, type ClassBreaks, type MapLayerKey } from '../state/layer-store';
import type { FeatureReference, Picked } from '../state/selection-store';
import type { BasemapStatus } from '../state/ui-store';
import { assignColours } from './catchment-colours';
import { classOf, quantileBreaks } from './classify';
import { CATCHMENT_PALETTE } from './palette';
import { projectionCode, registerProjections } from './projections';
import {
  RENDER_KEYS,
  createCatchmentStyle,
  createPopulationStyle,
  facilityStyle,
  feedbackStyle,
  residentialPointStyle,
  highlightStyle,
  landStyle,
  municipalityOutlineStyle,
  setFacilityLabelLanguage,
} from './styles';

export const DEFAULT_BASEMAP_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const BASEMAP_SETTING_KEY = 'basemap.url';

/** Tile errors with no tile loaded that switch the map to the vector-only look. */
const TILE_ERRORS_BEFORE_OFFLINE = 4;
const BASEMAP_PROBE_TIMEOUT_MS = 8_000;

export interface WorkspaceMapListener {
  onSelect(reference: FeatureReference | null): void;
  onCursor(coordinate: [number, number] | null): void;
  onLayerLoaded(key: MapLayerKey, count: number | null): void;
  onBreaks(breaks: { densityBreaks?: ClassBreaks; gridBreaks?: ClassBreaks }): void;
  onCatchments(info: { origins: string[]; sets: CatchmentSet[] }): void;
  onBasemapStatus(status: BasemapStatus): void;
  onReady(): void;
  onError(error: unknown): void;
}

export interface WorkspaceMapOptions {
  target: HTMLElement;
  scaleTarget?: HTMLElement | null;
  summary: ProjectSummary;
  client: Pick<HostClient, 'getLayerFeatures' | 'getProjectSummary'>;
  listener: WorkspaceMapListener;
  visibility: Record<MapLayerKey, boolean>;
  shownCatchmentSet: string | null;
}

/** Replaces an XYZ template's placeholders with the world tile, for a one-request reachability probe. */
export function probeUrlFor(template: string): string {
  return template
    .replace('{z}', '0')
    .replace('{x}', '0')
    .replace('{y}', '0')
    .replace('{-y}', '0')
    .replace(/\{([a-z])-[a-z]\}/, '$1')
    .replace(/\{(\d)-\d\}/, '$1');
}

/**
 * The extent to show first: where the service network is (the facilities, widened by a fifth so the
 * surrounding catchments show), else the municipality, else every layer, else the CRS's area of use.
 * Municipal boundaries often include wide sea areas, which would leave the city small in the view.
 */
export function initialExtent(summary: ProjectSummary): Extent {
  const facilities = summary.layers.find((layer) => layer.id === 'facilities');
  if (facilities?.extent && facilities.featureCount >= 2) {
    const [minX, minY, maxX, maxY] = facilities.extent;
    const margin = Math.max(maxX - minX, maxY - minY) * 0.1;
    return [minX - margin, minY - margin, maxX + margin, maxY + margin];
  }
  const municipality = summary.layers.find((layer) => layer.id === 'municipality')?.extent;
  if (municipality) return [...municipality];
  const union = createEmpty();
  for (const layer of summary.layers) if (layer.extent) extendExtent(union, layer.extent);
  if (!isEmpty(union)) return union;
  return [...(SUPPORTED_CRS.get(summary.epsg)?.extent ?? [-180, -90, 180, 90])];
}

type PopulationStyle = ReturnType<typeof createPopulationStyle>;

/**
 * Layers whose features are fetched only while the layer is shown: a building register can be a hundred
 * thousand points, too many to send on every open and edit for a layer that is off by default. While
 * hidden, its count comes from the project summary.
 */
const ON_DEMAND_LAYERS: ReadonlySet<LayerId> = new Set(['residential_points']);

export class WorkspaceMap {
  readonly map: OlMap;
  private readonly options: WorkspaceMapOptions;
  private readonly projection: string;
  private readonly format: GeoJSON;
  private readonly sources: {
    facilities: VectorSource;
    catchments: VectorSource;
    demand_small_areas: VectorSource;
    demand_grid: VectorSource;
    municipality: VectorSource;
    feedback: VectorSource;
    residential_points: VectorSource;
    highlight: VectorSource;
  };
  private readonly layers: Record<MapLayerKey, BaseLayer> & { land: VectorLayer; highlight: VectorLayer };
  private readonly basemapSource: OSM;
  private readonly smallAreaStyle: PopulationStyle;
  private readonly gridStyle: PopulationStyle;
  private visibility: Record<MapLayerKey, boolean>;
  private shownCatchmentSet: string | null;
  private selected: FeatureReference | null = null;
  private picked: Picked | null = null;
  private clickSelect = true;
  private basemapStatus: BasemapStatus = 'probing';
  private basemapUrl: string;
  private tileErrors = 0;
  private tilesLoaded = 0;
  private probeSerial = 0;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly loadSerials = new Map<LayerId, number>();
  private readonly loadedOnce = new Set<LayerId>();
  /** On-demand layers whose features on the map are missing or outdated. */
  private readonly notLoaded = new Set<LayerId>();
  private ready = false;
  private disposed = false;
  private readonly windowListeners: Array<[string, () => void]> = [];

  constructor(options: WorkspaceMapOptions) {
    registerProjections();
    this.options = options;
    this.visibility = { ...options.visibility };
    this.shownCatchmentSet = options.shownCatchmentSet;
    this.projection = projectionCode(options.summary.epsg);
    this.format = new GeoJSON({ dataProjection: this.projection, featureProjection: this.projection });
    this.basemapUrl = WorkspaceMap.basemapUrlOf(options.summary);

    this.sources = {
      facilities: new VectorSource(),
      catchments: new VectorSource(),
      demand_small_areas: new VectorSource(),
      demand_grid: new VectorSource(),
      municipality: new VectorSource(),
      feedback: new VectorSource(),
      residential_points: new VectorSource(),
      highlight: new VectorSource(),
    };
    this.smallAreaStyle = createPopulationStyle(true);
    this.gridStyle = createPopulationStyle(false);

    this.basemapSource = new OSM({ url: this.basemapUrl, crossOrigin: 'anonymous', attributions: '© OpenStreetMap contributors' });
    this.basemapSource.on('tileloadend', () => {
      this.tilesLoaded += 1;
    });
    this.basemapSource.on('tileloaderror', () => {
      this.tileErrors += 1;
      if (this.tilesLoaded === 0 && this.tileErrors >= TILE_ERRORS_BEFORE_OFFLINE) this.setBasemapStatus('offline');
    });

    const vector = (key: string, source: VectorSource, style: StyleLike, layerId?: LayerId, declutter = false) =>
      new VectorLayer({ source, style, properties: { key, layerId }, declutter });

    this.layers = {
      basemap: new TileLayer({ source: this.basemapSource, visible: false, properties: { key: 'basemap' } }),
      land: vector('land', this.sources.municipality, landStyle),
      demand_grid: vector('demand_grid', this.sources.demand_grid, this.gridStyle, 'demand_units'),
      demand_small_areas: vector('demand_small_areas', this.sources.demand_small_areas, this.smallAreaStyle, 'demand_units'),
      catchments: vector('catchments', this.sources.catchments, createCatchmentStyle((feature) => this.isCatchmentShown(feature)), 'catchments'),
      municipality: vector('municipality', this.sources.municipality, municipalityOutlineStyle, 'municipality'),
      // Decluttered so name labels never overlap; the symbols are obstacles and always drawn.
      facilities: vector('facilities', this.sources.facilities, facilityStyle, 'facilities', true),
      feedback: vector('feedback', this.sources.feedback, feedbackStyle, 'feedback'),
      residential_points: vector('residential_points', this.sources.residential_points, residentialPointStyle, 'residential_points'),
      highlight: vector('highlight', this.sources.highlight, highlightStyle),
    };

    const scaleLine = new ScaleLine({ units: 'metric', target: options.scaleTarget ?? undefined });
    const controls: Collection<Control> = defaultControls({ rotate: false, attributionOptions: { collapsible: false } });
    controls.push(scaleLine);

    this.map = new OlMap({
      target: options.target,
      controls,
      interactions: defaultInteractions({ altShiftDragRotate: false, pinchRotate: false }),
      layers: [
        this.layers.basemap,
        this.layers.land,
        this.layers.demand_grid,
        this.layers.demand_small_areas,
        this.layers.catchments,
        // Above the catchments' fill, so the dots read on every utilisation colour; under the facilities.
        this.layers.residential_points,
        this.layers.municipality,
        this.layers.facilities,
        this.layers.feedback,
        this.layers.highlight,
      ],
      view: new View({ projection: this.projection, constrainResolution: false, showFullExtent: true }),
    });

    this.fit(initialExtent(options.summary));
    this.applyVisibility();
    this.bindInteractions();
    this.watchConnectivity();
    this.probeBasemap();
  }

  static basemapUrlOf(summary: ProjectSummary): string {
    const configured = summary.settings[BASEMAP_SETTING_KEY];
    return typeof configured === 'string' && configured.trim() ? configured.trim() : DEFAULT_BASEMAP_URL;
  }

  /** Loads every layer from the host; resolves when all have loaded (failures are reported, not thrown). */
  async loadAll(): Promise<void> {
    await Promise.all(LAYER_IDS.map((layer) => this.reloadLayer(layer)));
  }

  /** (Re)loads one host layer. A newer reload of the same layer makes an older answer obsolete. */
  async reloadLayer(layerId: LayerId): Promise<void> {
    const serial = (this.loadSerials.get(layerId) ?? 0) + 1;
    this.loadSerials.set(layerId, serial);
    if (ON_DEMAND_LAYERS.has(layerId) && !this.visibility[layerId as MapLayerKey]) {
      this.notLoaded.add(layerId);
      this.sources[layerId as 'residential_points'].clear(true);
      // The count only: from the summary the map opened with, then (after a change) a fresh one.
      const first = !this.loadedOnce.has(layerId);
      this.loadedOnce.add(layerId);
      this.checkReady();
      try {
        const summary = first ? this.options.summary : await this.options.client.getProjectSummary({});
        if (this.disposed || this.loadSerials.get(layerId) !== serial) return;
        this.options.listener.onLayerLoaded(layerId as MapLayerKey, summary?.layers.find((layer) => layer.id === layerId)?.featureCount ?? null);
      } catch (error) {
        if (!this.disposed) this.options.listener.onError(error);
      }
      return;
    }
    this.notLoaded.delete(layerId);
    try {
      const collection = await this.options.client.getLayerFeatures({ layer: layerId });
      if (this.disposed || this.loadSerials.get(layerId) !== serial) return;
      const features = this.format.readFeatures(collection) as Feature<Geometry>[];
      this.applyFeatures(layerId, features);
    } catch (error) {
      if (!this.disposed) this.options.listener.onError(error);
    } finally {
      if (!this.disposed && this.loadSerials.get(layerId) === serial) {
        this.loadedOnce.add(layerId);
        this.checkReady();
      }
    }
  }

  private applyFeatures(layerId: LayerId, features: Feature<Geometry>[]): void {
    const listener = this.options.listener;
    switch (layerId) {
      case 'facilities':
        replaceFeatures(this.sources.facilities, features);
        listener.onLayerLoaded('facilities', features.length);
        break;
      case 'municipality':
        replaceFeatures(this.sources.municipality, features);
        listener.onLayerLoaded('municipality', features.length);
        break;
      case 'feedback':
        replaceFeatures(this.sources.feedback, features);
        listener.onLayerLoaded('feedback', features.length);
        break;
      case 'residential_points':
        classifyWeights(features);
        replaceFeatures(this.sources.residential_points, features);
        listener.onLayerLoaded('residential_points', features.length);
        break;
      case 'catchments':
        this.prepareCatchments(features);
        replaceFeatures(this.sources.catchments, features);
        listener.onLayerLoaded('catchments', features.length);
        break;
      case 'demand_units': {
        const smallAreas = features.filter((feature) => feature.get('unit_kind') === 'small_area');
        const grid = features.filter((feature) => feature.get('unit_kind') === 'grid_250m');
        const densityBreaks = this.classify(smallAreas, (feature) => this.densityOf(feature), this.smallAreaStyle);
        const gridBreaks = this.classify(grid, (feature) => numberOrNull(feature.get('population_total')), this.gridStyle);
        replaceFeatures(this.sources.demand_small_areas, smallAreas);
        replaceFeatures(this.sources.demand_grid, grid);
        listener.onBreaks({ densityBreaks, gridBreaks });
        listener.onLayerLoaded('demand_small_areas', smallAreas.length);
        listener.onLayerLoaded('demand_grid', grid.length);
        break;
      }
    }
    this.refreshHighlight();
  }

  /** Residents per km² of a small area, or null without a population figure. */
  private densityOf(feature: Feature<Geometry>): number | null {
    const population = numberOrNull(feature.get('population_total'));
    const geometry = feature.getGeometry();
    if (population === null || !geometry) return null;
    const squareMetres = this.options.summary.epsg === 4326 ? getArea(geometry, { projection: this.projection }) : (geometry as Polygon | MultiPolygon).getArea();
    return squareMetres > 0 ? population / (squareMetres / 1_000_000) : null;
  }

  private classify(features: Feature<Geometry>[], valueOf: (feature: Feature<Geometry>) => number | null, style: PopulationStyle): ClassBreaks {
    const values = features.map(valueOf);
    const breaks = quantileBreaks(values.filter((value): value is number => value !== null));
    features.forEach((feature, index) => {
      const value = values[index];
      feature.set(RENDER_KEYS.populationClass, value === null || value === undefined ? -1 : classOf(value, breaks), true);
    });
    style.setClassCount(breaks.length + 1);
    return breaks;
  }

  private prepareCatchments(features: Feature<Geometry>[]): void {
    const serviceOrder = (service: string) => {
      const index = (SERVICE_TYPES as readonly string[]).indexOf(service);
      return index < 0 ? SERVICE_TYPES.length : index;
    };
    const sets = new Map<string, CatchmentSet>();
    const origins = new Set<string>();
    const colourable = features.map((feature) => {
      const key = catchmentSetKey(feature.get('service'), feature.get('language'));
      const entry = sets.get(key) ?? { key, service: String(feature.get('service')), language: String(feature.get('language')), count: 0 };
      entry.count += 1;
      sets.set(key, entry);
      origins.add(String(feature.get('origin')));
      return { extent: feature.getGeometry()?.getExtent() ?? createEmpty(), group: key };
    });
    const colours = assignColours(colourable, CATCHMENT_PALETTE.length);
    features.forEach((feature, index) => feature.set(RENDER_KEYS.colour, colours[index], true));
    const sortedSets = [...sets.values()].sort(
      (a, b) => serviceOrder(a.service) - serviceOrder(b.service) || (a.language === 'fi' ? -1 : 1) - (b.language === 'fi' ? -1 : 1),
    );
    this.options.listener.onCatchments({ origins: [...origins].sort(), sets: sortedSets });
  }

  private isCatchmentShown(feature: { get(key: string): unknown }): boolean {
    return this.shownCatchmentSet === null || catchmentSetKey(feature.get('service'), feature.get('language')) === this.shownCatchmentSet;
  }

  setShownCatchmentSet(key: string | null): void {
    if (key === this.shownCatchmentSet) return;
    this.shownCatchmentSet = key;
    this.layers.catchments.changed();
  }

  /** Redraws facility names in the UI language (Swedish names where there are some). */
  setLabelLanguage(language: string): void {
    setFacilityLabelLanguage(language);
    this.layers.facilities.changed();
  }

  setVisibility(visibility: Record<MapLayerKey, boolean>): void {
    this.visibility = { ...visibility };
    this.applyVisibility();
    for (const layerId of this.notLoaded) if (this.visibility[layerId as MapLayerKey]) void this.reloadLayer(layerId);
  }

  setBasemapUrl(url: string): void {
    if (url === this.basemapUrl) return;
    this.basemapUrl = url;
    this.basemapSource.setUrl(url);
    this.probeBasemap();
  }

  private applyVisibility(): void {
    const basemapShown = this.basemapStatus === 'online' && this.visibility.basemap;
    this.layers.basemap.setVisible(basemapShown);
    this.layers.land.setVisible(!basemapShown);
    this.options.target.classList.toggle('map--vector-only', !basemapShown);
    for (const key of ['facilities', 'catchments', 'demand_small_areas', 'demand_grid', 'municipality', 'feedback', 'residential_points'] as const) {
      this.layers[key].setVisible(this.visibility[key]);
    }
  }

  private setBasemapStatus(status: BasemapStatus): void {
    if (this.disposed || status === this.basemapStatus) return;
    this.basemapStatus = status;
    this.applyVisibility();
    this.options.listener.onBasemapStatus(status);
  }

  /**
   * One request for the world tile decides whether the online basemap is used, so an offline machine makes
   * one failed request instead of a screenful. Until it answers, the map shows the vector-only look.
   */
  private probeBasemap(): void {
    const serial = ++this.probeSerial;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.setBasemapStatus('offline');
      return;
    }
    this.setBasemapStatus('probing');
    const image = new Image();
    image.crossOrigin = 'anonymous';
    const finish = (reachable: boolean) => {
      if (serial !== this.probeSerial) return;
      if (this.probeTimer) clearTimeout(this.probeTimer);
      this.probeTimer = null;
      image.onload = null;
      image.onerror = null;
      this.tileErrors = 0;
      this.tilesLoaded = 0;
      this.setBasemapStatus(reachable ? 'online' : 'offline');
    };
    image.onload = () => finish(true);
    image.onerror = () => finish(false);
    this.probeTimer = setTimeout(() => finish(false), BASEMAP_PROBE_TIMEOUT_MS);
    image.src = probeUrlFor(this.basemapUrl);
  }

  private watchConnectivity(): void {
    const onOffline = () => this.setBasemapStatus('offline');
    const onOnline = () => this.probeBasemap();
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    this.windowListeners.push(['offline', onOffline], ['online', onOnline]);
  }

  private selectableLayers(): Set<BaseLayer> {
    return new Set([this.layers.facilities, this.layers.catchments, this.layers.demand_small_areas, this.layers.demand_grid, this.layers.municipality, this.layers.feedback, this.layers.residential_points]);
  }

  private bindInteractions(): void {
    const selectable = this.selectableLayers();
    const layerFilter = (layer: BaseLayer) => selectable.has(layer);
    this.map.on('singleclick', (event) => {
      if (!this.clickSelect) return;
      const hit = this.map.forEachFeatureAtPixel(event.pixel, (feature, layer) => ({ feature, layer }), { hitTolerance: 4, layerFilter });
      const layerId = hit?.layer?.get('layerId') as LayerId | undefined;
      const fid = hit ? Number(hit.feature.getId()) : Number.NaN;
      this.options.listener.onSelect(layerId && Number.isInteger(fid) ? { layer: layerId, fid } : null);
    });
    this.map.on('pointermove', (event) => {
      if (event.dragging) return;
      const [x, y] = event.coordinate as [number, number];
      this.options.listener.onCursor([x, y]);
      const overFeature = this.map.hasFeatureAtPixel(event.pixel, { hitTolerance: 4, layerFilter });
      this.map.getViewport()?.classList.toggle('map-viewport--pointer', overFeature);
    });
    this.map.getViewport()?.addEventListener('pointerleave', () => this.options.listener.onCursor(null));
  }

  private fit(extent: Extent): void {
    const doFit = () => {
      const size = this.map.getSize();
      if (!size || size[0] === 0 || size[1] === 0) return false;
      this.map.getView().fit(extent, { padding: [40, 40, 40, 40], size });
      return true;
    };
    if (!doFit()) {
      // The target has no size yet (first layout pending): fit as soon as it gets one.
      const key = this.map.on('change:size', () => {
        if (doFit()) this.map.un('change:size', key.listener);
      });
    }
  }

  /** Off while the editor is attached: its modes decide what a click does (select, draw, paint…). */
  setClickSelect(enabled: boolean): void {
    this.clickSelect = enabled;
  }

  setSelected(reference: FeatureReference | null): void {
    this.selected = reference;
    this.refreshHighlight();
  }

  /** The multi-selection (Ctrl/Shift+click on the map or in the attribute table), highlighted like the selection. */
  setPicked(picked: Picked | null): void {
    this.picked = picked;
    this.refreshHighlight();
  }

  private refreshHighlight(): void {
    this.sources.highlight.clear();
    const references = [...(this.selected ? [this.selected] : []), ...(this.picked?.fids.map((fid) => ({ layer: this.picked!.layer, fid })) ?? [])];
    for (const reference of references) {
      const geometry = this.findFeature(reference.layer, reference.fid)?.getGeometry();
      if (geometry) this.sources.highlight.addFeature(new Feature({ geometry: geometry.clone() }));
    }
  }

  private sourcesFor(layer: string): VectorSource[] {
    switch (layer) {
      case 'facilities':
        return [this.sources.facilities];
      case 'catchments':
        return [this.sources.catchments];
      case 'municipality':
        return [this.sources.municipality];
      case 'feedback':
        return [this.sources.feedback];
      case 'residential_points':
        return [this.sources.residential_points];
      case 'demand_units':
        return [this.sources.demand_small_areas, this.sources.demand_grid];
      case 'demand_small_areas':
        return [this.sources.demand_small_areas];
      case 'demand_grid':
        return [this.sources.demand_grid];
      default:
        return [];
    }
  }

  private findFeature(layer: string, fid: number): Feature<Geometry> | null {
    for (const source of this.sourcesFor(layer)) {
      const feature = source.getFeatureById(fid) as Feature<Geometry> | null;
      if (feature) return feature;
    }
    return null;
  }

  /**
   * Where a feature is on screen, in CSS pixels of the page viewport (what Playwright's mouse.click takes):
   * a point's position, a polygon's interior point (of its largest part). Null when the feature is unknown
   * or outside the visible map.
   */
  pixelOf(layer: string, fid: number): [number, number] | null {
    const feature = this.findFeature(layer, fid);
    const geometry = feature?.getGeometry();
    if (!geometry) return null;
    let coordinate: number[] | null = null;
    if (geometry.getType() === 'Point') {
      coordinate = (geometry as Point).getCoordinates();
    } else if (geometry.getType() === 'Polygon') {
      coordinate = (geometry as Polygon).getInteriorPoint().getCoordinates();
    } else if (geometry.getType() === 'MultiPolygon') {
      const polygons = (geometry as MultiPolygon).getPolygons().sort((a, b) => b.getArea() - a.getArea());
      coordinate = polygons[0]?.getInteriorPoint().getCoordinates() ?? null;
    }
    if (!coordinate) return null;
    const pixel = this.map.getPixelFromCoordinate([coordinate[0]!, coordinate[1]!]);
    const size = this.map.getSize();
    if (!pixel || !size || pixel[0]! < 0 || pixel[1]! < 0 || pixel[0]! > size[0]! || pixel[1]! > size[1]!) return null;
    const rectangle = this.map.getViewport()?.getBoundingClientRect();
    if (!rectangle) return null;
    return [Math.round(rectangle.left + pixel[0]!), Math.round(rectangle.top + pixel[1]!)];
  }

  isReady(): boolean {
    return this.ready;
  }

  private checkReady(): void {
    if (this.ready || LAYER_IDS.some((layer) => !this.loadedOnce.has(layer))) return;
    this.map.once('rendercomplete', () => {
      if (this.disposed) return;
      this.ready = true;
      this.options.target.dataset.loaded = 'true';
      this.options.listener.onReady();
    });
    this.map.render();
  }

  dispose(): void {
    this.disposed = true;
    this.probeSerial += 1;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    for (const [type, listener] of this.windowListeners) window.removeEventListener(type, listener);
    delete this.options.target.dataset.loaded;
    this.map.setTarget(undefined);
    this.map.dispose();
  }
}

function replaceFeatures(source: VectorSource, features: Feature<Geometry>[]): void {
  source.clear(true);
  source.addFeatures(features);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Size class of each residential point from its weight relative to the layer's median weight (the unit —
 * residents, dwellings or m² — differs between sources, the ratio does not): a point of about typical
 * weight is class 1, a much heavier one 3, a weightless one 0.
 */
function classifyWeights(features: Feature<Geometry>[]): void {
  const weights = features.map((feature) => numberOrNull(feature.get('weight')) ?? 0);
  const positive = weights.filter((weight) => weight > 0).sort((a, b) => a - b);
  const median = positive.length > 0 ? positive[Math.floor(positive.length / 2)]! : 1;
  features.forEach((feature, index) => {
    const ratio = weights[index]! / median;
    const weightClass = ratio <= 0 ? 0 : ratio < 0.5 ? 0 : ratio < 2 ? 1 : ratio < 8 ? 2 : 3;
    feature.set(RENDER_KEYS.weightClass, weightClass, true);
  });
}
