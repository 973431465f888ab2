/**
 * Ready-made network sources for Helsinki, Espoo, Vantaa, Turku, Kuopio and Statistics Finland: endpoint,
 * layer, CRS, licence and a field mapping to Verkosto's attributes (shared/domain/project.ts). A preset is
 * only a starting point: `configFromPreset` turns it into a StoredSourceConfig (and its FieldMapping) that
 * the user edits in the import dialog and that the project stores (import_sources / import_mappings), so
 * a re-sync reads exactly what was imported, even after the presets change in a later Verkosto.
 *
 * `verified` says whether the endpoint and layer names were checked against the service's own
 * documentation or responses when the preset was written; unverified ones (Tekla WFS host names, register
 * ontology ids, PxWeb codes) are starting points to check with GetCapabilities / the register / the table's
 * metadata — the PxWeb reader re-validates its pinned codes on every read.
 * Titles are i18n keys `networkPresets.<id>`.
 */
import type { LayerId } from '../../../../shared/domain/project';
import { VerkostoError } from '../../../../shared/errors';
import type { FieldMapping, FieldRule, NetworkSourceKind, StoredSourceConfig } from '../../../../shared/import/types';

export const PRESET_CITIES = ['helsinki', 'espoo', 'vantaa', 'turku', 'kuopio', 'statfi'] as const;
export type PresetCity = (typeof PRESET_CITIES)[number];

export interface SourcePreset {
  id: string;
  city: PresetCity;
  kind: NetworkSourceKind;
  url: string;
  /** Layer in the source; '' = the user picks one from the service's layer list. */
  layer: string;
  /** Verkosto layer the features go to; null for sources with no Verkosto layer (PxWeb tables: rows, no geometry). */
  targetLayer: LayerId | null;
  epsg: number | null;
  publisher: string;
  licence: string;
  attribution: string;
  /** Target attribute → rule (FieldMapping.fields). */
  fields: Record<string, FieldRule>;
  options: Record<string, unknown>;
  verified: boolean;
}

const HELSINKI_WFS = 'https://kartta.hel.fi/ws/geoserver/avoindata/wfs';
const HELSINKI = { publisher: 'Helsingin kaupunki, kaupunkiympäristön toimiala', licence: 'CC BY 4.0', attribution: '© Helsingin kaupunki' };
const TPR_URL = 'https://www.hel.fi/palvelukarttaws/rest/v4/unit/';
const SERVICEMAP_URL = 'https://api.hel.fi/servicemap/v2/unit/';
const TPR = { publisher: 'Pääkaupunkiseudun palvelurekisteri (TPR)', licence: 'CC BY 4.0', attribution: '© Helsingin, Espoon, Vantaan ja Kauniaisten kaupungit' };
const STATFI = { publisher: 'Tilastokeskus', licence: 'CC BY 4.0', attribution: '© Tilastokeskus' };

/**
 * Register queries for schools and daycares. NOT verified against the live register (it cannot be reached
 * from where this was written): the daycare words 317–323 are the ones public clients of the register use,
 * the school words and Service Map node are placeholders. Check them in the register's own lists
 * (`…/palvelukarttaws/rest/v4/ontologyword/`, `…/servicemap/v2/service_node/`) and edit the source.
 */
const SCHOOL_ONTOLOGYWORDS = [601, 602, 603];
const DAYCARE_ONTOLOGYWORDS = [317, 318, 319, 320, 321, 322, 323];

const source = (field: string): FieldRule => ({ source: field });
const constant = (value: string | number | boolean): FieldRule => ({ constant: value });

function catchmentPreset(id: string, layer: string, service: string, language: 'fi' | 'sv'): SourcePreset {
  return {
    id, city: 'helsinki', kind: 'wfs', url: HELSINKI_WFS, layer, targetLayer: 'catchments', epsg: 3879, ...HELSINKI,
    fields: { name: source(language === 'fi' ? 'nimi_fi' : 'nimi_se'), service: constant(service), language: constant(language), origin: constant('imported') },
    options: { outputFormat: 'auto', pageSize: 1000, joinKey: 'toimipiste_id' },
    verified: true,
  };
}

function facilityFromTpr(id: string, city: PresetCity, kind: 'school' | 'daycare', cityName: string | null): SourcePreset {
  const layerName = kind === 'school' ? 'schools' : 'daycares';
  return {
    id, city, kind: 'tpr', url: TPR_URL, layer: layerName, targetLayer: 'facilities', epsg: 3067, ...TPR,
    fields: { code: source('id'), name_fi: source('name_fi'), name_sv: source('name_sv'), address: source('street_address_fi'), facility_kind: constant(kind), status: constant('active') },
    options: { layers: { [layerName]: { title: layerName, ids: kind === 'school' ? SCHOOL_ONTOLOGYWORDS : DAYCARE_ONTOLOGYWORDS, ...(cityName ? { where: { address_city_fi: cityName } } : {}) } } },
    verified: false,
  };
}

function teklaWfs(id: string, city: PresetCity, url: string, epsg: number, publisher: string): SourcePreset {
  return {
    id, city, kind: 'wfs', url, layer: '', targetLayer: 'catchments', epsg, publisher, licence: 'CC BY 4.0', attribution: `© ${publisher}`,
    fields: { name: source('nimi'), origin: constant('imported') },
    options: { outputFormat: 'auto', pageSize: 1000 },
    verified: false,
  };
}

export const NETWORK_PRESETS: readonly SourcePreset[] = [
  // Helsinki: catchments (next school year's twins end in _tuleva), sub-districts, the registers, feedback.
  catchmentPreset('helsinki-catchments-grades-1-6-fi', 'avoindata:Opev_ooa_alaaste_suomi', 'grades_1_6', 'fi'),
  catchmentPreset('helsinki-catchments-grades-7-9-fi', 'avoindata:Opev_ooa_ylaaste_suomi', 'grades_7_9', 'fi'),
  catchmentPreset('helsinki-catchments-grades-1-6-sv', 'avoindata:Opev_ooa_alaaste_ruotsi', 'grades_1_6', 'sv'),
  catchmentPreset('helsinki-catchments-grades-7-9-sv', 'avoindata:Opev_ooa_ylaaste_ruotsi', 'grades_7_9', 'sv'),
  catchmentPreset('helsinki-catchments-pre-primary-fi', 'avoindata:Esiopetusalue_suomi', 'pre_primary', 'fi'),
  catchmentPreset('helsinki-catchments-pre-primary-sv', 'avoindata:Esiopetusalue_ruotsi', 'pre_primary', 'sv'),
  {
    id: 'helsinki-subdistricts', city: 'helsinki', kind: 'wfs', url: HELSINKI_WFS, layer: 'avoindata:Piirijako_osaalue', targetLayer: 'demand_units', epsg: 3879, ...HELSINKI,
    fields: { code: source('tunnus'), name: source('nimi_fi'), unit_kind: constant('small_area') },
    options: { outputFormat: 'auto', pageSize: 1000 },
    verified: true,
  },
  facilityFromTpr('helsinki-tpr-schools', 'helsinki', 'school', 'Helsinki'),
  facilityFromTpr('helsinki-tpr-daycares', 'helsinki', 'daycare', 'Helsinki'),
  {
    id: 'helsinki-servicemap-schools', city: 'helsinki', kind: 'servicemap', url: SERVICEMAP_URL, layer: 'schools', targetLayer: 'facilities', epsg: 4326, ...TPR,
    fields: { code: source('id'), name_fi: source('name_fi'), name_sv: source('name_sv'), address: source('street_address_fi'), facility_kind: constant('school'), status: constant('active') },
    options: { pageSize: 500, layers: { schools: { title: 'schools', ids: [1087], params: { municipality: 'helsinki' } } } },
    verified: false,
  },
  {
    id: 'helsinki-feedback', city: 'helsinki', kind: 'open311', url: 'https://asiointi.hel.fi/palautews/rest/v1/', layer: 'requests', targetLayer: 'feedback', epsg: 4326,
    publisher: 'Helsingin kaupunki, palautejärjestelmä', licence: 'CC BY 4.0', attribution: '© Helsingin kaupunki',
    fields: {
      request_id: source('service_request_id'), service_name: source('service_name'), description: source('description'), status: source('status'),
      requested_at: source('requested_datetime'), updated_at: source('updated_datetime'), address: source('address'),
    },
    options: { days: 365, locale: 'fi' }, verified: true,
  },
  // Espoo and Vantaa: the shared regional register, filtered by city; their own WFS for areas.
  facilityFromTpr('espoo-tpr-schools', 'espoo', 'school', 'Espoo'),
  facilityFromTpr('espoo-tpr-daycares', 'espoo', 'daycare', 'Espoo'),
  teklaWfs('espoo-wfs', 'espoo', 'https://kartat.espoo.fi/teklaogcweb/wfs.ashx', 3879, 'Espoon kaupunki'),
  facilityFromTpr('vantaa-tpr-schools', 'vantaa', 'school', 'Vantaa'),
  facilityFromTpr('vantaa-tpr-daycares', 'vantaa', 'daycare', 'Vantaa'),
  teklaWfs('vantaa-wfs', 'vantaa', 'https://gis.vantaa.fi/geoserver/wfs', 3879, 'Vantaan kaupunki'),
  // Turku (ETRS-GK23) and Kuopio (ETRS-GK27): Tekla WFS; Turku also OGC API Features.
  teklaWfs('turku-wfs', 'turku', 'https://opaskartta.turku.fi/TeklaOGCWeb/WFS.ashx', 3877, 'Turun kaupunki'),
  {
    id: 'turku-ogcapi', city: 'turku', kind: 'ogcapi', url: 'https://opaskartta.turku.fi/TeklaOGCWeb/ogcapi', layer: '', targetLayer: 'catchments', epsg: 3877,
    publisher: 'Turun kaupunki', licence: 'CC BY 4.0', attribution: '© Turun kaupunki',
    fields: { name: source('nimi'), origin: constant('imported') }, options: { pageSize: 1000 }, verified: false,
  },
  teklaWfs('kuopio-wfs', 'kuopio', 'https://karttapalvelu.kuopio.fi/TeklaOGCWeb/WFS.ashx', 3881, 'Kuopion kaupunki'),
  // Statistics Finland: population grid, postal areas (Paavo), schools, municipalities, projection tables.
  {
    id: 'statfi-population-grid-1km', city: 'statfi', kind: 'statfi-wfs', url: 'https://geo.stat.fi/geoserver/vaestoruutu/wfs', layer: 'vaestoruutu:vaki2023_1km', targetLayer: 'demand_units', epsg: 3067, ...STATFI,
    fields: { code: source('grd_id'), name: source('grd_id'), unit_kind: constant('grid_1km'), population_total: source('vaesto'), population_year: constant(2023) },
    options: { outputFormat: 'auto', pageSize: 5000 }, verified: true,
  },
  {
    id: 'statfi-postal-areas', city: 'statfi', kind: 'statfi-wfs', url: 'https://geo.stat.fi/geoserver/postialue/wfs', layer: 'postialue:pno_tilasto_2024', targetLayer: 'demand_units', epsg: 3067, ...STATFI,
    fields: { code: source('postinumeroalue'), name: source('nimi'), unit_kind: constant('small_area'), population_total: source('he_vakiy'), population_year: constant(2022) },
    options: { outputFormat: 'auto', pageSize: 5000 }, verified: true,
  },
  {
    id: 'statfi-schools', city: 'statfi', kind: 'statfi-wfs', url: 'https://geo.stat.fi/geoserver/oppilaitokset/wfs', layer: 'oppilaitokset:oppilaitokset', targetLayer: 'facilities', epsg: 3067, ...STATFI,
    fields: { code: source('tunn'), name_fi: source('onimi'), facility_kind: constant('school'), status: constant('active') },
    options: { outputFormat: 'auto', pageSize: 5000 }, verified: true,
  },
  {
    id: 'statfi-municipalities', city: 'statfi', kind: 'statfi-wfs', url: 'https://geo.stat.fi/geoserver/tilastointialueet/wfs', layer: 'tilastointialueet:kunta1000k_2024', targetLayer: 'municipality', epsg: 3067, ...STATFI,
    fields: { code: source('kunta'), name_fi: source('nimi'), name_sv: source('namn') },
    options: { outputFormat: 'auto' }, verified: true,
  },
  {
    id: 'statfi-population-projection', city: 'statfi', kind: 'pxweb', url: 'https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin', layer: 'projection', targetLayer: null, epsg: null, ...STATFI,
    fields: {},
    options: {
      tables: {
        projection: {
          title: 'Väestöennuste kunnittain, ikä 0–15',
          path: 'vaenn/statfin_vaenn_pxt_139f.px',
          selection: { Alue: ['KU091'], Vuosi: '*', Sukupuoli: ['SSS'], 'Ikä': Array.from({ length: 16 }, (_, age) => String(age).padStart(3, '0')), Tiedot: ['vaesto'] },
          rowVariables: ['Alue', 'Vuosi'],
          columnNames: Object.fromEntries(Array.from({ length: 16 }, (_, age) => [String(age).padStart(3, '0'), `age_${age}`])),
        },
      },
    },
    verified: false,
  },
];

export function findPreset(id: string): SourcePreset | null {
  return NETWORK_PRESETS.find((preset) => preset.id === id) ?? null;
}

/** Presets of one city, in the order above. */
export function presetsFor(city: PresetCity): SourcePreset[] {
  return NETWORK_PRESETS.filter((preset) => preset.city === city);
}

/**
 * A preset as an editable source configuration plus its named field mapping. `overrides` carries the
 * user's edits (another layer, CRS, URL, options); the preset id is kept in options.presetId.
 */
export function configFromPreset(
  preset: SourcePreset,
  id: string,
  title: string,
  overrides: Partial<Omit<StoredSourceConfig, 'id' | 'kind'>> = {},
): { config: StoredSourceConfig; mapping: FieldMapping | null } {
  const targetLayer = overrides.targetLayer ?? preset.targetLayer;
  if (!targetLayer) throw new VerkostoError('invalidArgument', { detail: `preset ${preset.id}: choose the Verkosto layer to import into` });
  const layer = overrides.layer ?? preset.layer;
  const mappingName = overrides.mappingName ?? preset.id;
  const config: StoredSourceConfig = {
    id,
    kind: preset.kind,
    title,
    url: overrides.url ?? preset.url,
    file: null,
    layer,
    targetLayer,
    mappingName,
    publisher: overrides.publisher ?? preset.publisher,
    licence: overrides.licence ?? preset.licence,
    attribution: overrides.attribution ?? preset.attribution,
    epsg: overrides.epsg === undefined ? preset.epsg : overrides.epsg,
    options: { ...structuredClone(preset.options), ...(overrides.options ?? {}), presetId: preset.id },
  };
  const mapping = mappingName ? { name: mappingName, targetLayer, fields: structuredClone(preset.fields) } : null;
  return { config, mapping };
}
