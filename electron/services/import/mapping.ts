/**
 * Field mapping: source fields → Verkosto attributes, with the type checks each target column needs
 * (the same constraints as the GeoPackage schema, so a value the file would refuse is caught and named
 * before anything is written).
 */
import type { LayerId } from '../../../shared/domain/project';
import { CATCHMENT_ORIGINS, FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES, SERVICE_TYPES, UNIT_KINDS } from '../../../shared/domain/project';
import type { SourceField } from '../../../shared/import/feature-source';
import type { FieldMapping, ScalarValue } from '../../../shared/import/types';
import { parseServiceTarget } from '../../../shared/import/types';
import { LAYER_COLUMNS } from '../../store/layer-tables';

export interface ColumnSpec {
  type: 'text' | 'integer' | 'real' | 'enum';
  required: boolean;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** The value stored when the source gives none (the column's DEFAULT; `origin` is `imported` for imports). */
  fallback?: ScalarValue;
}

const text = (required = false): ColumnSpec => ({ type: 'text', required });
const integer = (min?: number, max?: number, required = false): ColumnSpec => ({ type: 'integer', required, min, max });
const real = (min?: number, max?: number): ColumnSpec => ({ type: 'real', required: false, min, max });
const oneOf = (values: readonly string[], required = false): ColumnSpec => ({ type: 'enum', required, values });
const withFallback = (spec: ColumnSpec, fallback: ScalarValue): ColumnSpec => ({ ...spec, fallback });

/** What each target column accepts. Required = NOT NULL without a default. */
export const COLUMN_SPECS: Record<LayerId, Record<string, ColumnSpec>> = {
  facilities: {
    code: text(),
    name_fi: text(true),
    name_sv: text(),
    facility_kind: withFallback(oneOf(FACILITY_KINDS), 'school'),
    language: withFallback(oneOf(LANGUAGES), 'fi'),
    status: withFallback(oneOf(FACILITY_STATUSES), 'active'),
    opens_year: integer(1800, 2200),
    closes_year: integer(1800, 2200),
    address: text(),
    floor_area_m2: real(0),
    year_built: integer(1000, 2200),
    condition: integer(1, 5),
    renovation_need_eur: real(0),
    operating_cost_eur: real(0),
    investment_need_eur: real(0),
    illustrative: withFallback(integer(0, 1), 0),
  },
  catchments: {
    name: text(true),
    service: oneOf(SERVICE_TYPES, true),
    language: withFallback(oneOf(LANGUAGES), 'fi'),
    facility_fid: integer(1),
    origin: withFallback(oneOf(CATCHMENT_ORIGINS), 'imported'),
    locked: withFallback(integer(0, 1), 0),
  },
  demand_units: {
    code: text(true),
    name: text(),
    unit_kind: oneOf(UNIT_KINDS, true),
    population_total: real(0),
    population_year: integer(1800, 2200),
    swedish_share: real(0, 1),
  },
  municipality: { code: text(true), name_fi: text(true), name_sv: text() },
  feedback: { request_id: text(), service_name: text(), description: text(), status: text(), requested_at: text(), updated_at: text(), address: text() },
  // A point without a mapped weight counts 1 (every building alike); a weight must be a number ≥ 0.
  residential_points: { weight: withFallback(real(0), 1), source: text() },
};

const SERVICE_VALUE_SPEC: ColumnSpec = integer(0, 1_000_000);

/** Every target a mapping for the layer may fill, layer columns first, then facility service capacities. */
export function mappingTargets(layer: LayerId): string[] {
  const columns = [...LAYER_COLUMNS[layer]];
  if (layer !== 'facilities') return columns;
  return [...columns, ...SERVICE_TYPES.flatMap((service) => [`service:${service}:capacity`, `service:${service}:enrolment`])];
}

export function targetSpec(layer: LayerId, target: string): ColumnSpec | null {
  if (layer === 'facilities' && parseServiceTarget(target)) {
    return (SERVICE_TYPES as readonly string[]).includes(parseServiceTarget(target)!.service) ? SERVICE_VALUE_SPEC : null;
  }
  return COLUMN_SPECS[layer][target] ?? null;
}

/** A value converted to what the column stores, or an error naming why it cannot be. */
export function convertValue(spec: ColumnSpec, raw: unknown): { value: ScalarValue } | { error: 'notANumber' | 'notAnInteger' | 'outOfRange' | 'notAllowed' | 'required' } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (spec.fallback !== undefined) return { value: spec.fallback };
    return spec.required ? { error: 'required' } : { value: null };
  }
  switch (spec.type) {
    case 'text':
      return { value: typeof raw === 'string' ? raw.trim() : raw instanceof Date ? raw.toISOString() : String(raw) };
    case 'enum': {
      const value = String(raw).trim();
      return spec.values!.includes(value) ? { value } : { error: 'notAllowed' };
    }
    case 'integer':
    case 'real': {
      let number: number;
      if (typeof raw === 'number') number = raw;
      else if (typeof raw === 'boolean') number = raw ? 1 : 0;
      else {
        // Finnish spreadsheets write 1 234,5: spaces (also no-break) as thousands, comma as decimal point.
        const cleaned = String(raw).trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
        number = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
      }
      if (!Number.isFinite(number)) return { error: 'notANumber' };
      if (spec.type === 'integer') {
        if (!Number.isInteger(number)) return { error: 'notAnInteger' };
      }
      if ((spec.min != null && number < spec.min) || (spec.max != null && number > spec.max)) return { error: 'outOfRange' };
      return { value: number };
    }
  }
}

export interface MappedValues {
  /** Layer column values (only the mapped targets). */
  properties: Record<string, ScalarValue>;
  /** Facility service values, `service:<s>:capacity` → value. */
  services: Record<string, ScalarValue>;
  errors: { target: string; source: string | null; value: string; problem: string }[];
}

/** The targets an import writes: the mapped ones plus the columns with a fallback value, sorted. */
const targetCache = new WeakMap<FieldMapping, string[]>();

export function effectiveTargets(mapping: FieldMapping): string[] {
  const cached = targetCache.get(mapping);
  if (cached) return cached;
  const targets = new Set(Object.keys(mapping.fields).filter((target) => targetSpec(mapping.targetLayer, target)));
  for (const [column, spec] of Object.entries(COLUMN_SPECS[mapping.targetLayer])) if (spec.fallback !== undefined) targets.add(column);
  const sorted = [...targets].sort();
  targetCache.set(mapping, sorted);
  return sorted;
}

/** Applies a mapping to one feature's source properties. */
export function applyMapping(mapping: FieldMapping, sourceProperties: Record<string, unknown>): MappedValues {
  const result: MappedValues = { properties: {}, services: {}, errors: [] };
  for (const target of effectiveTargets(mapping)) {
    const spec = targetSpec(mapping.targetLayer, target)!;
    const rule = mapping.fields[target] ?? {};
    let raw: unknown = rule.source !== undefined ? sourceProperties[rule.source] : rule.constant;
    if (rule.valueMap && raw != null && Object.prototype.hasOwnProperty.call(rule.valueMap, String(raw).trim())) raw = rule.valueMap[String(raw).trim()];
    const converted = convertValue(spec, raw);
    if ('error' in converted) {
      result.errors.push({ target, source: rule.source ?? null, value: raw == null ? '' : String(raw).slice(0, 80), problem: converted.error });
      continue;
    }
    if (parseServiceTarget(target)) result.services[target] = converted.value;
    else result.properties[target] = converted.value;
  }
  return result;
}

/** Problems of a mapping itself: unknown targets, unknown source fields, required targets left unmapped. */
export function checkMapping(mapping: FieldMapping, fields: SourceField[]): { target: string; problem: 'unknownTarget' | 'unknownSourceField' | 'requiredUnmapped'; source?: string }[] {
  const problems: { target: string; problem: 'unknownTarget' | 'unknownSourceField' | 'requiredUnmapped'; source?: string }[] = [];
  const names = new Set(fields.map((field) => field.name));
  for (const [target, rule] of Object.entries(mapping.fields)) {
    if (!targetSpec(mapping.targetLayer, target)) problems.push({ target, problem: 'unknownTarget' });
    else if (rule.source !== undefined && names.size > 0 && !names.has(rule.source)) problems.push({ target, problem: 'unknownSourceField', source: rule.source });
  }
  for (const [target, spec] of Object.entries(COLUMN_SPECS[mapping.targetLayer])) {
    if (spec.required && !mapping.fields[target]) problems.push({ target, problem: 'requiredUnmapped' });
  }
  return problems;
}

const NAME_HINTS: Record<string, RegExp> = {
  code: /^(code|koodi|id|tunnus|kunta|kood|oppilaitosnumero|nro|unit_id)$/i,
  name_fi: /^(name_fi|nimi|nimi_fi|name|namn_fi|oppilaitos|koulu|kohde)$/i,
  name_sv: /^(name_sv|nimi_sv|namn|namn_sv)$/i,
  address: /^(address|osoite|katuosoite|street_address_fi|address_fi)$/i,
  language: /^(language|kieli|opetuskieli|sprak)$/i,
  name: /^(name|nimi|nimi_fi)$/i,
  floor_area_m2: /^(floor_area_m2|pinta_?ala|kerrosala|area_m2)$/i,
  year_built: /^(year_built|rakennusvuosi)$/i,
  'service:grades_1_6:capacity': /^(capacity|kapasiteetti|oppilaspaikat|paikat)$/i,
  'service:grades_1_6:enrolment': /^(enrolment|enrollment|oppilaat|oppilasmaara|oppilasmäärä)$/i,
  population_total: /^(population_total|vaesto|väestö|asukkaat|he_vakiy|vaki)$/i,
  weight: /^(weight|paino|asukkaat|asukkaita|asukasluku|residents|asuntoja|asunnot|dwellings|kerrosala|floor_area)$/i,
  swedish_share: /^(swedish_share|ruotsinkielisten_osuus|ruotsinkieliset_osuus|svenskspråkiga_andel|sv_share)$/i,
};

/** A first guess at a mapping from the source's field names (the user reviews it in the dialog). */
export function suggestMapping(layer: LayerId, fields: SourceField[], name = 'default'): FieldMapping {
  const mapping: FieldMapping = { name, targetLayer: layer, fields: {} };
  const targets = mappingTargets(layer);
  for (const target of targets) {
    const exact = fields.find((field) => field.name === target);
    const hint = NAME_HINTS[target];
    const guess = exact ?? (hint ? fields.find((field) => hint.test(field.name)) : undefined);
    if (guess) mapping.fields[target] = { source: guess.name };
  }
  return mapping;
}
