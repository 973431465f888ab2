/**
 * A network source configured with an area (`options.bbox`, [minX, minY, maxX, maxY] in `options.bboxEpsg`,
 * e.g. the map view the user imported from): every read asks the service for that box only, in the layer's
 * own CRS, so an import and every later sync read the same area.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature } from '../../../../../shared/import/feature-source';
import type { StoredSourceConfig } from '../../../../../shared/import/types';
import { envelopeOf } from '../../../../../shared/geo/geometry';
import { createTransform } from '../../geometry-checks';

const meets = (a: Box, b: Box): boolean => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

export type Box = [number, number, number, number];

export function configuredBbox(config: StoredSourceConfig): { box: Box; epsg: number } | null {
  const box = config.options.bbox;
  const epsg = Number(config.options.bboxEpsg);
  if (!Array.isArray(box) || box.length !== 4 || !box.every((value) => typeof value === 'number' && Number.isFinite(value)) || !Number.isInteger(epsg)) return null;
  return { box: box as Box, epsg };
}

/** The box in another CRS: the envelope of its corners and edge midpoints, transformed. */
export function transformBox(box: Box, fromEpsg: number, toEpsg: number): Box {
  return fromEpsg === toEpsg ? box : boxThrough(createTransform(fromEpsg, toEpsg), box);
}

function boxThrough(transform: (position: [number, number]) => number[], box: Box): Box {
  const [minX, minY, maxX, maxY] = box;
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  const points = [[minX, minY], [midX, minY], [maxX, minY], [maxX, midY], [maxX, maxY], [midX, maxY], [minX, maxY], [minX, midY]].map(([x, y]) => transform([x!, y!]));
  return [Math.min(...points.map((p) => p[0]!)), Math.min(...points.map((p) => p[1]!)), Math.max(...points.map((p) => p[0]!)), Math.max(...points.map((p) => p[1]!))];
}

export function withConfiguredBbox(source: FeatureSource, config: StoredSourceConfig): FeatureSource {
  const area = configuredBbox(config);
  if (!area) return source;
  return {
    description: `${source.description} (bbox ${area.box.map((value) => Math.round(value)).join(',')} EPSG:${area.epsg})`,
    listLayers: (options?: ReadOptions) => source.listLayers(options),
    async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
      if (options.bbox) {
        yield* source.readFeatures(layer, options);
        return;
      }
      const info = (await source.listLayers({ signal: options.signal })).find((candidate) => candidate.name === layer);
      const layerEpsg = info?.epsg ?? 4326;
      let box: Box;
      try {
        box = transformBox(area.box, area.epsg, layerEpsg);
      } catch {
        throw new VerkostoError('importCrsUnsupported', { source: source.description, crs: `EPSG:${layerEpsg}` });
      }
      // The service filters by the box in its own CRS, whose envelope is larger than the area asked for;
      // features whose envelope misses the area itself are left out, so exactly the area is imported.
      const back = layerEpsg === area.epsg ? null : createTransform(layerEpsg, area.epsg);
      for await (const feature of source.readFeatures(layer, { ...options, bbox: box })) {
        const envelope = feature.geometry && back ? envelopeOf(feature.geometry) : null;
        if (!envelope || meets(boxThrough(back!, [envelope.minX, envelope.minY, envelope.maxX, envelope.maxY]), area.box)) yield feature;
      }
    },
  };
}
