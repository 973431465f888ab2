import { ensureSpatialRefSys, registerAttributesTable, registerFeatureTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * The service-network layers: facilities (points), catchments, demand units and the municipal boundary
 * (multipolygons), facility capacities per service, population per unit × year × age 0–15, data sources.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'network-layers',
  up(db, { epsg }) {
    ensureSpatialRefSys(db, epsg);
    db.prepare("INSERT INTO verkosto_settings (key, value) VALUES ('project.epsg', ?)").run(JSON.stringify(epsg));
    db.exec(`
CREATE TABLE facilities (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom POINT,
  code TEXT,
  name_fi TEXT NOT NULL,
  name_sv TEXT,
  facility_kind TEXT NOT NULL DEFAULT 'school' CHECK (facility_kind IN ('school', 'daycare')),
  language TEXT NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'planned', 'closing', 'closed')),
  opens_year INTEGER,
  closes_year INTEGER,
  address TEXT,
  floor_area_m2 REAL,
  year_built INTEGER,
  condition INTEGER CHECK (condition BETWEEN 1 AND 5),
  renovation_need_eur REAL,
  operating_cost_eur REAL,
  investment_need_eur REAL,
  illustrative INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE catchments (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom MULTIPOLYGON,
  name TEXT NOT NULL,
  service TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv')),
  facility_fid INTEGER,
  origin TEXT NOT NULL DEFAULT 'drawn' CHECK (origin IN ('generated', 'imported', 'drawn')),
  locked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX catchments_facility ON catchments (facility_fid);
CREATE TABLE demand_units (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom MULTIPOLYGON,
  code TEXT NOT NULL,
  name TEXT,
  unit_kind TEXT NOT NULL,
  population_total REAL,
  population_year INTEGER
);
CREATE INDEX demand_units_kind_code ON demand_units (unit_kind, code);
CREATE TABLE municipality (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom MULTIPOLYGON,
  code TEXT NOT NULL,
  name_fi TEXT NOT NULL,
  name_sv TEXT
);
CREATE TABLE facility_services (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  facility_fid INTEGER NOT NULL,
  service TEXT NOT NULL,
  capacity INTEGER,
  enrolment INTEGER,
  UNIQUE (facility_fid, service)
);
CREATE TABLE demand_population (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  unit_fid INTEGER NOT NULL,
  year INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('observed', 'estimated', 'forecast')),
  total REAL,
  ${Array.from({ length: 16 }, (_, age) => `age_${age} REAL`).join(',\n  ')},
  UNIQUE (unit_fid, year)
);
CREATE TABLE verkosto_data_sources (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  source_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  publisher TEXT NOT NULL,
  licence TEXT NOT NULL,
  url TEXT,
  retrieved TEXT,
  layers TEXT NOT NULL,
  note TEXT
);`);
    registerFeatureTable(db, { table: 'facilities', identifier: 'Facilities', geometryType: 'POINT', srsId: epsg, description: 'Schools and daycares (toimipisteet)' });
    registerFeatureTable(db, { table: 'catchments', identifier: 'Catchments', geometryType: 'MULTIPOLYGON', srsId: epsg, description: 'Catchment areas (oppilaaksiottoalueet) per service and language' });
    registerFeatureTable(db, { table: 'demand_units', identifier: 'Demand units', geometryType: 'MULTIPOLYGON', srsId: epsg, description: 'Small areas and grid cells where children live' });
    registerFeatureTable(db, { table: 'municipality', identifier: 'Municipality', geometryType: 'MULTIPOLYGON', srsId: epsg, description: 'Municipal boundary the catchments should tile' });
    registerAttributesTable(db, 'facility_services', 'Capacity and enrolment per facility and service');
    registerAttributesTable(db, 'demand_population', 'Residents per demand unit and year by single-year age 0-15');
    registerAttributesTable(db, 'verkosto_data_sources', 'Sources, publishers and licences of the data in this project');
  },
};
