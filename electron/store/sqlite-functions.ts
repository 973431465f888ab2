/**
 * SQL functions the GeoPackage R-tree extension's triggers call. They must be registered on every connection
 * before any insert or update of a feature table, or SQLite refuses the write ("no such function").
 */
import type Database from 'better-sqlite3';
import { geoPackageEnvelope } from '../../shared/geo/gpkg-geometry';

function envelopeOf(blob: unknown): [number, number, number, number] | null {
  return blob instanceof Uint8Array ? geoPackageEnvelope(blob) : null;
}

export function registerGeoPackageFunctions(db: Database.Database): void {
  const options = { deterministic: true, directOnly: false } as const;
  db.function('ST_IsEmpty', options, (blob: unknown) => (envelopeOf(blob) ? 0 : 1));
  db.function('ST_MinX', options, (blob: unknown) => envelopeOf(blob)?.[0] ?? null);
  db.function('ST_MaxX', options, (blob: unknown) => envelopeOf(blob)?.[1] ?? null);
  db.function('ST_MinY', options, (blob: unknown) => envelopeOf(blob)?.[2] ?? null);
  db.function('ST_MaxY', options, (blob: unknown) => envelopeOf(blob)?.[3] ?? null);
}
