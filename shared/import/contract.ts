/**
 * The import/sync/export part of the host contract: argument schemas (zod, validated on the host side
 * by the dispatcher like every other method) and result types. Wired into contract/schemas.ts,
 * method-names.ts and host-api.ts.
 */
import { z } from 'zod';
import { LAYER_IDS, type LayerId } from '../domain/project';
import type { EditResult } from '../domain/commands';
import type { ErrorPayload } from '../errors';
import type { Geometry } from '../geo/geometry';
import type { SourceLayerInfo } from './feature-source';
import type { FieldMapping, ImportIssue, ImportProgress, ImportResult, NetworkSourceKind, ScalarValue, SourceKind, StoredSource, SyncPlan } from './types';
import { EXPORT_FORMATS, NETWORK_SOURCE_KINDS } from './types';

/** Uploads are bounded: 512 MB per file, chunks of at most 512 KiB (base64 fits the 1 MB message cap). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const UPLOAD_CHUNK_BYTES = 512 * 1024;

const layer = z.enum(LAYER_IDS);
const scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
const uploadId = z.string().regex(/^[a-f0-9]{32}$/);
/** A network service opened with importConnectService (the "From a service" path of the import dialog). */
const serviceId = z.string().regex(/^[a-f0-9]{32}$/);
const serviceUrl = z.string().max(2000).url().refine((url) => /^https?:\/\//i.test(url), 'an http(s) address');
/** An upload (a file) or a service, exactly one of them. */
const oneSource = <T extends { uploadId?: string; serviceId?: string }>(args: T) => (args.uploadId === undefined) !== (args.serviceId === undefined);
const oneSourceMessage = 'either uploadId or serviceId';
const epsg = z.number().int().min(1024).max(32767);
/** A layer column to match existing features on (e.g. `code`): the host checks it against the layer. */
const matchOn = z.string().regex(/^[a-z_][a-z0-9_]{0,60}$/).nullable();

export const fieldMappingSchema = z
  .object({
    name: z.string().min(1).max(100),
    targetLayer: layer,
    fields: z.record(
      z.string().max(100),
      z.object({ source: z.string().max(200).optional(), constant: scalar.optional(), valueMap: z.record(z.string().max(200), scalar).optional() }).strict(),
    ),
  })
  .strict();

export const readerOptionsSchema = z
  .object({
    encoding: z.string().max(40).nullable().optional(),
    delimiter: z.string().max(1).nullable().optional(),
    coordinates: z.object({ kind: z.enum(['xy', 'lonlat', 'wkt']), x: z.string().max(200).optional(), y: z.string().max(200).optional(), wkt: z.string().max(200).optional() }).strict().nullable().optional(),
    idField: z.string().max(200).nullable().optional(),
    sheet: z.string().max(200).nullable().optional(),
  })
  .strict();

const sourceDetails = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/),
    title: z.string().min(1).max(300),
    publisher: z.string().max(300).nullable(),
    licence: z.string().max(300).nullable(),
    attribution: z.string().max(500).nullable(),
  })
  .strict();

export const IMPORT_ARGUMENT_SCHEMAS = {
  importBeginUpload: z.object({ name: z.string().min(1).max(255).refine((n) => !/[\\/\0]/.test(n), 'a file name, not a path'), size: z.number().int().min(0).max(MAX_UPLOAD_BYTES) }).strict(),
  importAppendUpload: z.object({ uploadId, offset: z.number().int().min(0).max(MAX_UPLOAD_BYTES), data: z.string().max(Math.ceil((UPLOAD_CHUNK_BYTES * 4) / 3) + 4) }).strict(),
  importListPresets: z.object({}).strict(),
  /** A population projection table of an opened PxWeb service, stored as the project's forecast. */
  importForecastFromService: z.object({ serviceId, layer: z.string().max(300) }).strict(),
  /** `requestId` (the caller's): importCancel({ jobId: requestId }) stops a connection that takes long. */
  importConnectService: z
    .object({ kind: z.enum(NETWORK_SOURCE_KINDS), url: serviceUrl.nullable(), presetId: z.string().regex(/^[a-z0-9-]{1,100}$/).nullable(), requestId: z.string().regex(/^[a-f0-9]{32}$/).optional() })
    .strict()
    .refine((args) => args.url !== null || args.presetId !== null, 'a URL or a preset'),
  /** `layer`: the source layer to sample (a service's layer; a file's first layer when absent). */
  importInspect: z
    .object({
      uploadId: uploadId.optional(),
      serviceId: serviceId.optional(),
      layer: z.string().max(300).optional(),
      targetLayer: layer,
      options: readerOptionsSchema.optional(),
      epsg: epsg.nullable().optional(),
      /** A service only: read just this box, [minX, minY, maxX, maxY] in the project CRS (the map view); null = all. */
      bbox: z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]).refine(([minX, minY, maxX, maxY]) => minX < maxX && minY < maxY, 'an empty box').nullable().optional(),
    })
    .strict()
    .refine(oneSource, oneSourceMessage),
  importPreview: z
    .object({ uploadId: uploadId.optional(), serviceId: serviceId.optional(), layer: z.string().max(300), mapping: fieldMappingSchema, options: readerOptionsSchema.optional(), epsg: epsg.nullable().optional(), swapAxes: z.boolean().optional(), matchOn: matchOn.optional() })
    .strict()
    .refine(oneSource, oneSourceMessage),
  importStart: z
    .object({
      uploadId: uploadId.optional(),
      serviceId: serviceId.optional(),
      layer: z.string().max(300),
      mapping: fieldMappingSchema,
      options: readerOptionsSchema.optional(),
      epsg: epsg.nullable().optional(),
      swapAxes: z.boolean().optional(),
      skipInvalid: z.boolean().optional(),
      matchOn: matchOn.optional(),
      /** Replace the target layer's features and their sources in the same command (residential points, feedback). */
      replaceExisting: z.boolean().optional(),
      source: sourceDetails,
    })
    .strict()
    .refine(oneSource, oneSourceMessage),
  importCancel: z.object({ jobId: z.string().regex(/^[a-f0-9]{32}$/) }).strict(),
  importListSources: z.object({}).strict(),
  importListMappings: z.object({}).strict(),
  importPreviewSync: z.object({ sourceId: z.string().min(1).max(100), uploadId: uploadId.optional() }).strict(),
  importApplySync: z.object({ planId: z.string().min(1).max(200), resolutions: z.record(z.string().max(300), z.enum(['keepLocal', 'takeSource'])) }).strict(),
  importSourceStatus: z.object({ sourceId: z.string().min(1).max(100) }).strict(),
  exportLayer: z.object({ layer, path: z.string().min(1).max(4096).refine((p) => !p.includes('\0')), format: z.enum(EXPORT_FORMATS).optional(), overwrite: z.boolean().optional() }).strict(),
} as const;

/** A target attribute as the mapping dialog shows it: name, type and whether it must be filled. */
export interface TargetSpec {
  target: string;
  type: 'text' | 'integer' | 'real' | 'enum';
  required: boolean;
  values: string[] | null;
}

export interface ImportInspection {
  /** The upload inspected, or null for a service (then `serviceId`). */
  uploadId: string | null;
  serviceId?: string | null;
  /** The file's name, or the service layer's title. */
  fileName: string;
  kind: SourceKind;
  layers: SourceLayerInfo[];
  /** The first rows of the first layer, for the mapping dialog. */
  sample: Record<string, ScalarValue>[];
  targets: TargetSpec[];
  suggestion: FieldMapping;
  mappings: FieldMapping[];
}

/** A preset as the import dialog lists it; its title is the i18n key `networkPresets.titles.<id>`. */
export interface NetworkPresetInfo {
  id: string;
  city: 'helsinki' | 'espoo' | 'vantaa' | 'turku' | 'kuopio' | 'statfi';
  kind: NetworkSourceKind;
  url: string;
  /** '' = the user picks the layer from the service's list. */
  layer: string;
  /** Null: the source has no Verkosto layer to go to yet. */
  targetLayer: LayerId | null;
  epsg: number | null;
  publisher: string;
  licence: string;
  attribution: string;
  verified: boolean;
}

export interface ProjectionForecastResult {
  fromYear: number;
  toYear: number;
  rows: number;
  /** The municipality the projection was read for (e.g. KU091). */
  area: string;
  baseYear: number;
}

/** An opened service: its layers (WFS feature types, OGC API collections, a register's queries). */
export interface ServiceConnectionInfo {
  serviceId: string;
  kind: NetworkSourceKind;
  url: string;
  presetId: string | null;
  /** The preset's layer, preselected ('' = none). */
  layer: string;
  layers: SourceLayerInfo[];
}

export interface PreviewFeature {
  sourceId: string;
  geometry: Geometry | null;
  values: Record<string, ScalarValue>;
}

export interface ImportPreview {
  featuresRead: number;
  /** Mapped features in the project CRS (the first ones), for the map preview. */
  features: PreviewFeature[];
  /** Per target: how many values converted, how many failed and one failing example. */
  fieldChecks: Record<string, { ok: number; bad: number; example: string | null }>;
  issues: ImportIssue[];
  /** The error the import would stop with (null when it would succeed). */
  error: ErrorPayload | null;
  sourceEpsg: number | null;
}

export interface ExportSummary {
  file: string;
  features: number;
  epsg: number;
  renamedColumns: Record<string, string>;
}

/** A stored source's reachability: `reason` (sourceOffline, sourceTimeout, …) says why sync is unavailable. */
export interface SourceStatus {
  sourceId: string;
  online: boolean;
  reason: ErrorPayload | null;
}

export interface ImportEvents {
  importProgress: { jobId: string; progress: ImportProgress };
  importFinished: { jobId: string; result: ImportResult | null; error: ErrorPayload | null; edit: EditResult | null };
}

export interface ImportHostApi {
  importBeginUpload(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importBeginUpload>): Promise<{ uploadId: string }>;
  importAppendUpload(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importAppendUpload>): Promise<{ received: number }>;
  importListPresets(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importListPresets>): Promise<NetworkPresetInfo[]>;
  /** Opens a network service and lists its layers; errors name the server and the problem (offline, HTTP 500, …). */
  importConnectService(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importConnectService>): Promise<ServiceConnectionInfo>;
  /** Reads a projection table (PxWeb) and stores it as the forecast of the demand units, one undoable step. */
  importForecastFromService(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importForecastFromService>): Promise<ProjectionForecastResult>;
  importInspect(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importInspect>): Promise<ImportInspection>;
  importPreview(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importPreview>): Promise<ImportPreview>;
  /** Starts an import job: progress arrives as importProgress events, the end as importFinished. */
  importStart(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importStart>): Promise<{ jobId: string }>;
  importCancel(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importCancel>): Promise<void>;
  importListSources(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importListSources>): Promise<StoredSource[]>;
  importListMappings(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importListMappings>): Promise<FieldMapping[]>;
  /** Reads a stored source again and returns what a sync would change. Writes nothing. */
  importPreviewSync(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importPreviewSync>): Promise<SyncPlan>;
  importApplySync(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importApplySync>): Promise<EditResult>;
  /** Whether a stored network source can be reached now; sync is offered only when it can (part B). */
  importSourceStatus(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.importSourceStatus>): Promise<SourceStatus>;
  exportLayer(args: z.infer<typeof IMPORT_ARGUMENT_SCHEMAS.exportLayer>): Promise<ExportSummary>;
}

// The method and event names are listed once, in shared/contract/method-names.ts.
