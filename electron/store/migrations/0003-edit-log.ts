import { registerAttributesTable } from '../geopackage-ddl';
import type { Migration } from './migration';

/** The edit log: every command with its patch and inverse, so undo and redo survive a restart. */
export const migration0003: Migration = {
  version: 3,
  name: 'edit-log',
  up(db) {
    db.exec(`
CREATE TABLE verkosto_edit_log (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  command TEXT NOT NULL,
  patch TEXT NOT NULL,
  inverse TEXT NOT NULL,
  touched TEXT NOT NULL,
  created_at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0
);`);
    registerAttributesTable(db, 'verkosto_edit_log', 'Verkosto: every edit with its inverse (undo history)');
  },
};
