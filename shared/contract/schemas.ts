/**
 * Argument schemas of the host contract. The host validates every call against these before any service
 * sees it (Electron IPC and WebSocket alike), so a compromised or buggy renderer cannot pass odd values on.
 */
import { z } from 'zod';
import { DEMAND_SERVICES } from '../analysis/settings';
import type { HostMethodName } from './method-names';
import { IMPORT_ARGUMENT_SCHEMAS } from '../import/contract';
import { FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES, LAYER_IDS } from '../domain/project';
import { catchmentSetSchema, editingCommandSchemas } from './editing-schemas';

const finite = z.number().finite();
const position = z.tuple([finite, finite]).or(z.tuple([finite, finite, finite]));

/** A file path as the user chose it: bounded, no NUL bytes; the host decides where it may point. */
export const projectPathSchema = z.string().min(1).max(4096).refine((path) => !path.includes('\0'), 'NUL in path');

export const layerIdSchema = z.enum(LAYER_IDS);

export const epsgSchema = z.number().int().min(1024).max(32767);

const facilityChangesSchema = z
  .object({
    code: z.string().max(100).nullable(),
    name_fi: z.string().min(1).max(200),
    name_sv: z.string().max(200).nullable(),
    facility_kind: z.enum(FACILITY_KINDS),
    language: z.enum(LANGUAGES),
    status: z.enum(FACILITY_STATUSES),
    opens_year: z.number().int().min(1800).max(2200).nullable(),
    closes_year: z.number().int().min(1800).max(2200).nullable(),
    address: z.string().max(300).nullable(),
    floor_area_m2: z.number().finite().min(0).nullable(),
    year_built: z.number().int().min(1000).max(2200).nullable(),
    condition: z.number().int().min(1).max(5).nullable(),
    renovation_need_eur: z.number().finite().min(0).nullable(),
    operating_cost_eur: z.number().finite().min(0).nullable(),
    investment_need_eur: z.number().finite().min(0).nullable(),
    illustrative: z.number().int().min(0).max(1),
  })
  .partial()
  .strict();

/** Participant text is bounded here and rendered as text (never HTML) by the renderer. */
const commentTextSchema = z.string().trim().min(1).max(500);
const commentAuthorSchema = z.string().trim().max(60);

const nullableFinite = finite.nullable();

/**
 * What participants see of the analysis: network totals of the whole city and each catchment's utilisation
 * band and ratio — never a count of children per area, so small counts cannot leak to the room.
 */
const liveAnalysisSchema = z
  .object({
    year: z.number().int().min(1900).max(2200),
    service: z.enum(DEMAND_SERVICES),
    mapMode: z.enum(['utilisation', 'demand', 'change', 'none']),
    network: z.object({ users: nullableFinite, capacity: nullableFinite, utilisation: nullableFinite, overLimitShare: nullableFinite, costPerUser: nullableFinite, shortfall: nullableFinite }).strict(),
    catchments: z.array(z.object({ fid: z.number().int().positive(), band: z.enum(['green', 'yellow', 'red']).nullable(), utilisation: nullableFinite }).strict()).max(50_000),
  })
  .strict();

const settingValueSchema = z.union([z.string().max(10_000), finite, z.boolean(), z.null()]);

export const commandSchema = z.discriminatedUnion('type', [
  ...editingCommandSchemas,
  z.object({ type: z.literal('facility.update'), fid: z.number().int().positive(), changes: facilityChangesSchema }).strict(),
  z.object({ type: z.literal('facility.move'), fid: z.number().int().positive(), geometry: z.object({ type: z.literal('Point'), coordinates: position }).strict() }).strict(),
  z.object({ type: z.literal('setting.set'), key: z.string().regex(/^[a-z][a-zA-Z0-9_.]{0,99}$/), value: settingValueSchema }).strict(),
  z.object({ type: z.literal('comment.add'), geometry: z.object({ type: z.literal('Point'), coordinates: position }).strict(), text: commentTextSchema, author: commentAuthorSchema, scenario: z.string().max(100).nullable() }).strict(),
  z.object({ type: z.literal('comment.setHidden'), fid: z.number().int().positive(), hidden: z.boolean() }).strict(),
]);

const empty = z.object({}).strict();
const scenarioNameSchema = z.string().trim().min(1).max(120);
/** 0 is the baseline. */
const scenarioFidSchema = z.number().int().min(0);

/** One schema per contract method: the single list both transports validate against. */
export const ARGUMENT_SCHEMAS = {
  getHostInfo: empty,
  listRecentProjects: empty,
  listProjectFiles: empty,
  chooseProjectFile: z.object({ purpose: z.enum(['open', 'create', 'saveAs']) }).strict(),
  createProject: z.object({ path: projectPathSchema, epsg: epsgSchema, name: z.string().min(1).max(200).optional() }).strict(),
  openProject: z.object({ path: projectPathSchema }).strict(),
  openSampleProject: empty,
  closeProject: empty,
  saveProjectAs: z.object({ path: projectPathSchema }).strict(),
  getProjectSummary: empty,
  /** scenarioFid: read another scenario's features without switching to it (comparison maps). */
  getLayerFeatures: z.object({ layer: layerIdSchema, scenarioFid: z.number().int().min(0).optional() }).strict(),
  getFeature: z.object({ layer: layerIdSchema, fid: z.number().int().positive() }).strict(),
  getDataSources: empty,
  runCommand: z.object({ command: commandSchema }).strict(),
  undo: empty,
  redo: empty,
  getPaintContext: empty,
  exportUnitAssignments: catchmentSetSchema,
  importUnitAssignments: z.object({ service: catchmentSetSchema.shape.service, language: catchmentSetSchema.shape.language, csv: z.string().min(1).max(900_000) }).strict(),
  listShareAddresses: empty,
  startSharing: z.object({ address: z.string().min(2).max(64).regex(/^[0-9a-fA-F.:]+$/), allowComments: z.boolean(), port: z.number().int().min(0).max(65535).optional() }).strict(),
  stopSharing: empty,
  getSharingStatus: empty,
  publishView: z
    .object({
      center: z.tuple([finite, finite]),
      resolution: finite.positive(),
      rotation: finite.optional(),
      visibleLayers: z.record(z.string().max(40), z.boolean()).optional(),
      catchmentSet: z.string().max(60).nullable().optional(),
      year: z.number().int().min(1900).max(2200).nullable().optional(),
      selected: z.object({ layer: z.string().max(40), fid: z.number().int().positive() }).strict().nullable().optional(),
      analysis: liveAnalysisSchema.nullable().optional(),
    })
    .strict(),
  getLiveView: empty,
  postComment: z.object({ x: finite, y: finite, text: commentTextSchema, author: commentAuthorSchema }).strict(),
  listComments: z.object({ includeHidden: z.boolean().optional() }).strict(),
  listScenarios: empty,
  createScenario: z.object({ name: scenarioNameSchema, parentFid: scenarioFidSchema }).strict(),
  renameScenario: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0), name: scenarioNameSchema }).strict(),
  duplicateScenario: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0), name: scenarioNameSchema }).strict(),
  deleteScenario: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0) }).strict(),
  setScenarioLocked: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0), locked: z.boolean() }).strict(),
  switchScenario: z.object({ fid: scenarioFidSchema }).strict(),
  getScenarioChanges: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0) }).strict(),
  promoteScenario: z.object({ fid: scenarioFidSchema.refine((fid) => fid > 0) }).strict(),
  exportScenarioReport: z
    .object({ fid: scenarioFidSchema, format: z.enum(['pdf', 'xlsx']), service: z.enum(DEMAND_SERVICES), years: z.array(z.number().int().min(1900).max(2200)).max(30).nullable(), language: z.enum(['fi', 'sv', 'en']) })
    .strict(),
  compareScenarios: z.object({ a: scenarioFidSchema, b: scenarioFidSchema, service: z.enum(DEMAND_SERVICES), year: z.number().int().min(1900).max(2200).nullable() }).strict(),
  getAnalysisData: empty,
  // The rows an edit touched (EditResult.touchedKeys): fids of catchments, facilities and facility_services rows.
  getAnalysisChanges: z
    .object({
      catchments: z.array(z.number().int().positive()).max(200_000),
      facilities: z.array(z.number().int().positive()).max(200_000),
      capacityRows: z.array(z.number().int().positive()).max(200_000),
      settings: z.boolean(),
    })
    .strict(),
  runForecast: z.object({ method: z.enum(['cohort', 'hamilton-perry']), toYear: z.number().int().min(1900).max(2200).optional() }).strict(),
  // A forecast job: an imported table arrives first as an upload (importBeginUpload / importAppendUpload).
  forecastStart: z
    .object({ method: z.enum(['cohort', 'hamilton-perry', 'import']), toYear: z.number().int().min(1900).max(2200).optional(), uploadId: z.string().regex(/^[0-9a-f]{32}$/).optional() })
    .strict()
    .refine((args) => args.method !== 'import' || args.uploadId !== undefined, { message: 'an imported forecast needs uploadId' }),
  forecastCancel: z.object({ jobId: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
  ...IMPORT_ARGUMENT_SCHEMAS,
} as const satisfies Record<HostMethodName, z.ZodType>;

export type MethodName = keyof typeof ARGUMENT_SCHEMAS;
export type MethodArgs<M extends MethodName> = z.infer<(typeof ARGUMENT_SCHEMAS)[M]>;
