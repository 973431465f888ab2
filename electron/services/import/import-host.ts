/**
 * The import/sync/export methods of the HostApi (see shared/import/contract.ts), mixed into createHost.
 * Files reach the host as bounded, chunked uploads (the browser cannot name a path on the user's disk;
 * the desktop uses the same path), are read from a private temp folder, and imports run as jobs with
 * progress events and cancellation.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EditResult } from '../../../shared/domain/commands';
import { VerkostoError, toErrorPayload } from '../../../shared/errors';
import type { FeatureSource } from '../../../shared/import/feature-source';
import type { ImportHostApi, ImportInspection, TargetSpec } from '../../../shared/import/contract';
import { MAX_UPLOAD_BYTES } from '../../../shared/import/contract';
import type { LayerId } from '../../../shared/domain/project';
import type { SourceField } from '../../../shared/import/feature-source';
import type { FileSourceKind, NetworkSourceKind, ScalarValue, StoredSourceConfig, SyncPlan } from '../../../shared/import/types';
import type { HostEventSink } from '../../../shared/contract/host-api';
import type { ProjectFile } from '../../store/project-file';
import { exportLayer } from '../export/export-layer';
import { applySync, importSource, listMappings, listSources, previewImport, previewSync } from './import-service';
import { requireSourceRecord } from './import-store';
import { mappingTargets, suggestMapping, targetSpec } from './mapping';
import { fileKindOf, openFileSource, type FileReaderOptions } from './readers/files/open-file-source';
import { openStoredSource } from './source-registry';
import { createNetworkSource, networkSourceStatus } from './readers/network';
import { runForecast } from '../analysis/forecast-service';
import { projectMunicipalityArea, withProjectionArea } from '../analysis/forecast-from-projection';
import { createServiceConnections, listPresetInfos, presetMapping, SERVICE_PREVIEW_LIMIT } from './service-connections';

interface Upload {
  name: string;
  size: number;
  received: number;
  file: string;
}

export interface ImportHostContext {
  requireProject(): ProjectFile;
  /** Checks an export path against the host's allowed folders (the browser host's projects folder). */
  checkPath(target: string): string;
  emit: HostEventSink;
}

export interface ImportHost extends ImportHostApi {
  disposeImports(): void;
  /** A finished upload's original name and its file in the host's temp folder (for other jobs, e.g. a forecast table). */
  uploadedFile(uploadId: string): { name: string; file: string };
}

const newId = () => randomBytes(16).toString('hex');

/** Field names and rough types from sample rows, for a service that does not describe its fields (OGC API, registers). */
function fieldsFromSample(sample: Record<string, ScalarValue>[]): SourceField[] {
  const names = [...new Set(sample.flatMap((row) => Object.keys(row)))];
  return names.map((name) => {
    const value = sample.map((row) => row[name]).find((candidate) => candidate !== null && candidate !== undefined);
    const type: SourceField['type'] = typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : 'unknown';
    return { name, type };
  });
}

/** Feature properties as the mapping dialog's sample rows (dates as ISO text). */
function plainValues(properties: Record<string, unknown>): Record<string, ScalarValue> {
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : (value as ScalarValue)]));
}

export function createImportMethods(context: ImportHostContext): ImportHost {
  let uploadDirectory: string | null = null;
  const uploads = new Map<string, Upload>();
  const jobs = new Map<string, AbortController>();
  const plans = new Map<string, SyncPlan>();
  const services = createServiceConnections();

  function directory(): string {
    uploadDirectory ??= mkdtempSync(path.join(os.tmpdir(), 'verkosto-uploads-'));
    return uploadDirectory;
  }

  function requireUpload(uploadId: string): Upload {
    const upload = uploads.get(uploadId);
    if (!upload) throw new VerkostoError('unknownJob');
    if (upload.received !== upload.size) throw new VerkostoError('importUnreadable', { source: upload.name, detail: `upload incomplete (${upload.received} of ${upload.size} bytes)` });
    return upload;
  }

  function openUpload(uploadId: string, options: FileReaderOptions | undefined, epsg: number | null | undefined): { upload: Upload; source: FeatureSource } {
    const upload = requireUpload(uploadId);
    return { upload, source: openFileSource(upload.file, { ...(options ?? {}), epsg: epsg ?? null }) };
  }

  function targetSpecs(layer: Parameters<typeof mappingTargets>[0]): TargetSpec[] {
    return mappingTargets(layer).map((target) => {
      const spec = targetSpec(layer, target)!;
      return { target, type: spec.type, required: spec.required && spec.fallback === undefined, values: spec.values ? [...spec.values] : null };
    });
  }

  /** The mapping step for a service layer: its fields (described for this layer alone), five sample rows, the preset's mapping. */
  async function inspectService(serviceId: string, layer: string | undefined, targetLayer: LayerId, bbox: [number, number, number, number] | null): Promise<ImportInspection> {
    const project = context.requireProject();
    const connection = services.require(serviceId);
    services.setArea(connection, bbox, project.epsg);
    const chosen = layer ?? connection.base.layer ?? connection.layers[0]!.name;
    const info = await services.describe(connection, chosen);
    const sample = (await services.sample(connection, chosen)).slice(0, 5).map((feature) => plainValues(feature.properties));
    const fields = info.fields.length > 0 ? info.fields : fieldsFromSample(sample);
    const layers = connection.layers.map((candidate) => (candidate.name === chosen ? { ...info, fields } : candidate));
    const name = `${(connection.presetId ?? chosen.replace(/^.*:/, '')).replace(/[^A-Za-z0-9._-]+/g, '-')}-${targetLayer}`.slice(0, 100);
    return {
      uploadId: null,
      serviceId,
      fileName: info.title ?? chosen,
      kind: connection.base.kind,
      layers,
      sample,
      targets: targetSpecs(targetLayer),
      suggestion: presetMapping(connection.presetId, targetLayer) ?? suggestMapping(targetLayer, fields, name),
      mappings: listMappings(project).filter((mapping) => mapping.targetLayer === targetLayer),
    };
  }

  const methods: ImportHost = {
    uploadedFile(uploadId) {
      const upload = requireUpload(uploadId);
      return { name: upload.name, file: upload.file };
    },

    async importBeginUpload({ name, size }) {
      if (size > MAX_UPLOAD_BYTES) throw new VerkostoError('importTooLarge', { source: name, limit: `${MAX_UPLOAD_BYTES / 1024 / 1024} MB` });
      const uploadId = newId();
      const folder = path.join(directory(), uploadId);
      mkdirSync(folder);
      const file = path.join(folder, path.basename(name));
      closeSync(openSync(file, 'w'));
      uploads.set(uploadId, { name: path.basename(name), size, received: 0, file });
      return { uploadId };
    },

    async importAppendUpload({ uploadId, offset, data }) {
      const upload = uploads.get(uploadId);
      if (!upload) throw new VerkostoError('unknownJob');
      if (offset !== upload.received) throw new VerkostoError('invalidArgument', { detail: `chunk at ${offset}, expected ${upload.received}` });
      const bytes = Buffer.from(data, 'base64');
      if (upload.received + bytes.length > upload.size) throw new VerkostoError('invalidArgument', { detail: 'more bytes than announced' });
      const fd = openSync(upload.file, 'r+');
      try {
        writeSync(fd, bytes, 0, bytes.length, offset);
      } finally {
        closeSync(fd);
      }
      upload.received += bytes.length;
      return { received: upload.received };
    },

    async importListPresets() {
      return listPresetInfos();
    },

    async importConnectService({ kind, url, presetId, requestId }) {
      // Cancellable like an import job: the dialog's Cancel aborts the requests and any backoff wait.
      const controller = new AbortController();
      if (requestId) jobs.set(requestId, controller);
      let connection;
      try {
        connection = await services.connect({ kind, url, presetId }, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw new VerkostoError('importCancelled');
        throw error;
      } finally {
        if (requestId) jobs.delete(requestId);
      }
      return { serviceId: connection.id, kind: connection.base.kind as NetworkSourceKind, url: connection.base.url!, presetId: connection.presetId, layer: connection.base.layer, layers: connection.layers };
    },

    async importForecastFromService({ serviceId, layer }) {
      const project = context.requireProject();
      const connection = services.require(serviceId);
      if (connection.base.kind !== 'pxweb') throw new VerkostoError('invalidArgument', { detail: `${connection.base.kind} has no population projection tables` });
      // The projection of the project's own municipality (its code in the municipality layer), else the table's pinned one.
      const area = projectMunicipalityArea(project.db);
      const config = area ? withProjectionArea({ ...connection.base, layer }, layer, area) : { ...connection.base, layer };
      const outcome = await runForecast(project, 'import', { projection: { source: createNetworkSource(config), layer } });
      context.emit('projectChanged', outcome.edit);
      const method = JSON.parse(String(project.settings()['forecast.method'] ?? '{}')) as { area?: string; baseYear?: number };
      return { fromYear: outcome.fromYear, toYear: outcome.toYear, rows: outcome.rows, area: method.area ?? '', baseYear: method.baseYear ?? outcome.fromYear - 1 };
    },

    async importInspect({ uploadId, serviceId, layer: chosenLayer, targetLayer, options, epsg, bbox }) {
      const project = context.requireProject();
      if (serviceId) return inspectService(serviceId, chosenLayer, targetLayer, bbox ?? null);
      const { upload, source } = openUpload(uploadId!, options ?? undefined, epsg);
      const layers = await source.listLayers();
      const sampled = layers.find((candidate) => candidate.name === chosenLayer) ?? layers[0];
      const sample: Record<string, ScalarValue>[] = [];
      if (sampled) {
        for await (const feature of source.readFeatures(sampled.name)) {
          sample.push(plainValues(feature.properties));
          if (sample.length >= 5) break;
        }
      }
      const inspection: ImportInspection = {
        uploadId: uploadId!,
        fileName: upload.name,
        kind: fileKindOf(upload.file)!,
        layers,
        sample,
        targets: targetSpecs(targetLayer),
        suggestion: suggestMapping(targetLayer, sampled?.fields ?? [], `${upload.name.replace(/\.[^.]+$/, '')}-${targetLayer}`.slice(0, 100)),
        mappings: listMappings(project).filter((mapping) => mapping.targetLayer === targetLayer),
      };
      return inspection;
    },

    async importPreview({ uploadId, serviceId, layer, mapping, options, epsg, swapAxes, matchOn }) {
      const project = context.requireProject();
      // A service is previewed over its cached first features, so a change of the mapping does not ask the server again.
      const connection = serviceId ? services.require(serviceId) : null;
      const source = connection ? services.previewSource(connection, layer) : openUpload(uploadId!, options ?? undefined, epsg).source;
      const preview = await previewImport(project, source, {
        layer,
        mapping,
        epsgOverride: connection ? connection.base.epsg : (epsg ?? null),
        swapAxes: swapAxes ?? false,
        matchOn: matchOn ?? null,
        ...(connection ? { limit: SERVICE_PREVIEW_LIMIT } : {}),
      });
      return {
        featuresRead: preview.featuresRead,
        features: preview.features.map((feature) => ({ sourceId: feature.sourceId, geometry: feature.geometry, values: feature.values })),
        fieldChecks: preview.fieldChecks,
        issues: preview.issues,
        error: preview.error ? toErrorPayload(preview.error) : null,
        sourceEpsg: preview.sourceEpsg,
      };
    },

    async importStart({ uploadId, serviceId, layer, mapping, options, epsg, swapAxes, skipInvalid, matchOn, replaceExisting, source: details }) {
      const project = context.requireProject();
      const flags = { ...(swapAxes ? { swapAxes: true } : {}), ...(skipInvalid ? { skipInvalid: true } : {}) };
      let source: FeatureSource;
      let config: StoredSourceConfig;
      if (serviceId) {
        // The service's configuration (URL, layer, CRS asked for, preset) is what sync reads again.
        const connection = services.require(serviceId);
        source = services.importSource(connection, layer);
        config = { ...connection.base, ...details, layer, targetLayer: mapping.targetLayer, mappingName: mapping.name, options: { ...connection.base.options, ...flags } };
      } else {
        const opened = openUpload(uploadId!, options ?? undefined, epsg);
        source = opened.source;
        config = {
          ...details,
          kind: fileKindOf(opened.upload.file)!,
          url: null,
          file: opened.upload.name,
          layer,
          targetLayer: mapping.targetLayer,
          mappingName: mapping.name,
          epsg: epsg ?? null,
          options: { ...(options ?? {}), ...flags },
        };
      }
      const jobId = newId();
      const controller = new AbortController();
      jobs.set(jobId, controller);
      let last = 0;
      void (async () => {
        try {
          const result = await importSource(project, source, {
            sourceLayer: layer,
            targetLayer: mapping.targetLayer,
            mapping,
            sourceConfig: config,
            signal: controller.signal,
            swapAxes,
            skipInvalid,
            matchOn: matchOn ?? null,
            replaceExisting: replaceExisting ?? false,
            onProgress: (progress) => {
              const now = Date.now();
              if (now - last < 150 && progress.phase === 'reading') return;
              last = now;
              context.emit('importProgress', { jobId, progress });
            },
          });
          const edit: EditResult | null =
            result.seq == null
              ? null
              : {
                  seq: result.seq,
                  command: { type: 'import.apply', sourceId: result.sourceId, operation: 'import', added: result.imported, changed: 0, removed: 0 },
                  touched: [mapping.targetLayer, 'facility_services', 'import_sources', 'import_snapshots'],
                  ...project.historyState(),
                };
          if (edit) context.emit('projectChanged', edit);
          context.emit('importFinished', { jobId, result, error: null, edit });
        } catch (error) {
          context.emit('importFinished', { jobId, result: null, error: toErrorPayload(error), edit: null });
        } finally {
          jobs.delete(jobId);
        }
      })();
      return { jobId };
    },

    async importCancel({ jobId }) {
      const job = jobs.get(jobId);
      if (!job) throw new VerkostoError('unknownJob');
      job.abort();
    },

    async importListSources() {
      return listSources(context.requireProject());
    },

    async importListMappings() {
      return listMappings(context.requireProject());
    },

    async importPreviewSync({ sourceId, uploadId }) {
      const project = context.requireProject();
      const record = requireSourceRecord(project, sourceId);
      // A file imported by upload is synced against a new upload of it; others are read where they are.
      const source = uploadId
        ? openFileSource(requireUpload(uploadId).file, { ...(record.config.options as FileReaderOptions), epsg: record.config.epsg }, record.config.kind as FileSourceKind)
        : openStoredSource(record.config);
      const plan = await previewSync(project, source, { sourceId });
      plans.set(plan.planId, plan);
      return plan;
    },

    async importApplySync({ planId, resolutions }) {
      const project = context.requireProject();
      const plan = plans.get(planId);
      if (!plan) throw new VerkostoError('staleSyncPlan', { source: planId.split(':')[0] ?? planId });
      const edit = applySync(project, plan, resolutions);
      plans.delete(planId);
      context.emit('projectChanged', edit);
      return edit;
    },

    async importSourceStatus({ sourceId }) {
      const record = requireSourceRecord(context.requireProject(), sourceId);
      // Files are read where they are (or uploaded again); only network sources can be offline.
      if (!record.config.url) return { sourceId, online: true, reason: null };
      const status = await networkSourceStatus(record.config, { timeoutMs: 5_000 });
      return status.online ? { sourceId, online: true, reason: null } : { sourceId, online: false, reason: toErrorPayload(status.reason) };
    },

    async exportLayer({ layer, path: target, format, overwrite }) {
      const project = context.requireProject();
      const checked = context.checkPath(target);
      const result = exportLayer(project, layer, checked, format ?? undefined, { overwrite: overwrite ?? false });
      return { file: result.file, features: result.features, epsg: result.epsg, renamedColumns: result.renamedColumns };
    },

    disposeImports() {
      for (const job of jobs.values()) job.abort();
      jobs.clear();
      plans.clear();
      services.clear();
      if (uploadDirectory) rmSync(uploadDirectory, { recursive: true, force: true });
      uploadDirectory = null;
      uploads.clear();
    },
  };
  return methods;
}

