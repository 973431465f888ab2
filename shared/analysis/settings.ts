/**
 * Analysis settings: which ages each service serves, how many of them use it (participation), the
 * language split, the free-transport limit, the utilisation bands of the traffic-light map and the
 * privacy threshold. They are ordinary project settings (`analysis.*` keys in verkosto_settings, written
 * with the `setting.set` command, so a change is undoable); every key has a Finnish default (DOMAIN.md).
 */
import type { ServiceType, UnitKind } from '../domain/project';

export type SettingsRecord = Record<string, string | number | boolean | null>;

/** Services with an age-based demand model (special-needs classes have capacity but no age model). */
export const DEMAND_SERVICES = ['daycare_0_2', 'daycare_3_5', 'pre_primary', 'grades_1_6', 'grades_7_9'] as const;
export type DemandService = (typeof DEMAND_SERVICES)[number];

export interface ServiceDefinition {
  service: DemandService;
  minAge: number;
  maxAge: number;
  /** Share of the eligible children who use the municipal service, per single-year age 0–15. */
  participation: number[];
  /** Free-transport distance limit for this service in metres. */
  freeTransportLimitM: number;
}

export interface AnalysisSettings {
  services: ServiceDefinition[];
  /** City-wide share of Swedish-speaking children; a Finnish-language catchment gets the rest. */
  swedishShare: number;
  /** Utilisation at or above `yellowFrom` is yellow, at or above `redFrom` red (shares, 0.9 = 90 %). */
  yellowFrom: number;
  redFrom: number;
  /** Counts below this show as "<N" in presentation mode and exports. */
  privacyThreshold: number;
  /** Demand unit kind the analysis uses; null = the finest kind that has population in the year. */
  unitKind: UnitKind | null;
}

/** Defaults: DOMAIN.md's figures (participation 35 % under 3, 87 % at 3–5, school ages 100 %). */
export const DEFAULT_SERVICE_AGES: Record<DemandService, [number, number]> = {
  daycare_0_2: [1, 2],
  daycare_3_5: [3, 5],
  pre_primary: [6, 6],
  grades_1_6: [7, 12],
  grades_7_9: [13, 15],
};

export const DEFAULT_PARTICIPATION: Record<DemandService, number> = {
  daycare_0_2: 0.35,
  daycare_3_5: 0.87,
  pre_primary: 1,
  grades_1_6: 1,
  grades_7_9: 1,
};

/** Basic Education Act §32: a journey over 5 km gives free school transport. */
export const DEFAULT_FREE_TRANSPORT_KM = 5;
/** Finland 2019: about 5.2 % of residents speak Swedish as their registered language (Statistics Finland). */
export const DEFAULT_SWEDISH_SHARE = 0.052;
export const DEFAULT_YELLOW_FROM = 0.9;
export const DEFAULT_RED_FROM = 1.0;
export const DEFAULT_PRIVACY_THRESHOLD = 5;

/** The setting keys the analysis reads, for documentation, the settings form and validation. */
export const ANALYSIS_SETTING_KEYS = {
  minAge: (service: DemandService) => `analysis.${service}.minAge`,
  maxAge: (service: DemandService) => `analysis.${service}.maxAge`,
  participation: (service: DemandService) => `analysis.${service}.participation`,
  /** Optional rate for one single-year age, overriding the service's rate at that age. */
  participationAtAge: (service: DemandService, age: number) => `analysis.${service}.participation.age${age}`,
  /** Share of school-age children who go elsewhere (private or state schools); participation = 1 − share. */
  elsewhereShare: (service: DemandService) => `analysis.${service}.elsewhereShare`,
  freeTransportKm: (service: DemandService) => `analysis.${service}.freeTransportKm`,
  defaultFreeTransportKm: 'analysis.freeTransportKm',
  swedishShare: 'analysis.swedishShare',
  yellowFrom: 'analysis.band.yellowFrom',
  redFrom: 'analysis.band.redFrom',
  privacyThreshold: 'analysis.privacyThreshold',
  unitKind: 'analysis.unitKind',
} as const;

function numberSetting(settings: SettingsRecord, key: string, fallback: number, min: number, max: number): number {
  const value = settings[key];
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  // An out-of-range or unreadable value falls back to the default instead of producing NaN downstream.
  return Number.isFinite(number) && number >= min && number <= max ? number : fallback;
}

/** Reads the analysis settings from a project's settings, with defaults for missing or invalid values. */
export function analysisSettingsFrom(settings: SettingsRecord): AnalysisSettings {
  const keys = ANALYSIS_SETTING_KEYS;
  const defaultLimitKm = numberSetting(settings, keys.defaultFreeTransportKm, DEFAULT_FREE_TRANSPORT_KM, 0.1, 100);
  const services = DEMAND_SERVICES.map((service): ServiceDefinition => {
    const [defaultMin, defaultMax] = DEFAULT_SERVICE_AGES[service];
    let minAge = numberSetting(settings, keys.minAge(service), defaultMin, 0, 15);
    let maxAge = numberSetting(settings, keys.maxAge(service), defaultMax, 0, 15);
    if (maxAge < minAge) [minAge, maxAge] = [defaultMin, defaultMax];
    const elsewhere = numberSetting(settings, keys.elsewhereShare(service), 0, 0, 1);
    const rate = numberSetting(settings, keys.participation(service), DEFAULT_PARTICIPATION[service], 0, 1) * (1 - elsewhere);
    // A rate per single-year age where the project sets one (`analysis.<service>.participation.age1` …).
    const participation = Array.from({ length: 16 }, (_, age) =>
      age >= minAge && age <= maxAge ? numberSetting(settings, keys.participationAtAge(service, age), rate / (1 - elsewhere || 1), 0, 1) * (1 - elsewhere) : 0,
    );
    const limitKm = numberSetting(settings, keys.freeTransportKm(service), defaultLimitKm, 0.1, 100);
    return { service, minAge: Math.round(minAge), maxAge: Math.round(maxAge), participation, freeTransportLimitM: limitKm * 1000 };
  });
  const yellowFrom = numberSetting(settings, keys.yellowFrom, DEFAULT_YELLOW_FROM, 0, 10);
  const redFrom = Math.max(yellowFrom, numberSetting(settings, keys.redFrom, DEFAULT_RED_FROM, 0, 10));
  const unitKind = settings[keys.unitKind];
  return {
    services,
    swedishShare: numberSetting(settings, keys.swedishShare, DEFAULT_SWEDISH_SHARE, 0, 1),
    yellowFrom,
    redFrom,
    privacyThreshold: Math.round(numberSetting(settings, keys.privacyThreshold, DEFAULT_PRIVACY_THRESHOLD, 0, 1000)),
    unitKind: unitKind === 'small_area' || unitKind === 'grid_250m' || unitKind === 'grid_1km' ? unitKind : null,
  };
}

export function isDemandService(service: ServiceType | string): service is DemandService {
  return (DEMAND_SERVICES as readonly string[]).includes(service);
}

/** The traffic-light band of a utilisation share. */
export type UtilisationBand = 'green' | 'yellow' | 'red';
export function utilisationBand(utilisation: number, settings: Pick<AnalysisSettings, 'yellowFrom' | 'redFrom'>): UtilisationBand {
  if (utilisation >= settings.redFrom) return 'red';
  if (utilisation >= settings.yellowFrom) return 'yellow';
  return 'green';
}
