import type Database from 'better-sqlite3';

/** What a migration may need to know about the project it upgrades. */
export interface MigrationContext {
  /** EPSG code of the project CRS (chosen at creation, later read from verkosto_settings). */
  epsg: number;
}

/**
 * One numbered, append-only schema step. Never edit a released migration: add a new one.
 * Checklist for a new table: migration, column list in layer-tables.ts (if a layer), patch support in
 * apply-patch.ts (if commands touch it), its own migration test, and the README's file-format section.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database, context: MigrationContext): void;
}
