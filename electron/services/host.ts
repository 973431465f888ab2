/**
 * The HostApi implementation: a plain object over the project store, used directly by tests and the CLI and
 * wrapped by both transports (Electron IPC and the Node WebSocket host). It holds at most one open project.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HostApi, HostEventSink, ScenarioState, HostInfo, HostKind, ProjectFileEntry, ProjectSummary } from '../../shared/contract/host-api';
import { VerkostoError } from '../../shared/errors';
import { crsLabel, findCrs } from '../../shared/geo/crs';
import { ProjectFile } from '../store/project-file';
import { exportAssignments, importAssignments, paintContext } from './editing/unit-assignments';
import { RecentProjects } from './recent-projects';
import { createImportMethods } from './import/import-host';
import { compareScenarios } from './scenarios/compare-scenarios';
import { readAnalysisData, toTransportable } from './analysis/analysis-data';
import { readAnalysisChanges } from './analysis/analysis-changes';
import { MAX_TOUCHED_KEYS } from '../store/plan-command';
import { runForecast } from './analysis/forecast-service';
import { createForecastMethods } from './analysis/forecast-host';

/** The contract methods of live sharing, which run a server of their own (electron/host/live-share.ts). */
export type LiveShareMethods = Pick<HostApi, 'listShareAddresses' | 'startSharing' | 'stopSharing' | 'getSharingStatus' | 'publishView' | 'getLiveView'>;

export interface HostOptions {
  kind: HostKind;
  version: string;
  /** The user's data folder: recent projects, the built sample project. */
  dataDirectory: string;
  /** Where new projects go and "Open" looks when there are no native dialogs (the browser host). */
  projectsDirectory: string | null;
  /** Folders project paths must lie in; null lets the desktop user open any file they choose. */
  allowedRoots: string[] | null;
  /** Shows a native file dialog (Electron only). */
  chooseFile?: (purpose: 'open' | 'create' | 'saveAs') => Promise<string | null>;
  emit: HostEventSink;
  /** Live sharing for workshops (the Node host and the desktop app give one; tests may leave it out). */
  liveShare?: LiveShareMethods;
}

export interface Host extends HostApi {
  /** The open project, for in-process callers (tests, the CLI). */
  readonly project: ProjectFile | null;
  dispose(): void;
}

export const SAMPLE_FILE_NAME = 'helsinki-sample.gpkg';

function resolveExisting(target: string): string {
  // realpath the folder (the file may not exist yet) so a symlink cannot lead outside an allowed root.
  const directory = path.dirname(path.resolve(target));
  let realDirectory = directory;
  try {
    realDirectory = realpathSync(directory);
  } catch {
    // folder missing: keep the resolved path; opening will report it
  }
  return path.join(realDirectory, path.basename(target));
}

export function createHost(options: HostOptions): Host {
  const recent = new RecentProjects(options.dataDirectory);
  const sampleDirectory = path.join(options.dataDirectory, 'sample');
  let project: ProjectFile | null = null;

  const roots = options.allowedRoots?.map((root) => {
    mkdirSync(root, { recursive: true });
    return realpathSync(root);
  });

  function checkPath(target: string): string {
    const resolved = resolveExisting(target);
    if (roots && !roots.some((root) => resolved === root || resolved.startsWith(root + path.sep))) {
      throw new VerkostoError('pathNotAllowed', { file: target });
    }
    return resolved;
  }

  function requireLiveShare(): LiveShareMethods {
    if (!options.liveShare) throw new VerkostoError('forbidden');
    return options.liveShare;
  }

  function scenarioState(file: ProjectFile, touched: string[]): ScenarioState {
    // touched comes from the switch just made (activate), whose rewritten rows are lastTouchedKeys.
    const touchedKeys = Object.fromEntries(Object.entries(touched.length > 0 ? file.scenarios.lastTouchedKeys : {}).filter(([, keys]) => keys.length <= MAX_TOUCHED_KEYS));
    return { activeFid: file.scenarios.activeFid(), scenarios: file.scenarios.list(), touched, touchedKeys, ...file.historyState() };
  }

  /** Tells every page about the scenarios (and which tables a switch changed, so maps reload them). */
  function announceScenarios(file: ProjectFile, touched: string[]): ScenarioState {
    const state = scenarioState(file, touched);
    options.emit('scenariosChanged', state);
    return state;
  }

  function requireProject(): ProjectFile {
    if (!project) throw new VerkostoError('noProjectOpen');
    return project;
  }

  function summarize(file: ProjectFile): ProjectSummary {
    const settings = file.settings();
    return {
      path: file.path,
      name: typeof settings['project.name'] === 'string' ? settings['project.name'] : path.basename(file.path, '.gpkg'),
      epsg: file.epsg,
      crsName: findCrs(file.epsg)?.name ?? crsLabel(file.epsg),
      schemaVersion: file.schemaVersion,
      layers: file.layerSummaries(),
      demandUnitKinds: file.demandUnitKinds(),
      populationYears: file.populationYears(),
      settings,
      ...file.historyState(),
    };
  }

  function adopt(file: ProjectFile): ProjectSummary {
    if (project) {
      const previous = project.path;
      project.close();
      options.emit('projectClosed', { path: previous });
    }
    project = file;
    const summary = summarize(file);
    recent.remember(file.path, summary.name);
    options.emit('projectOpened', summary);
    return summary;
  }

  async function ensureSample(): Promise<string> {
    const target = path.join(sampleDirectory, SAMPLE_FILE_NAME);
    try {
      statSync(target);
      return target;
    } catch {
      // not built yet
    }
    mkdirSync(sampleDirectory, { recursive: true });
    // Build beside the target and rename, so an interrupted build never leaves a half sample behind.
    const partial = `${target}.${process.pid}.building`;
    rmSync(partial, { force: true });
    try {
      // Loaded on first use: most sessions never build the sample, and it pulls in JSTS.
      const { buildSampleProject } = await import('./sample/build-sample');
      await buildSampleProject(partial);
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
    return target;
  }

  // Import, sync and export (electron/services/import/import-host.ts).
  const imports = createImportMethods({ requireProject, checkPath, emit: options.emit });
  const forecasts = createForecastMethods({ requireProject, emit: options.emit, uploadedFile: (uploadId) => imports.uploadedFile(uploadId) });

  const host: Host = {
    ...imports,
    forecastStart: forecasts.forecastStart,
    forecastCancel: forecasts.forecastCancel,
    get project() {
      return project;
    },

    async getHostInfo(): Promise<HostInfo> {
      return { kind: options.kind, version: options.version, nativeFileDialogs: Boolean(options.chooseFile), projectsDirectory: options.projectsDirectory };
    },

    async listRecentProjects() {
      return recent.list().filter((entry) => !roots || roots.some((root) => entry.path.startsWith(root + path.sep)));
    },

    async listProjectFiles(): Promise<ProjectFileEntry[]> {
      if (!options.projectsDirectory) return [];
      mkdirSync(options.projectsDirectory, { recursive: true });
      return readdirSync(options.projectsDirectory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.gpkg'))
        .map((entry) => {
          const full = path.join(options.projectsDirectory!, entry.name);
          const stat = statSync(full);
          return { path: full, name: entry.name, sizeBytes: stat.size, modifiedAt: stat.mtime.toISOString() };
        })
        .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
    },

    async chooseProjectFile({ purpose }) {
      return options.chooseFile ? options.chooseFile(purpose) : null;
    },

    async createProject({ path: target, epsg, name }) {
      if (!findCrs(epsg)) throw new VerkostoError('unsupportedCrs', { crs: `EPSG:${epsg}` });
      const resolved = checkPath(target.toLowerCase().endsWith('.gpkg') ? target : `${target}.gpkg`);
      mkdirSync(path.dirname(resolved), { recursive: true });
      return adopt(ProjectFile.create(resolved, { epsg, ...(name ? { name } : {}) }));
    },

    async openProject({ path: target }) {
      const resolved = checkPath(target);
      if (project && project.path === resolved) return summarize(project);
      return adopt(ProjectFile.open(resolved));
    },

    async openSampleProject() {
      const target = await ensureSample();
      if (project && project.path === target) return summarize(project);
      return adopt(ProjectFile.open(target));
    },

    async closeProject() {
      if (!project) return;
      const closed = project.path;
      project.close();
      project = null;
      options.emit('projectClosed', { path: closed });
    },

    async saveProjectAs({ path: target }) {
      const file = requireProject();
      const resolved = checkPath(target.toLowerCase().endsWith('.gpkg') ? target : `${target}.gpkg`);
      await file.saveAs(resolved);
      const summary = summarize(file);
      recent.remember(file.path, summary.name);
      options.emit('projectOpened', summary);
      return summary;
    },

    async getProjectSummary() {
      return project ? summarize(project) : null;
    },

    async getLayerFeatures({ layer, scenarioFid }) {
      const file = requireProject();
      return scenarioFid === undefined ? file.readFeatures(layer) : file.peekScenario(scenarioFid, () => file.readFeatures(layer));
    },

    async getFeature({ layer, fid }) {
      const file = requireProject();
      const feature = file.readFeature(layer, fid);
      if (!feature) throw new VerkostoError('unknownFeature', { layer, fid });
      return { feature, related: file.relatedRows(layer, fid) };
    },

    async getDataSources() {
      return requireProject().dataSources();
    },

    async runCommand({ command }) {
      const result = requireProject().runCommand(command);
      options.emit('projectChanged', result);
      return result;
    },

    async undo() {
      const result = requireProject().undo();
      options.emit('projectChanged', result);
      return result;
    },

    async redo() {
      const result = requireProject().redo();
      options.emit('projectChanged', result);
      return result;
    },

    async getPaintContext() {
      return paintContext(requireProject());
    },

    async exportUnitAssignments(set) {
      return exportAssignments(requireProject(), set);
    },

    async importUnitAssignments({ service, language, csv }) {
      const result = importAssignments(requireProject(), { service, language }, csv);
      options.emit('projectChanged', result);
      return result;
    },

    listShareAddresses: (args) => requireLiveShare().listShareAddresses(args),
    startSharing: (args) => requireLiveShare().startSharing(args),
    stopSharing: (args) => requireLiveShare().stopSharing(args),
    getSharingStatus: (args) => requireLiveShare().getSharingStatus(args),
    publishView: (args) => requireLiveShare().publishView(args),
    getLiveView: (args) => requireLiveShare().getLiveView(args),

    async postComment({ x, y, text, author }) {
      const file = requireProject();
      // A pin must be on the project's map: far-away or swapped coordinates are a mistake (or mischief).
      const extent = file.layerSummaries().reduce<number[] | null>((box, layer) => {
        if (!layer.extent) return box;
        if (!box) return [...layer.extent];
        return [Math.min(box[0]!, layer.extent[0]), Math.min(box[1]!, layer.extent[1]), Math.max(box[2]!, layer.extent[2]), Math.max(box[3]!, layer.extent[3])];
      }, null);
      const margin = 10_000;
      if (extent && (x < extent[0]! - margin || x > extent[2]! + margin || y < extent[1]! - margin || y > extent[3]! + margin)) {
        throw new VerkostoError('invalidArgument', { detail: 'postComment: the point is outside the project area' });
      }
      const scenario = file.scenarios.activeName();
      const result = file.runCommand({
        type: 'comment.add',
        geometry: { type: 'Point', coordinates: [x, y] },
        text,
        author,
        scenario,
      });
      options.emit('projectChanged', result);
      const comments = file.readComments(true);
      options.emit('commentsChanged', { count: comments.length });
      return comments[comments.length - 1]!; // the newest: fids only grow
    },

    async listComments({ includeHidden }) {
      return requireProject().readComments(includeHidden ?? true);
    },

    async listScenarios() {
      return scenarioState(requireProject(), []);
    },

    async createScenario({ name, parentFid }) {
      const file = requireProject();
      const touched = file.transaction(() => {
        const fid = file.scenarios.create(name, parentFid);
        return file.switchScenario(fid);
      });
      return announceScenarios(file, touched);
    },

    async renameScenario({ fid, name }) {
      const file = requireProject();
      file.transaction(() => file.scenarios.rename(fid, name));
      return announceScenarios(file, []);
    },

    async duplicateScenario({ fid, name }) {
      const file = requireProject();
      file.transaction(() => file.scenarios.duplicate(fid, name));
      return announceScenarios(file, []);
    },

    async deleteScenario({ fid }) {
      const file = requireProject();
      const touched = file.transaction(() => file.scenarios.delete(fid));
      return announceScenarios(file, touched);
    },

    async setScenarioLocked({ fid, locked }) {
      const file = requireProject();
      file.transaction(() => file.scenarios.setLocked(fid, locked));
      return announceScenarios(file, []);
    },

    async switchScenario({ fid }) {
      const file = requireProject();
      return announceScenarios(file, file.switchScenario(fid));
    },

    async getScenarioChanges({ fid }) {
      return requireProject().scenarios.changes(fid);
    },

    async exportScenarioReport({ fid, format, service, years, language }) {
      const file = requireProject();
      const folder = options.projectsDirectory ?? path.dirname(file.path);
      mkdirSync(folder, { recursive: true });
      const scenario = fid === 0 ? null : file.scenarios.list().find((entry) => entry.fid === fid)?.name;
      const base = `${file.settings()['project.name'] ?? 'Verkosto'} - ${scenario ?? 'baseline'} - ${new Date().toISOString().slice(0, 10)}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
      let target = path.join(folder, `${base}.${format}`);
      for (let copy = 2; existsSync(target); copy++) target = path.join(folder, `${base} (${copy}).${format}`);
      const { writeScenarioReport } = await import('./report/scenario-report');
      return writeScenarioReport(file, { scenarioFid: fid, service, years, format, language, target: checkPath(target) });
    },

    async compareScenarios({ a, b, service, year }) {
      return compareScenarios(requireProject(), { a, b, service, year });
    },

    async promoteScenario({ fid }) {
      const file = requireProject();
      const touched = file.transaction(() => file.scenarios.promote(fid));
      return announceScenarios(file, touched);
    },

    async getAnalysisData() {
      return toTransportable(readAnalysisData(requireProject()));
    },

    async getAnalysisChanges(request) {
      return readAnalysisChanges(requireProject(), request);
    },

    async runForecast({ method, toYear }) {
      const outcome = await runForecast(requireProject(), method, toYear === undefined ? {} : { toYear });
      options.emit('projectChanged', outcome.edit);
      return { method: outcome.method, fromYear: outcome.fromYear, toYear: outcome.toYear, rows: outcome.rows };
    },

    dispose() {
      imports.disposeImports();
      forecasts.disposeForecasts();
      project?.close();
      project = null;
    },
  };
  return host;
}
