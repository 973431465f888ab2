/**
 * `verkosto import FILE SOURCE --as LAYER` where SOURCE is a network source (part B):
 *
 *   verkosto import p.gpkg preset:helsinki-subdistricts --as demand_units
 *   verkosto import p.gpkg wfs:https://kartta.hel.fi/ws/geoserver/avoindata/wfs --layer avoindata:Piirijako_osaalue --as demand_units --crs EPSG:3879
 *   verkosto import p.gpkg ogcapi:https://…/ogcapi --layer koulut --as facilities --mapping koulut
 *
 * The source configuration (URL, layer, CRS, licence, preset) is stored in the project, so
 * `verkosto sync p.gpkg` reads the same service again. Ctrl+C cancels; the project stays as it was.
 */
import type { LayerId } from '../../shared/domain/project';
import type { FieldMapping, ImportProgress } from '../../shared/import/types';
import { importSource, readMapping } from '../services/import/import-service';
import { suggestMapping } from '../services/import/mapping';
import { configFromSpec, type NetworkSourceSpec } from '../services/import/presets/source-spec';
import { createNetworkSource } from '../services/import/readers/network';
import { serverName } from '../services/import/readers/network/http-client';
import { ProjectFile } from '../store/project-file';
import type { CommandIo } from './import-commands';

function slug(text: string): string {
  const value = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return value || 'source';
}

export async function commandImportNetwork(
  spec: NetworkSourceSpec,
  options: { file: string; targetLayer: LayerId; epsg: number | null; mapping?: string; id?: string; layer?: string; skipInvalid?: boolean; swapAxes?: boolean; replace?: boolean; licence?: string; title?: string },
  io: CommandIo,
): Promise<void> {
  const server = serverName(spec.url);
  const id = options.id ?? spec.presetId ?? slug(`${server}-${options.layer ?? options.targetLayer}`);
  const title = options.title ?? (spec.presetId ? io.t(`networkPresets.titles.${spec.presetId}`) : `${server} ${options.layer ?? ''}`.trim());
  const { config, mapping: presetMapping } = configFromSpec(spec, { id, title, layer: options.layer ?? null, epsg: options.epsg, targetLayer: options.targetLayer, licence: options.licence ?? null });
  const project = ProjectFile.open(options.file);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    const source = createNetworkSource(config);
    const layers = await source.listLayers({ signal: controller.signal });
    const layer = config.layer || (layers.length === 1 ? layers[0]!.name : '');
    if (!layer) io.usage('networkPresets.cliNeedsLayer', { layers: layers.slice(0, 30).map((candidate) => candidate.name).join(', ') });
    const info = layers.find((candidate) => candidate.name === layer);
    let mapping: FieldMapping;
    if (options.mapping) mapping = readMapping(project, options.mapping) ?? suggestMapping(options.targetLayer, info?.fields ?? [], options.mapping);
    else mapping = presetMapping ?? suggestMapping(options.targetLayer, info?.fields ?? [], slug(`${id}-${options.targetLayer}`));
    if (mapping.targetLayer !== options.targetLayer) io.usage('cli.import.mappingLayer', { mapping: mapping.name, layer: mapping.targetLayer });
    io.out(io.t('cli.import.mapping', { name: mapping.name, fields: Object.entries(mapping.fields).map(([target, rule]) => `${rule.source ?? JSON.stringify(rule.constant)} → ${target}`).join(', ') || '–' }));
    const onProgress = process.stderr.isTTY
      ? (p: ImportProgress) => {
          process.stderr.write(`\r\x1b[K${io.t('cli.import.progress', { count: p.featuresRead, phase: io.t(`cli.import.phases.${p.phase}`) })}`);
          if (p.phase === 'done') process.stderr.write('\r\x1b[K');
        }
      : undefined;
    const result = await importSource(project, source, {
      sourceLayer: layer,
      targetLayer: options.targetLayer,
      mapping,
      signal: controller.signal,
      onProgress,
      swapAxes: options.swapAxes ?? false,
      skipInvalid: options.skipInvalid ?? false,
      replaceExisting: options.replace ?? false,
      sourceConfig: { ...config, layer, mappingName: mapping.name },
    });
    io.out(io.t('cli.import.done', { count: result.imported, source: `${server} ${layer}`, layer: options.targetLayer, id, crs: `EPSG:${result.sourceEpsg}` }));
    if (result.skipped) io.out(io.t('cli.import.skipped', { count: result.skipped }));
    for (const issue of result.issues) io.out(`  ${io.t('cli.import.issue', { code: issue.code, count: issue.count ?? 1, ids: (issue.sourceIds ?? []).join(', ') })}`);
    if (result.seq == null) io.out(io.t('cli.import.notUndoable'));
  } finally {
    process.off('SIGINT', stop);
    project.close();
  }
}
