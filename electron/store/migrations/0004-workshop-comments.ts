import { registerFeatureTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/** Comment pins left on the map in a workshop: text, author, time, scenario; the facilitator may hide them. */
export const migration0004: Migration = {
  version: 4,
  name: 'workshop-comments',
  up(db, { epsg }) {
    db.exec(`
CREATE TABLE comments (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom POINT,
  text TEXT NOT NULL,
  author TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  scenario TEXT,
  hidden INTEGER NOT NULL DEFAULT 0
);`);
    registerFeatureTable(db, { table: 'comments', identifier: 'Workshop comments', geometryType: 'POINT', srsId: epsg, description: 'Comments left on the map by workshop participants' });
  },
};
