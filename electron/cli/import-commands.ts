/**
 * The CLI's import, sync and export commands:
 *
 *   verkosto import FILE SOURCE --as LAYER [--mapping NAME] [--id ID] [--crs EPSG:n] [--layer NAME] [--swap-axes] [--skip-invalid] [--replace] [--licence TEXT] [--title TEXT]
 *   verkosto sync FILE [--source ID] [--yes] [--take-source]
 *   verkosto export FILE LAYER OUT [--format gpkg|geojson|shapefile|kml|csv|xlsx] [--overwrite]
 *
 * Nothing is written without the user's say: `sync` only reports unless given --yes.
 */
import path from 'node:path';
import { LAYER_IDS, type LayerId } from '../../shared/domain/project';
import { VerkostoError } from '../../shared/errors';
import { parseEpsgCode } from '../../shared/geo/crs';
import { EXPORT_FORMATS, type ExportFormat, type FieldMapping, type ImportProgress, type SyncPlan } from '../../shared/import/types';
import { exportLayer } from '../services/export/export-layer';
import { applySync, importSource, listSources, previewSync, readMapping } from '../services/import/import-service';
import { suggestMapping } from '../services/import/mapping';
import { fileKindOf, openFileSource } from '../services/import/readers/files/open-file-source';
import { openStoredSource } from '../services/import/source-registry';
import { parseNetworkSourceSpec } from '../services/import/presets/source-spec';
import { commandImportNetwork } from './import-network';
import { ProjectFile } from '../store/project-file';
import type { Translate } from './messages';

export interface CommandIo {
  out: (line: string) => void;
  t: Translate;
  usage: (key: string, params: Record<string, string | number>) => never;
}

function progress(io: CommandIo): ((p: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const line = io.t('cli.import.progress', { count: p.featuresRead, phase: io.t(`cli.import.phases.${p.phase}`) });
    process.stderr.write(`\r\x1b[K${line}`);
    if (p.phase === 'done') process.stderr.write('\r\x1b[K');
  };
}

/** Ctrl+C cancels a running import cleanly (the project stays as it was). */
function cancellation(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', stop) };
}

function slug(text: string): string {
  const value = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return value || 'source';
}

export async function commandImport(
  options: { file: string; source: string; as?: string; mapping?: string; id?: string; crs?: string; layer?: string; swapAxes?: boolean; skipInvalid?: boolean; replace?: boolean; match?: string; licence?: string; title?: string },
  io: CommandIo,
): Promise<void> {
  if (!options.as) io.usage('cli.import.needsLayer', { layers: LAYER_IDS.join(', ') });
  if (!(LAYER_IDS as readonly string[]).includes(options.as!)) io.usage('cli.import.badLayer', { layer: options.as!, layers: LAYER_IDS.join(', ') });
  const targetLayer = options.as as LayerId;
  let epsg: number | null = null;
  if (options.crs) {
    epsg = parseEpsgCode(options.crs);
    if (epsg == null) throw new VerkostoError('unsupportedCrs', { crs: options.crs });
  }
  // A service (preset:ID, wfs:URL, ogcapi:URL, …, or an http(s) URL) instead of a file: part B's network sources.
  const network = parseNetworkSourceSpec(options.source);
  if (network) return commandImportNetwork(network, { ...options, targetLayer, epsg }, io);
  const kind = fileKindOf(options.source);
  if (!kind) throw new VerkostoError('importUnsupportedFormat', { file: path.basename(options.source) });
  const project = ProjectFile.open(options.file);
  const { signal, dispose } = cancellation();
  try {
    const source = openFileSource(options.source, { epsg });
    const layers = await source.listLayers({ signal });
    const layer = options.layer ?? layers[0]?.name ?? 'default';
    const info = layers.find((candidate) => candidate.name === layer);
    let mapping: FieldMapping;
    if (options.mapping) {
      const stored = readMapping(project, options.mapping);
      if (stored) mapping = stored;
      else {
        // A new name: the suggested mapping is used and saved under it.
        mapping = suggestMapping(targetLayer, info?.fields ?? [], options.mapping);
      }
    } else mapping = suggestMapping(targetLayer, info?.fields ?? [], `${slug(path.basename(options.source, path.extname(options.source)))}-${targetLayer}`);
    if (mapping.targetLayer !== targetLayer) io.usage('cli.import.mappingLayer', { mapping: mapping.name, layer: mapping.targetLayer });
    io.out(io.t('cli.import.mapping', { name: mapping.name, fields: Object.entries(mapping.fields).map(([target, rule]) => `${rule.source ?? JSON.stringify(rule.constant)} → ${target}`).join(', ') || '–' }));
    const id = options.id ?? slug(path.basename(options.source, path.extname(options.source)));
    const result = await importSource(project, source, {
      sourceLayer: layer,
      targetLayer,
      mapping,
      signal,
      onProgress: progress(io),
      swapAxes: options.swapAxes ?? false,
      skipInvalid: options.skipInvalid ?? false,
      matchOn: options.match ?? null,
      replaceExisting: options.replace ?? false,
      sourceConfig: {
        id,
        kind,
        title: options.title ?? path.basename(options.source),
        url: null,
        file: path.resolve(options.source),
        layer,
        targetLayer,
        mappingName: mapping.name,
        publisher: null,
        licence: options.licence ?? null,
        attribution: null,
        epsg,
        options: { ...(epsg ? { epsg } : {}), ...(options.swapAxes ? { swapAxes: true } : {}), ...(options.skipInvalid ? { skipInvalid: true } : {}) },
      },
    });
    io.out(io.t('cli.import.done', { count: result.imported, source: path.basename(options.source), layer: targetLayer, id, crs: `EPSG:${result.sourceEpsg}` }));
    if (result.skipped) io.out(io.t('cli.import.skipped', { count: result.skipped }));
    for (const issue of result.issues) io.out(`  ${io.t('cli.import.issue', { code: issue.code, count: issue.count ?? 1, ids: (issue.sourceIds ?? []).join(', ') })}`);
    if (result.seq == null) io.out(io.t('cli.import.notUndoable'));
  } finally {
    dispose();
    project.close();
  }
}

function planLines(plan: SyncPlan, io: CommandIo): string[] {
  const lines = [io.t('cli.sync.summary', { source: plan.sourceId, added: plan.added.length, changed: plan.changed.length, removed: plan.removed.length, conflicts: plan.conflicts.length, localEdits: plan.localEdits })];
  for (const entry of plan.conflicts) lines.push(`  ${io.t('cli.sync.conflict', { id: entry.sourceFeatureId, fid: entry.fid ?? '–', fields: entry.differences.join(', ') || '–', reason: io.t(`cli.sync.reasons.${entry.conflict ?? 'bothChanged'}`) })}`);
  return lines;
}

export async function commandSync(options: { file: string; source?: string; yes?: boolean; takeSource?: boolean }, io: CommandIo): Promise<void> {
  const project = ProjectFile.open(options.file);
  const { signal, dispose } = cancellation();
  try {
    const sources = listSources(project).filter((source) => !options.source || source.id === options.source);
    if (options.source && sources.length === 0) throw new VerkostoError('unknownImportSource', { source: options.source });
    if (sources.length === 0) {
      io.out(io.t('cli.sync.noSources'));
      return;
    }
    for (const source of sources) {
      const plan = await previewSync(project, openStoredSource(source), { sourceId: source.id, signal, onProgress: progress(io) });
      for (const line of planLines(plan, io)) io.out(line);
      const total = plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length;
      if (total === 0) continue;
      if (!options.yes) {
        io.out(io.t('cli.sync.dryRun'));
        continue;
      }
      const resolutions = Object.fromEntries(plan.conflicts.map((entry) => [entry.sourceFeatureId, options.takeSource ? 'takeSource' : 'keepLocal'] as const));
      const edit = applySync(project, plan, resolutions);
      io.out(io.t('cli.sync.applied', { source: source.id, seq: edit.seq }));
    }
  } finally {
    dispose();
    project.close();
  }
}

export async function commandExport(options: { file: string; layer?: string; out?: string; format?: string; overwrite?: boolean }, io: CommandIo): Promise<void> {
  if (!options.layer || !options.out) io.usage('cli.export.missing', {});
  if (!(LAYER_IDS as readonly string[]).includes(options.layer!)) io.usage('cli.import.badLayer', { layer: options.layer!, layers: LAYER_IDS.join(', ') });
  if (options.format && !(EXPORT_FORMATS as readonly string[]).includes(options.format)) io.usage('cli.export.badFormat', { format: options.format, formats: EXPORT_FORMATS.join(', ') });
  const project = ProjectFile.open(options.file);
  try {
    const result = exportLayer(project, options.layer as LayerId, options.out!, (options.format as ExportFormat | undefined) ?? undefined, { overwrite: options.overwrite ?? false });
    io.out(io.t('cli.export.done', { layer: options.layer!, file: options.out!, count: result.features, crs: `EPSG:${result.epsg}` }));
    const renamed = Object.entries(result.renamedColumns);
    if (renamed.length) io.out(io.t('cli.export.renamed', { columns: renamed.map(([from, to]) => `${from} → ${to}`).join(', ') }));
  } finally {
    project.close();
  }
}
