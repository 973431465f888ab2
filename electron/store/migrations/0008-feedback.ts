import { registerFeatureTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/**
 * Residents' feedback as a point layer (the human-centred view beside the service network): what Helsinki's
 * Open311 feedback service gives — the request id, the topic, the text, its status and times, the address.
 * Imported and synced like any other layer; the map shows it when the user turns it on.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'feedback',
  up(db, { epsg }) {
    db.exec(`
CREATE TABLE feedback (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom POINT,
  request_id TEXT,
  service_name TEXT,
  description TEXT,
  status TEXT,
  requested_at TEXT,
  updated_at TEXT,
  address TEXT
);`);
    registerFeatureTable(db, { table: 'feedback', identifier: "Residents' feedback", geometryType: 'POINT', srsId: epsg, description: 'Feedback from residents (e.g. Open311), imported from a city service' });
  },
};
