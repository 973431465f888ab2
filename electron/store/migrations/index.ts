import { migration0001 } from './0001-geopackage-core';
import { migration0002 } from './0002-network-layers';
import { migration0003 } from './0003-edit-log';
import { migration0004 } from './0004-workshop-comments';
import { migration0005 } from './0005-import-sources';
import { migration0006 } from './0006-catchment-units';
import { migration0007 } from './0007-scenarios';
import { migration0008 } from './0008-feedback';
import { migration0009 } from './0009-analysis-inputs';
import { migration0010 } from './0010-capacity-changes';
import type { Migration } from './migration';

/** Every migration in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010];

/** The newest schema this build of Verkosto writes and understands. */
export const CURRENT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
