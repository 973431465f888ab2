import { registerFeatureTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * Inputs of the analysis beyond population counts:
 * - `demand_units.swedish_share`: the unit's own share (0–1) of Swedish-speaking residents; where it is
 *   empty the city-wide setting `analysis.swedishShare` applies.
 * - `residential_points`: where people live inside the units (e.g. buildings from a building register), each
 *   with a weight (residents, dwellings or floor area). A unit that straddles a catchment boundary is split
 *   by the weight of its points on each side; a unit without points by area (shared/analysis/overlap.ts).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'analysis-inputs',
  up(db, { epsg }) {
    db.exec(`
ALTER TABLE demand_units ADD COLUMN swedish_share REAL CHECK (swedish_share IS NULL OR (swedish_share >= 0 AND swedish_share <= 1));
CREATE TABLE residential_points (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom POINT,
  weight REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),
  source TEXT
);`);
    registerFeatureTable(db, {
      table: 'residential_points',
      identifier: 'Residential points',
      geometryType: 'POINT',
      srsId: epsg,
      description: 'Where residents live inside the demand units (e.g. buildings), with a weight; splits units on catchment boundaries',
    });
  },
};
