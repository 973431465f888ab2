/**
 * How feature attributes appear in the side panel: which ones, in what order, and how each value reads
 * (enumerations translated, money in euros, missing values as a dash).
 */
import type { TFunction } from 'i18next';
import type { LayerId } from '../../shared/domain/project';
import type { UiLanguage } from '../../shared/i18n';
import { formatDateTime, formatEuros, formatNumber } from './format';

/** Attributes shown per layer, in order; others the host sends are listed after them. */
export const ATTRIBUTE_ORDER: Record<LayerId, string[]> = {
  facilities: [
    'name_fi',
    'name_sv',
    'code',
    'facility_kind',
    'language',
    'status',
    'opens_year',
    'closes_year',
    'address',
    'floor_area_m2',
    'year_built',
    'condition',
    'renovation_need_eur',
    'operating_cost_eur',
    'investment_need_eur',
  ],
  catchments: ['name', 'service', 'language', 'facility_fid', 'origin', 'locked'],
  demand_units: ['code', 'name', 'unit_kind', 'population_total', 'population_year', 'swedish_share'],
  municipality: ['code', 'name_fi', 'name_sv'],
  feedback: ['service_name', 'description', 'status', 'requested_at', 'updated_at', 'address', 'request_id'],
  residential_points: ['weight', 'source'],
};

/** Attributes that are shown another way (as a note) or are internal. */
const NOT_LISTED = new Set(['illustrative', 'fid', 'geom', 'geometry']);

/** Attribute values that are keys of a translated enumeration (`values.<group>.<value>`). */
const ENUMERATIONS: Record<string, string> = {
  facility_kind: 'facilityKind',
  language: 'language',
  status: 'status',
  service: 'service',
  unit_kind: 'unitKind',
  origin: 'origin',
};

const YEARS = new Set(['opens_year', 'closes_year', 'year_built', 'population_year']);

export function attributeKeys(layer: LayerId, properties: Record<string, unknown>): string[] {
  const known = ATTRIBUTE_ORDER[layer];
  const extra = Object.keys(properties).filter((key) => !known.includes(key) && !NOT_LISTED.has(key) && !key.startsWith('verkosto'));
  return [...known.filter((key) => key in properties), ...extra.sort()];
}

export function attributeLabel(t: TFunction, layer: LayerId, key: string): string {
  return t(`attributes.${layer}.${key}`, { defaultValue: t(`attributes.common.${key}`, { defaultValue: key }) });
}

export function formatAttribute(t: TFunction, language: UiLanguage, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  const enumeration = ENUMERATIONS[key];
  if (enumeration && typeof value === 'string') return t(`values.${enumeration}.${value}`, { defaultValue: value });
  if (key === 'locked') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') {
    if (YEARS.has(key)) return String(value);
    if (key.endsWith('_eur')) return formatEuros(value, language);
    if (key.endsWith('_m2')) return `${formatNumber(value, language)} m²`;
    if (key === 'condition') return t('values.condition', { value });
    return formatNumber(value, language, 2);
  }
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  // Times stored as ISO 8601 text (feedback's requested_at, updated_at) read as local date and time.
  if (key.endsWith('_at') && /^\d{4}-\d{2}-\d{2}T/.test(value as string) && !Number.isNaN(Date.parse(value as string))) return formatDateTime(value as string, language);
  return String(value);
}

/** The title of a feature in the side panel: its name in the UI language where there is one. */
export function featureTitle(layer: LayerId, properties: Record<string, unknown>, language: UiLanguage, fid: number): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
  switch (layer) {
    case 'facilities':
    case 'municipality':
      return (language === 'sv' ? text(properties.name_sv) : null) ?? text(properties.name_fi) ?? `#${fid}`;
    case 'catchments':
      return text(properties.name) ?? `#${fid}`;
    case 'demand_units': {
      const name = text(properties.name);
      const code = text(properties.code);
      return name && code ? `${name} (${code})` : (name ?? code ?? `#${fid}`);
    }
    case 'feedback':
      return text(properties.service_name) ?? text(properties.request_id) ?? `#${fid}`;
    case 'residential_points':
      return text(properties.source) ? `${String(properties.source)} #${fid}` : `#${fid}`;
  }
}
