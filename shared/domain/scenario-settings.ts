/**
 * Which settings belong to a scenario. The demand model's settings (age ranges, participation, the share
 * going elsewhere, the free-transport limit, the Swedish-speaking share) are planning choices a scenario
 * may change ("what if the transport limit for the youngest were 3 km"), so they are kept per scenario like
 * its facilities and catchments. How results are shown (traffic-light bands, the privacy threshold, the
 * unit kind) and everything else (project CRS, basemap, the active scenario itself) stays project-wide.
 */
const PROJECT_WIDE_ANALYSIS_KEYS = new Set(['analysis.band.yellowFrom', 'analysis.band.redFrom', 'analysis.privacyThreshold', 'analysis.unitKind']);

export function isScenarioSetting(key: string): boolean {
  return key.startsWith('analysis.') && !PROJECT_WIDE_ANALYSIS_KEYS.has(key);
}

/** What a scenario setting is about, for labels: the field and, for per-service keys, the service. */
export interface ScenarioSettingLabel {
  field: 'minAge' | 'maxAge' | 'participation' | 'participationAtAge' | 'elsewhereShare' | 'freeTransportKm' | 'swedishShare' | 'other';
  service: string | null;
  age: number | null;
}

export function scenarioSettingLabel(key: string): ScenarioSettingLabel {
  const parts = key.split('.');
  if (key === 'analysis.swedishShare') return { field: 'swedishShare', service: null, age: null };
  if (key === 'analysis.freeTransportKm') return { field: 'freeTransportKm', service: null, age: null };
  if (parts.length === 3 && parts[0] === 'analysis') {
    const field = parts[2];
    if (field === 'minAge' || field === 'maxAge' || field === 'participation' || field === 'elsewhereShare' || field === 'freeTransportKm') return { field, service: parts[1]!, age: null };
  }
  const atAge = /^analysis\.([a-z0-9_]+)\.participation\.age(\d+)$/.exec(key);
  if (atAge) return { field: 'participationAtAge', service: atAge[1]!, age: Number(atAge[2]) };
  return { field: 'other', service: null, age: null };
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

function formatSettingValue(field: ScenarioSettingLabel['field'], value: unknown, translate: Translate): string {
  if (value === null || value === undefined) return translate('scenarios.setting.default');
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  if (field === 'participation' || field === 'participationAtAge' || field === 'elsewhereShare' || field === 'swedishShare') return `${Math.round(number * 1000) / 10} %`;
  if (field === 'freeTransportKm') return `${number} km`;
  return String(number);
}

/**
 * One line for a setting a scenario changes, e.g. "Free transport limit (grades 1–6): 5 km → 3 km".
 * `arrow` lets the PDF use "»": its standard fonts (WinAnsi) have no "→".
 */
export function describeSettingChange(key: string, setting: { before: unknown; after: unknown }, translate: Translate, arrow = '→'): string {
  const label = scenarioSettingLabel(key);
  const service = label.service ? translate(`values.service.${label.service}`) : '';
  const name =
    label.field === 'other'
      ? translate('scenarios.setting.other', { key })
      : label.field === 'freeTransportKm' && !label.service
        ? translate('scenarios.setting.freeTransportKmAll')
        : translate(`scenarios.setting.${label.field}`, { service, age: label.age ?? '' });
  return `${name}: ${formatSettingValue(label.field, setting.before, translate)} ${arrow} ${formatSettingValue(label.field, setting.after, translate)}`;
}
