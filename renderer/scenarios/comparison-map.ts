/**
 * The two maps of a scenario comparison: the same view (pan one, the other follows — they share one OL
 * View), each showing its scenario's catchments coloured by utilisation and its facilities.
 */
import type { Extent } from 'ol/extent.js';
import Feature from 'ol/Feature.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import type { Geometry } from 'ol/geom.js';
import VectorLayer from 'ol/layer/Vector.js';
import OlMap from 'ol/Map.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style.js';
import View from 'ol/View.js';
import type { FeatureCollection } from '../../shared/domain/project';
import { TRAFFIC_LIGHT } from '../analysis/analysis-colours';
import { projectionCode, registerProjections } from '../map/projections';

export interface SideData {
  catchments: FeatureCollection<'catchments'>;
  facilities: FeatureCollection<'facilities'>;
  municipality: FeatureCollection<'municipality'>;
  bands: Record<number, string | null>;
}

const format = new GeoJSON();
const outline = new Style({ stroke: new Stroke({ color: '#1f2933', width: 1.4 }) });
const openFacility = new Style({ image: new CircleStyle({ radius: 4, fill: new Fill({ color: '#1f2933' }), stroke: new Stroke({ color: '#ffffff', width: 1 }) }) });
const closedFacility = new Style({ image: new CircleStyle({ radius: 4, fill: new Fill({ color: '#ffffff' }), stroke: new Stroke({ color: '#1f2933', width: 1.5 }) }) });

function bandStyle(band: string | null | undefined): Style {
  const colour = band && band in TRAFFIC_LIGHT ? TRAFFIC_LIGHT[band as keyof typeof TRAFFIC_LIGHT] : TRAFFIC_LIGHT.none;
  return new Style({ fill: new Fill({ color: `${colour}cc` }), stroke: new Stroke({ color: '#ffffff', width: 0.8 }) });
}

export class ComparisonMaps {
  private readonly view: View;
  readonly maps: OlMap[];
  private readonly sources: { catchments: VectorSource; facilities: VectorSource; municipality: VectorSource }[];

  constructor(targets: [HTMLElement, HTMLElement], epsg: number) {
    registerProjections();
    this.view = new View({ projection: projectionCode(epsg) });
    this.sources = targets.map(() => ({ catchments: new VectorSource(), facilities: new VectorSource(), municipality: new VectorSource() }));
    this.maps = targets.map(
      (target, index) =>
        new OlMap({
          target,
          view: this.view,
          layers: [
            new VectorLayer({ source: this.sources[index]!.catchments }),
            new VectorLayer({ source: this.sources[index]!.municipality, style: outline }),
            new VectorLayer({ source: this.sources[index]!.facilities }),
          ],
        }),
    );
  }

  show(side: 0 | 1, data: SideData, language: string | null, year: number | null): Extent | null {
    const sources = this.sources[side]!;
    const read = (collection: FeatureCollection) => format.readFeatures(collection) as Feature<Geometry>[];
    const catchments = read(data.catchments).filter((feature) => !language || feature.get('language') === language);
    for (const feature of catchments) feature.setStyle(bandStyle(data.bands[Number(feature.getId())]));
    const facilities = read(data.facilities);
    for (const feature of facilities) {
      const closes = feature.get('closes_year') as number | null;
      const closed = feature.get('status') === 'closed' || (closes !== null && year !== null && closes <= year);
      feature.setStyle(closed ? closedFacility : openFacility);
    }
    sources.catchments.clear();
    sources.catchments.addFeatures(catchments);
    sources.facilities.clear();
    sources.facilities.addFeatures(facilities);
    sources.municipality.clear();
    sources.municipality.addFeatures(read(data.municipality));
    const extent = sources.facilities.getFeatures().length > 1 ? sources.facilities.getExtent() : sources.catchments.getExtent();
    return extent;
  }

  fit(extent: Extent): void {
    const size = this.maps[0]!.getSize();
    if (size) this.view.fit(extent, { size, padding: [24, 24, 24, 24] });
  }

  /** After the containers changed size (side by side ↔ swipe), the maps measure them again. */
  updateSize(): void {
    for (const map of this.maps) map.updateSize();
  }

  dispose(): void {
    for (const map of this.maps) map.setTarget(undefined);
  }
}
