/**
 * Which map layers are shown, and the class breaks their legends need. Map layer keys are the renderer's
 * own: the demand_units GeoPackage layer is drawn as two map layers (small areas and the 250 m grid).
 */
import { create } from 'zustand';

export const MAP_LAYER_KEYS = ['facilities', 'catchments', 'demand_small_areas', 'demand_grid', 'municipality', 'feedback', 'residential_points', 'basemap'] as const;
export type MapLayerKey = (typeof MAP_LAYER_KEYS)[number];

export const DEFAULT_VISIBILITY: Record<MapLayerKey, boolean> = {
  facilities: true,
  catchments: true,
  demand_small_areas: true,
  demand_grid: false,
  municipality: true,
  // Residents' feedback is a layer to look at on purpose, not a default part of the network view.
  feedback: false,
  // Residential points are an analysis input (thousands of buildings): shown when the user wants to check them.
  residential_points: false,
  basemap: true,
};

/** Upper bounds of the choropleth classes (ascending); the last class is open-ended. */
export type ClassBreaks = number[];

/** One catchment set: the catchments of one service in one teaching language (they tile the municipality). */
export interface CatchmentSet {
  key: string;
  service: string;
  language: string;
  count: number;
}

export function catchmentSetKey(service: unknown, language: unknown): string {
  return `${String(service)}:${String(language)}`;
}

export interface LayerState {
  visibility: Record<MapLayerKey, boolean>;
  /** Features per map layer once loaded, or null while loading. */
  featureCounts: Record<MapLayerKey, number | null>;
  /** Population density classes of small areas (residents / km²) and population classes of grid cells. */
  densityBreaks: ClassBreaks;
  gridBreaks: ClassBreaks;
  /** Distinct catchment origins in the project (for the "generated" legend note). */
  catchmentOrigins: string[];
  /** Catchment sets in the project, and the one on the map (sets overlap, so one is drawn at a time). */
  catchmentSets: CatchmentSet[];
  shownCatchmentSet: string | null;
  setVisible(key: MapLayerKey, visible: boolean): void;
  toggle(key: MapLayerKey): void;
  setFeatureCount(key: MapLayerKey, count: number | null): void;
  setBreaks(breaks: { densityBreaks?: ClassBreaks; gridBreaks?: ClassBreaks }): void;
  setCatchmentOrigins(origins: string[]): void;
  setCatchmentSets(sets: CatchmentSet[]): void;
  showCatchmentSet(key: string): void;
  reset(): void;
}

const emptyCounts = (): Record<MapLayerKey, number | null> =>
  Object.fromEntries(MAP_LAYER_KEYS.map((key) => [key, null])) as Record<MapLayerKey, number | null>;

export const useLayerStore = create<LayerState>()((set) => ({
  visibility: { ...DEFAULT_VISIBILITY },
  featureCounts: emptyCounts(),
  densityBreaks: [],
  gridBreaks: [],
  catchmentOrigins: [],
  catchmentSets: [],
  shownCatchmentSet: null,
  setVisible: (key, visible) => set((state) => ({ visibility: { ...state.visibility, [key]: visible } })),
  toggle: (key) => set((state) => ({ visibility: { ...state.visibility, [key]: !state.visibility[key] } })),
  setFeatureCount: (key, count) => set((state) => ({ featureCounts: { ...state.featureCounts, [key]: count } })),
  setBreaks: (breaks) => set(breaks),
  setCatchmentOrigins: (catchmentOrigins) => set({ catchmentOrigins }),
  setCatchmentSets: (catchmentSets) =>
    set((state) => ({
      catchmentSets,
      // Keep the user's choice across reloads while that set still exists.
      shownCatchmentSet: catchmentSets.some((entry) => entry.key === state.shownCatchmentSet) ? state.shownCatchmentSet : (catchmentSets[0]?.key ?? null),
    })),
  showCatchmentSet: (shownCatchmentSet) => set({ shownCatchmentSet }),
  reset: () =>
    set({ visibility: { ...DEFAULT_VISIBILITY }, featureCounts: emptyCounts(), densityBreaks: [], gridBreaks: [], catchmentOrigins: [], catchmentSets: [], shownCatchmentSet: null }),
}));
