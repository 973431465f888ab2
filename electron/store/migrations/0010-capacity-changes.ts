import type { Migration } from './migration';

/**
 * A planned change of a facility's capacity from a given year (an extension opens in 2028, a temporary
 * pavilion is removed in 2031): `capacity` holds until `capacity_change_year`, `capacity_after_change`
 * from that year on. One change per facility and service, so every reader of `capacity` stays correct
 * for the years before it; a scenario keeps its own values like any other row.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'capacity-changes',
  up(db) {
    db.exec(`
ALTER TABLE facility_services ADD COLUMN capacity_change_year INTEGER CHECK (capacity_change_year IS NULL OR capacity_change_year BETWEEN 1900 AND 2200);
ALTER TABLE facility_services ADD COLUMN capacity_after_change INTEGER CHECK (capacity_after_change IS NULL OR capacity_after_change >= 0);`);
  },
};
