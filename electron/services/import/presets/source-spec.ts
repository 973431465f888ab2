/**
 * A network source written on one line, for the command line and scripts:
 *
 *   preset:helsinki-subdistricts            a preset (its URL, layer, CRS, licence and mapping)
 *   wfs:https://host/wfs                    any kind in NETWORK_SOURCE_KINDS followed by its URL
 *   ogcapi:http://127.0.0.1:8080/ogcapi
 *   https://host/geoserver/ws/wfs?…         a bare http(s) URL is taken as WFS
 *
 * Returns null for anything else (a file path).
 */
import type { LayerId } from '../../../../shared/domain/project';
import { VerkostoError } from '../../../../shared/errors';
import { NETWORK_SOURCE_KINDS, type FieldMapping, type NetworkSourceKind, type StoredSourceConfig } from '../../../../shared/import/types';
import { configFromPreset, findPreset, NETWORK_PRESETS } from './presets';

export interface NetworkSourceSpec {
  kind: NetworkSourceKind;
  url: string;
  presetId: string | null;
}

export function parseNetworkSourceSpec(spec: string): NetworkSourceSpec | null {
  const text = spec.trim();
  const preset = /^preset:(.+)$/.exec(text);
  if (preset) {
    const found = findPreset(preset[1]!);
    if (!found) throw new VerkostoError('sourceLayerNotFound', { server: 'preset', layer: preset[1]!, available: NETWORK_PRESETS.map((candidate) => candidate.id).join(', ') });
    return { kind: found.kind, url: found.url, presetId: found.id };
  }
  const kinded = /^([a-z0-9-]+):(https?:\/\/.+)$/i.exec(text);
  if (kinded && (NETWORK_SOURCE_KINDS as readonly string[]).includes(kinded[1]!.toLowerCase())) {
    return { kind: kinded[1]!.toLowerCase() as NetworkSourceKind, url: kinded[2]!, presetId: null };
  }
  if (/^https?:\/\//i.test(text)) return { kind: 'wfs', url: text, presetId: null };
  return null;
}

/**
 * The source configuration (and, for a preset, its mapping) for a parsed spec. `layer`, `epsg` and
 * `targetLayer` override the preset's; a non-preset source needs `layer` and `targetLayer`.
 */
export function configFromSpec(
  spec: NetworkSourceSpec,
  details: { id: string; title: string; layer?: string | null; epsg?: number | null; targetLayer?: LayerId | null; licence?: string | null },
): { config: StoredSourceConfig; mapping: FieldMapping | null } {
  if (spec.presetId) {
    const preset = findPreset(spec.presetId)!;
    return configFromPreset(preset, details.id, details.title, {
      ...(details.layer ? { layer: details.layer } : {}),
      ...(details.epsg ? { epsg: details.epsg } : {}),
      ...(details.targetLayer ? { targetLayer: details.targetLayer } : {}),
      ...(details.licence ? { licence: details.licence } : {}),
    });
  }
  if (!details.targetLayer) throw new VerkostoError('invalidArgument', { detail: 'the Verkosto layer to import into' });
  return {
    config: {
      id: details.id,
      kind: spec.kind,
      title: details.title,
      url: spec.url,
      file: null,
      layer: details.layer ?? '',
      targetLayer: details.targetLayer,
      mappingName: null,
      publisher: null,
      licence: details.licence ?? null,
      attribution: null,
      epsg: details.epsg ?? null,
      options: {},
    },
    mapping: null,
  };
}
