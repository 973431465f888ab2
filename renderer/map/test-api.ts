/**
 * What end-to-end tests may reach on the page: `window.__verkosto`. Kept small and stable on purpose;
 * tests drive the UI like a user and use this only to find where a feature is on screen.
 */
import type OlMap from 'ol/Map.js';

export interface VerkostoTestApi {
  /** The OpenLayers map of the open project. */
  map: OlMap;
  /**
   * Page-viewport CSS pixel of a feature (a point's position, a polygon's interior point), or null when the
   * feature is not loaded or not in view. `layer` is a host layer id (facilities, catchments, demand_units,
   * municipality) or a map layer key (demand_small_areas, demand_grid).
   */
  pixelOf(layer: string, fid: number): [number, number] | null;
  /** True once every layer has loaded and the map has rendered them. */
  isReady(): boolean;
}

declare global {
  interface Window {
    __verkosto?: VerkostoTestApi;
  }
}

export {};
