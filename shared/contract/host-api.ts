/**
 * The one contract between the renderer and its host. Electron IPC and the Node WebSocket host both carry
 * exactly these methods and events; the renderer never knows which one it talks to.
 */
import type { ErrorPayload } from '../errors';
import type { KpiRow } from '../analysis/kpi';
import type { DemandService } from '../analysis/settings';
import type { Command, EditResult, SettingValue } from '../domain/commands';
import type { PaintContext } from '../editing/paint';
import type { AnalysisData } from '../analysis/kpi';
import type { AnalysisDelta } from '../analysis/analysis-delta';
import type { DataSource, Feature, FeatureCollection, LayerId } from '../domain/project';
import type { ImportEvents, ImportHostApi } from '../import/contract';
import { HOST_EVENT_NAMES, HOST_METHOD_NAMES } from './method-names';
import { ARGUMENT_SCHEMAS, type MethodArgs, type MethodName } from './schemas';

/** Where the renderer runs: the desktop app, the browser host, or a workshop participant's read-only live view. */
export type HostKind = 'electron' | 'browser' | 'participant';

export interface HostInfo {
  kind: HostKind;
  version: string;
  /** True where the host can show the operating system's file dialogs (Electron). */
  nativeFileDialogs: boolean;
  /** Where "New project" and "Open" look when the host has no native dialogs. */
  projectsDirectory: string | null;
  /** For a workshop participant: whether the facilitator allows comment pins. */
  commentsAllowed?: boolean;
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  /** False when the file has since been moved or deleted. */
  exists: boolean;
}

export interface ProjectFileEntry {
  path: string;
  name: string;
  sizeBytes: number;
  modifiedAt: string;
}

export interface LayerSummary {
  id: LayerId;
  geometryType: 'POINT' | 'MULTIPOLYGON';
  featureCount: number;
  /** [minX, minY, maxX, maxY] in the project CRS, or null for an empty layer. */
  extent: [number, number, number, number] | null;
}

export interface ProjectSummary {
  path: string;
  name: string;
  epsg: number;
  crsName: string;
  schemaVersion: number;
  layers: LayerSummary[];
  /** Unit kinds present in demand_units with their counts, e.g. { small_area: 148, grid_250m: 2065 }. */
  demandUnitKinds: Record<string, number>;
  populationYears: number[];
  settings: Record<string, string | number | boolean | null>;
  canUndo: boolean;
  canRedo: boolean;
}

export interface FeatureDetails {
  feature: Feature;
  /** For a facility: its services and capacities; for a demand unit: its population rows. */
  related: Record<string, unknown>[];
}

/** Every method the renderer may call. Arguments are validated by ARGUMENT_SCHEMAS on the host side. */
export interface HostApi extends ImportHostApi {
  getHostInfo(args: MethodArgs<'getHostInfo'>): Promise<HostInfo>;
  listRecentProjects(args: MethodArgs<'listRecentProjects'>): Promise<RecentProject[]>;
  listProjectFiles(args: MethodArgs<'listProjectFiles'>): Promise<ProjectFileEntry[]>;
  /** Shows the native file dialog where there is one; resolves null when cancelled or unavailable. */
  chooseProjectFile(args: MethodArgs<'chooseProjectFile'>): Promise<string | null>;
  createProject(args: MethodArgs<'createProject'>): Promise<ProjectSummary>;
  openProject(args: MethodArgs<'openProject'>): Promise<ProjectSummary>;
  /** Opens the Helsinki sample project, building it from the shipped open data on first use. */
  openSampleProject(args: MethodArgs<'openSampleProject'>): Promise<ProjectSummary>;
  closeProject(args: MethodArgs<'closeProject'>): Promise<void>;
  /** Copies the open project to a new file with SQLite's backup API and continues there. */
  saveProjectAs(args: MethodArgs<'saveProjectAs'>): Promise<ProjectSummary>;
  getProjectSummary(args: MethodArgs<'getProjectSummary'>): Promise<ProjectSummary | null>;
  getLayerFeatures(args: MethodArgs<'getLayerFeatures'>): Promise<FeatureCollection>;
  getFeature(args: MethodArgs<'getFeature'>): Promise<FeatureDetails>;
  getDataSources(args: MethodArgs<'getDataSources'>): Promise<DataSource[]>;
  runCommand(args: { command: Command }): Promise<EditResult>;
  undo(args: MethodArgs<'undo'>): Promise<EditResult>;
  redo(args: MethodArgs<'redo'>): Promise<EditResult>;
  /** Children per demand unit (latest observed year), capacities and unit assignments: paint-by-units deltas. */
  getPaintContext(args: MethodArgs<'getPaintContext'>): Promise<PaintContext>;
  /** The unit → catchment assignments of one catchment set as CSV. */
  exportUnitAssignments(args: MethodArgs<'exportUnitAssignments'>): Promise<{ fileName: string; csv: string }>;
  /** Assigns units from a CSV (as exported) in one undoable command. */
  importUnitAssignments(args: MethodArgs<'importUnitAssignments'>): Promise<EditResult>;
  /** Interfaces the live view may listen on: loopback first, then this machine's network addresses. */
  listShareAddresses(args: MethodArgs<'listShareAddresses'>): Promise<ShareAddress[]>;
  /** Starts the live view for participants on one interface with a fresh token; off by default. */
  startSharing(args: MethodArgs<'startSharing'>): Promise<SharingStatus>;
  /** Ends sharing and every participant session. */
  stopSharing(args: MethodArgs<'stopSharing'>): Promise<SharingStatus>;
  getSharingStatus(args: MethodArgs<'getSharingStatus'>): Promise<SharingStatus>;
  /** The facilitator's map view, which participants follow. */
  publishView(args: MethodArgs<'publishView'>): Promise<void>;
  getLiveView(args: MethodArgs<'getLiveView'>): Promise<LiveView | null>;
  /** A comment pin (participants, when allowed; the facilitator too). Stored in the project's comments layer. */
  postComment(args: MethodArgs<'postComment'>): Promise<WorkshopComment>;
  listComments(args: MethodArgs<'listComments'>): Promise<WorkshopComment[]>;
  listScenarios(args: MethodArgs<'listScenarios'>): Promise<ScenarioState>;
  /** A new scenario branched from the baseline (parentFid 0) or another scenario; it becomes active. */
  createScenario(args: MethodArgs<'createScenario'>): Promise<ScenarioState>;
  renameScenario(args: MethodArgs<'renameScenario'>): Promise<ScenarioState>;
  duplicateScenario(args: MethodArgs<'duplicateScenario'>): Promise<ScenarioState>;
  deleteScenario(args: MethodArgs<'deleteScenario'>): Promise<ScenarioState>;
  setScenarioLocked(args: MethodArgs<'setScenarioLocked'>): Promise<ScenarioState>;
  /** Makes a scenario (or the baseline, 0) the one the map, the tables and the edits work on. */
  switchScenario(args: MethodArgs<'switchScenario'>): Promise<ScenarioState>;
  getScenarioChanges(args: MethodArgs<'getScenarioChanges'>): Promise<ScenarioChange[]>;
  /** Writes a scenario's changes into the baseline (the renderer asks for confirmation first). */
  promoteScenario(args: MethodArgs<'promoteScenario'>): Promise<ScenarioState>;
  /** KPIs of two scenarios side by side (a and b are scenario fids, 0 = baseline). */
  compareScenarios(args: MethodArgs<'compareScenarios'>): Promise<ScenarioComparison>;
  /** Writes the scenario report (PDF or XLSX) into the projects folder (or beside the project) and says where. */
  exportScenarioReport(args: MethodArgs<'exportScenarioReport'>): Promise<{ path: string; bytes: number; years: number[] }>;
  /** Everything the KPIs depend on (units, catchments, facilities, capacities, population, settings). */
  getAnalysisData(args: MethodArgs<'getAnalysisData'>): Promise<AnalysisData>;
  /** Only the analysis rows an edit touched (from EditResult.touchedKeys): the KPI worker's edit path. */
  getAnalysisChanges(args: MethodArgs<'getAnalysisChanges'>): Promise<AnalysisDelta>;
  /** Computes a population forecast into the project as one undoable command. */
  runForecast(args: MethodArgs<'runForecast'>): Promise<ForecastSummary>;
  /** Starts a forecast job: progress arrives as forecastProgress events, the end as forecastFinished. */
  forecastStart(args: MethodArgs<'forecastStart'>): Promise<{ jobId: string }>;
  /** Stops a running forecast job between steps; the project is left unchanged. */
  forecastCancel(args: MethodArgs<'forecastCancel'>): Promise<void>;
}

/** What a forecast run stored. */
export interface ForecastSummary {
  method: string;
  fromYear: number;
  toYear: number;
  rows: number;
}

export interface ShareAddress {
  address: string;
  /** The interface name, e.g. "lo" or "wlan0". */
  interfaceName: string;
  loopback: boolean;
}

export interface SharingStatus {
  active: boolean;
  /** The participants' address with its token, while sharing. */
  url: string | null;
  /** The same address as an SVG QR code, for the projector. */
  qrSvg: string | null;
  address: string | null;
  allowComments: boolean;
  participants: number;
}

/** What participants follow: the facilitator's map position and what it shows. */
export interface LiveView {
  center: [number, number];
  resolution: number;
  rotation?: number;
  visibleLayers?: Record<string, boolean>;
  catchmentSet?: string | null;
  year?: number | null;
  selected?: { layer: string; fid: number } | null;
  /** The facilitator's analysis as participants may see it: city totals and catchment bands, no counts per area. */
  analysis?: LiveAnalysis | null;
}

export interface LiveAnalysis {
  year: number;
  service: DemandService;
  mapMode: 'utilisation' | 'demand' | 'change' | 'none';
  network: { users: number | null; capacity: number | null; utilisation: number | null; overLimitShare: number | null; costPerUser: number | null; shortfall: number | null };
  catchments: { fid: number; band: 'green' | 'yellow' | 'red' | null; utilisation: number | null }[];
}

/** A scenario: a named variant of the plan on top of the baseline (fid 0 is the baseline itself). */
export interface ScenarioInfo {
  fid: number;
  name: string;
  /** 0 = branched from the baseline. */
  parentFid: number;
  description: string;
  locked: boolean;
  createdAt: string;
  /** Rows (facilities, catchments, capacities, assignments) in which it differs from the baseline. */
  changedRows: number;
  active: boolean;
}

/** One difference of a scenario against its parent, for the "what changed" list. */
export interface ScenarioChange {
  table: string;
  key: string;
  kind: 'added' | 'changed' | 'removed';
  /** A name to show (a facility's or catchment's), when the row has one. */
  name: string | null;
  /** For a changed row: the columns that differ. */
  columns: string[];
  /** For a setting of the demand model: its value in the parent and in the scenario (null = the default). */
  setting?: { before: SettingValue | null; after: SettingValue | null };
}

/** The scenarios and which one is active; `touched` lists the tables a switch changed, for reloading. */
export interface ScenarioState {
  activeFid: number;
  scenarios: ScenarioInfo[];
  touched: string[];
  /** Per touched table, the keys of the rows the switch rewrote (as EditResult.touchedKeys). */
  touchedKeys?: Record<string, (string | number)[]>;
  canUndo: boolean;
  canRedo: boolean;
}

/** One facility (or the network) in two scenarios; a side is null where the facility does not exist. */
export interface ScenarioComparisonRow {
  fid: number;
  name: string;
  a: KpiRow | null;
  b: KpiRow | null;
}

/** Two scenarios side by side for one service: network totals per year, facilities for one year. */
export interface ScenarioComparison {
  service: string;
  year: number | null;
  years: number[];
  /** name null = the baseline. */
  a: { fid: number; name: string | null };
  b: { fid: number; name: string | null };
  network: { year: number; a: KpiRow; b: KpiRow }[];
  facilities: ScenarioComparisonRow[];
  /** Utilisation band of every catchment in `year`, per side, for colouring the two maps. */
  bands: { a: Record<number, string | null>; b: Record<number, string | null> };
}

/** A comment pin left on the map during a workshop. */
export interface WorkshopComment {
  fid: number;
  x: number;
  y: number;
  text: string;
  author: string;
  createdAt: string;
  scenario: string | null;
  hidden: boolean;
}

/** The method list both transports register. */
export const HOST_METHODS: readonly MethodName[] = HOST_METHOD_NAMES;
// Compile-time checks: the interface, the schemas and the name list agree exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _interfaceMatchesNames: Same<keyof HostApi, MethodName> = true;
void _interfaceMatchesNames;

/** Events the host pushes to the renderer. */
export interface HostEvents extends ImportEvents {
  projectOpened: ProjectSummary;
  projectClosed: { path: string };
  projectChanged: EditResult;
  sharingChanged: SharingStatus;
  liveViewChanged: LiveView;
  commentsChanged: { count: number };
  scenariosChanged: ScenarioState;
  forecastProgress: { jobId: string; fraction: number };
  /** The end of a forecast job: its summary, or the error (code `forecastCancelled` after a Cancel). */
  forecastFinished: { jobId: string; summary: ForecastSummary | null; error: ErrorPayload | null };
}

export type HostEventName = keyof HostEvents;
export const HOST_EVENTS: readonly HostEventName[] = HOST_EVENT_NAMES;
const _eventsMatchNames: Same<HostEventName, (typeof HOST_EVENT_NAMES)[number]> = true;
void _eventsMatchNames;

/** Validates a call's arguments; throws a ZodError with the path of the first bad value. */
export function parseArguments<M extends MethodName>(method: M, args: unknown): MethodArgs<M> {
  return ARGUMENT_SCHEMAS[method].parse(args ?? {}) as MethodArgs<M>;
}

export function isHostMethod(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ARGUMENT_SCHEMAS, name);
}

/** The event emitter a host implementation is given, so services can push events without knowing the transport. */
export type HostEventSink = <E extends HostEventName>(event: E, payload: HostEvents[E]) => void;

/** The renderer's side: the contract plus event subscription. */
export interface HostClient extends HostApi {
  on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
}
