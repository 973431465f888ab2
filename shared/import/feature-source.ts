/**
 * What every import source (a file format or a network service) gives the import pipeline: a description
 * and a stream of features with their source ids, in the source's own CRS. Readers live on the host side
 * (electron/services/import/readers/); the pipeline (mapping, reprojection, checks, staging, sync) is
 * shared by all of them. Pure types: no Node, DOM or SQLite here.
 */
import type { Geometry } from '../geo/geometry';

/** One feature as a source delivered it, before any mapping or reprojection. */
export interface SourceFeature {
  /** The source's own stable id (WFS gml:id / feature id, OGC API id, a register's unit id, a row number as last resort). */
  sourceId: string;
  /** Null for rows without geometry (e.g. a CSV with no coordinates, a register unit without location). */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** A field of a source layer as declared or inferred. */
export interface SourceField {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'unknown';
}

/** What a source says about one of its layers before features are read. */
export interface SourceLayerInfo {
  /** Layer name within the source (WFS typeName, OGC API collection id, file layer, "default"). */
  name: string;
  title: string | null;
  /** EPSG code of the coordinates the reader will deliver, or null when the source does not say. */
  epsg: number | null;
  /** True when the reader knows the axes are latitude, longitude (EPSG:4326 in WFS 2.0/GML 3.2). */
  latitudeFirst: boolean;
  fields: SourceField[];
  /** Number of features when the source tells it cheaply (WFS numberMatched, OGC API numberMatched). */
  featureCount: number | null;
  /** [minX, minY, maxX, maxY] in `epsg`, when known. */
  extent: [number, number, number, number] | null;
  /**
   * Table sources (CSV, XLSX): true when no coordinate columns were recognised, so the user must name
   * them (x/y, lon/lat or WKT) before the layer can be read. Absent for every other source.
   */
  needsCoordinates?: boolean;
}

/** Progress of a long read, for the progress bar. */
export interface ReadProgress {
  featuresRead: number;
  /** Total when known, else null (the bar then shows features read). */
  featuresTotal: number | null;
  bytesRead: number | null;
  bytesTotal: number | null;
}

/** The part of AbortSignal readers use (shared/ has no DOM or Node types; a real AbortSignal fits). */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The signal every reader honours: an aborted read stops promptly and throws an AbortError. */
export interface ReadOptions {
  signal?: CancelSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Restrict to a bounding box in the layer's CRS where the source can filter (WFS/OGC API bbox). */
  bbox?: [number, number, number, number];
}

/** A readable source: list its layers, then stream the features of one. */
export interface FeatureSource {
  /** Human description for messages and provenance, e.g. "WFS 2.0 https://kartta.hel.fi/… avoindata:Opev_ooa_alaaste_suomi". */
  readonly description: string;
  listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]>;
  readFeatures(layer: string, options?: ReadOptions): AsyncIterable<SourceFeature>;
}
