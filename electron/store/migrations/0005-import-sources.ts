import { registerAttributesTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * Import provenance: the configured sources (kind, url/file, layer, mapping, licence, last sync), the
 * named field mappings, and one snapshot row per imported feature (source id, source feature id, content
 * hash, retrieval time, target layer and local fid) against which a re-sync finds what changed.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'import-sources',
  up(db) {
    db.exec(`
CREATE TABLE import_sources (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  source_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT,
  file TEXT,
  layer TEXT NOT NULL,
  target_layer TEXT NOT NULL,
  mapping_name TEXT,
  publisher TEXT,
  licence TEXT,
  attribution TEXT,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sync_at TEXT
);
CREATE TABLE import_mappings (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  target_layer TEXT NOT NULL,
  fields TEXT NOT NULL
);
CREATE TABLE import_snapshots (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  source_id TEXT NOT NULL,
  source_feature_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  retrieved_at TEXT NOT NULL,
  target_layer TEXT NOT NULL,
  local_fid INTEGER,
  UNIQUE (source_id, source_feature_id)
);
CREATE INDEX import_snapshots_local ON import_snapshots (target_layer, local_fid);`);
    registerAttributesTable(db, 'import_sources', 'Verkosto: configured import sources with provenance and last sync');
    registerAttributesTable(db, 'import_mappings', 'Verkosto: named field mappings (source fields to Verkosto attributes)');
    registerAttributesTable(db, 'import_snapshots', 'Verkosto: per imported feature its source id, content hash and retrieval time');
  },
};
