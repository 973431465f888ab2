/**
 * Opens a file as a FeatureSource by its extension (and magic bytes where the extension lies), with the
 * reader options stored in a source configuration.
 */
import path from 'node:path';
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource } from '../../../../../shared/import/feature-source';
import type { CoordinateColumns, FileSourceKind } from '../../../../../shared/import/types';
import { CsvFileSource } from './csv-reader';
import { allZero, fileLabel, fileSize, readHead } from './file-utils';
import { FlatGeobufSource } from './flatgeobuf-reader';
import { GeoJsonFileSource } from './geojson-reader';
import { GeoPackageFileSource } from './gpkg-reader';
import { GmlFileSource } from './gml-reader';
import { KmlFileSource } from './kml-reader';
import { ShapefileSource } from './shapefile-reader';
import { XlsxFileSource } from './xlsx-reader';

export interface FileReaderOptions {
  encoding?: string | null;
  delimiter?: string | null;
  coordinates?: CoordinateColumns | null;
  epsg?: number | null;
  idField?: string | null;
  sheet?: string | null;
}

/** The file kind by extension; null when Verkosto cannot read it. */
export function fileKindOf(file: string): FileSourceKind | null {
  const extension = path.extname(file).toLowerCase();
  switch (extension) {
    case '.geojson':
    case '.json':
      return 'geojson';
    case '.gpkg':
      return 'gpkg';
    case '.shp':
    case '.zip':
      return 'shapefile';
    case '.csv':
    case '.txt':
    case '.tsv':
      return 'csv';
    case '.xlsx':
    case '.xls':
    case '.ods':
      return 'xlsx';
    case '.kml':
    case '.kmz':
      return 'kml';
    case '.fgb':
      return 'flatgeobuf';
    case '.gml':
    case '.xml':
      return 'gml';
    default:
      return null;
  }
}

export function openFileSource(file: string, options: FileReaderOptions = {}, kind: FileSourceKind | null = fileKindOf(file)): FeatureSource {
  if (!kind) throw new VerkostoError('importUnsupportedFormat', { file: fileLabel(file) });
  fileSize(file);
  const head = readHead(file, 4096);
  if (allZero(head)) throw new VerkostoError('importUnreadable', { source: fileLabel(file), detail: 'the file holds only zero bytes' });
  switch (kind) {
    case 'geojson':
      return new GeoJsonFileSource(file);
    case 'gpkg':
      return new GeoPackageFileSource(file);
    case 'shapefile':
      return new ShapefileSource(file);
    case 'csv':
      return new CsvFileSource(file, { ...options, delimiter: options.delimiter ?? (/\.tsv$/i.test(file) ? '\t' : null) });
    case 'xlsx':
      return new XlsxFileSource(file, options);
    case 'kml':
      return new KmlFileSource(file);
    case 'flatgeobuf':
      return new FlatGeobufSource(file);
    case 'gml':
      return new GmlFileSource(file);
  }
}
