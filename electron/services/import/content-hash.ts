/**
 * The content hash of an imported feature: SHA-256 over its geometry in the project CRS (rounded, see
 * roundGeometry) and the values of the targets its mapping writes, in a canonical order. The same hash is
 * computed from the project's row, so "edited locally" and "changed at the source" are both hash compares.
 */
import { createHash } from 'node:crypto';
import type { Geometry } from '../../../shared/geo/geometry';
import type { ScalarValue } from '../../../shared/import/types';

function canonicalValue(value: ScalarValue | undefined): ScalarValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function contentHash(geometry: Geometry | null, values: Record<string, ScalarValue>, targets: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(geometry ? [geometry.type, geometry.coordinates] : null));
  hash.update(JSON.stringify(targets.map((target) => [target, canonicalValue(values[target])])));
  return hash.digest('hex').slice(0, 32);
}
