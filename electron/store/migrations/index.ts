import { migration0001 } from './0001-geopackage-core';
import { migration0002 } from './0002-network-layers';
import { migration0003 } from './0003-edit-log';
import type { Migration } from './migration';

/** Every migration in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003];

/** The newest schema this build of Verkosto writes and understands. */
export const CURRENT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
